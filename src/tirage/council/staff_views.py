"""Staff pages of the council (coordination), in the staff shell.

* the overview: the letters after the draw, the seats offered (one line each,
  with the link to the person's page), empty seats, the members and their mandates;
* one page per offer: the answer received on paper (its own form), and apart,
  the letter sent again when it was lost;
* one page per member: the mandate, and apart, its renewal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from tirage.backoffice.roles import COORDINATOR, role_required
from tirage.backoffice.shell import post_only, staff_render
from tirage.council.errors import CouncilError
from tirage.council.forms import InstallationForm, StaffAnswerForm
from tirage.council.models import CouncilLetter, Member, Offer
from tirage.council.services.answers import record_answer as record
from tirage.council.services.answers import reissue_letter
from tirage.council.services.mandates import set_installation_date
from tirage.council.services.offers import drawn_result, term_call
from tirage.council.services.renewals import renew_member
from tirage.council.services.seat_letters import (
    latest_draw_letters_run,
    letter_states,
    queue_draw_letters,
    restart_draw_letters,
)
from tirage.letters.models import BatchRun, Kind
from tirage.ops.heartbeat import unclaimed_since


@dataclass(frozen=True)
class OfferRow:
    """One line of the replies list: the offer, whether its seat is left empty (the reserve
    had nobody within the quotas, or is closed), whether its letter was produced, and whether
    a letter waits in the queue (``on_the_way``) or the latest one queued failed (``failed``)."""

    offer: Offer
    vacant: bool
    has_letter: bool
    on_the_way: bool = False
    failed: bool = False


@role_required(COORDINATOR)
def overview(request: HttpRequest) -> HttpResponse:
    call = term_call()
    result = drawn_result(call) if call else None
    offers = (
        list(
            result.draw.offers.select_related("application", "replaces").order_by(
                "created_at", "id"
            )
        )
        if result
        else []
    )
    members = (
        Member.objects.filter(call=call).select_related("application")
        if call
        else Member.objects.none()
    )
    # Seats left empty: an offer that no longer holds its seat and that nobody replaced (the reserve
    # had nobody who keeps the quotas, or it is closed). Staff must see them (audit: seat.replacement_impossible).
    succeeded = {o.replaces_id for o in offers if o.replaces_id}
    vacant = {o.pk for o in offers if not o.holds_seat and o.pk not in succeeded}
    with_letter = set(
        CouncilLetter.objects.filter(offer__in=offers).values_list("offer_id", flat=True)
    )
    pending = [o.pk for o in offers if o.status == Offer.Status.PENDING]
    states = letter_states(pending)
    rows = [
        OfferRow(
            o,
            vacant=o.pk in vacant,
            has_letter=o.pk in with_letter,
            on_the_way=o.pk in states.on_the_way,
            failed=o.pk in states.failed,
        )
        for o in offers
    ]
    counts = Counter(offer.status for offer in offers)
    draw_letters_done = bool(
        result
        and CouncilLetter.objects.filter(
            offer__draw=result.draw, letter__kind=Kind.SELECTED
        ).exists()
    )
    run = latest_draw_letters_run(call) if call else None
    interrupted = run is not None and run.is_interrupted()
    busy = run is not None and run.status in (BatchRun.Status.PENDING, BatchRun.Status.RUNNING)
    return staff_render(
        request,
        "council/staff/overview.html",
        {
            "call": call,
            "result": result,
            "letters_run": run,
            "letters_interrupted": interrupted,
            "letters_busy": busy and not interrupted,
            # Queued and never claimed: no worker runs (as on the draw overview).
            "letters_unclaimed_since": unclaimed_since(run.task_id)
            if run is not None and run.status == BatchRun.Status.PENDING
            else None,
            # Followed (backoffice/follow.js) only on request, with a link to stop it
            # (RGAA 13.1.1, WCAG 2.2.1).
            "auto_refresh": request.GET.get("suivi") == "auto" and busy and not interrupted,
            "rows": rows,
            "status_counts": [
                (label, counts.get(value, 0)) for value, label in Offer.Status.choices
            ],
            "vacant_count": len(vacant),
            "without_letter": sum(
                1
                for r in rows
                if r.offer.status == Offer.Status.PENDING
                and (r.failed or not (r.has_letter or r.on_the_way))
            ),
            "members": members,
            "installation_form": InstallationForm(),
            "draw_letters_done": draw_letters_done,
        },
    )


@role_required(COORDINATOR)
@post_only
def produce_letters(request: HttpRequest) -> HttpResponse:
    """Queue the letters after the draw (the selected people's offers are made with them)."""
    call = term_call()
    try:
        if call is None:
            raise CouncilError("Aucun appel à candidatures n'est chargé.")
        queue_draw_letters(call, actor=request.user)
    except CouncilError as exc:
        messages.error(request, str(exc))
        return redirect("council_staff:overview")
    messages.success(request, "Production des courriers lancée.")
    return redirect(reverse("council_staff:overview") + "?suivi=auto#courriers")


@role_required(COORDINATOR)
@post_only
def restart_letters(request: HttpRequest) -> HttpResponse:
    """Start again an interrupted production of the letters after the draw; audited."""
    call = term_call()
    run = latest_draw_letters_run(call) if call else None
    try:
        if run is None:
            raise CouncilError("Aucune production de courriers à relancer.")
        restart_draw_letters(run, actor=request.user)
    except CouncilError as exc:
        messages.error(request, str(exc))
        return redirect("council_staff:overview")
    messages.success(request, "Production des courriers relancée depuis le début.")
    return redirect(reverse("council_staff:overview") + "?suivi=auto#courriers")


def _offer_page(request: HttpRequest, offer: Offer, form: StaffAnswerForm, status: int = 200):
    letters = (
        CouncilLetter.objects.filter(offer=offer)
        .select_related("letter__batch")
        .order_by("letter__rendered_at", "id")
    )
    states = letter_states([offer.pk])
    return staff_render(
        request,
        "council/staff/offer.html",
        {
            "offer": offer,
            "call": offer.draw.pool.call,
            "form": form,
            "letters": [link.letter for link in letters],
            "on_the_way": bool(states.on_the_way),
            "failed": bool(states.failed) and offer.status == Offer.Status.PENDING,
        },
        status=status,
    )


@role_required(COORDINATOR)
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.select_related("application", "replaces", "draw__pool__call"), pk=pk
    )
    return _offer_page(request, offer, StaffAnswerForm())


@role_required(COORDINATOR)
@post_only
def record_answer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.select_related("application", "replaces", "draw__pool__call"), pk=pk
    )
    form = StaffAnswerForm(request.POST)
    if not form.is_valid():
        return _offer_page(request, offer, form, status=400)
    try:
        record(
            offer,
            accepted=form.cleaned_data["answer"] == "accept",
            via=Offer.Via.STAFF,
            actor=request.user,
            public_consent=form.cleaned_data["public_consent"],
        )
    except CouncilError as exc:
        form.add_error(None, str(exc))
        return _offer_page(request, offer, form, status=409)
    messages.success(request, f"Réponse de {offer.receipt_code} enregistrée.")
    return redirect("council_staff:overview")


@role_required(COORDINATOR)
@post_only
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer, pk=pk)
    try:
        reissue_letter(offer, actor=request.user)
    except CouncilError as exc:
        messages.error(request, f"{offer.receipt_code} : {exc}")
        return redirect("council_staff:offer", pk=offer.pk)
    # The letter is queued (the worker lays it out): no batch number yet, and the latest
    # letter listed is the lost one.
    messages.success(
        request,
        f"Nouveau courrier pour {offer.receipt_code} en préparation : "
        "l'ancien code ne fonctionne plus.",
    )
    return redirect("council_staff:offer", pk=offer.pk)


@role_required(COORDINATOR)
@post_only
def install(request: HttpRequest) -> HttpResponse:
    call = term_call()
    result = drawn_result(call) if call else None
    form = InstallationForm(request.POST)
    if result is None or not form.is_valid():
        errors = form.errors.get("day") if result else ["Le tirage n'a pas eu lieu."]
        messages.error(request, " ".join(str(e) for e in errors or ["Date invalide."]))
        return redirect("council_staff:overview")
    count = set_installation_date(result.draw, form.cleaned_data["day"], actor=request.user)
    messages.success(request, f"Installation enregistrée : {count} mandat(s) mis à jour.")
    return redirect("council_staff:overview")


@role_required(COORDINATOR)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("application", "call"), pk=pk)
    letters = CouncilLetter.objects.filter(member=member).select_related("letter")
    return staff_render(
        request,
        "council/staff/member.html",
        {"member": member, "call": member.call, "letters": [link.letter for link in letters]},
    )


@role_required(COORDINATOR)
@post_only
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    try:
        renew_member(member, actor=request.user)
    except CouncilError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Mandat de {member.application.receipt_code} renouvelé.")
    return redirect("council_staff:member", pk=member.pk)
