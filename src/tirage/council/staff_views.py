"""Staff pages (coordination): seat offers and answers received on paper; members and renewals."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from tirage.backoffice.roles import COORDINATOR, role_required
from tirage.backoffice.shell import staff_render
from tirage.council import services
from tirage.council.forms import InstallationForm, StaffAnswerForm
from tirage.council.models import Member, Offer


@role_required(COORDINATOR)
def overview(request):
    call = services.term_call()
    result = services.drawn_result(call) if call else None
    offers = (
        result.draw.offers.select_related("application", "replaces").order_by("created_at", "id")
        if result
        else Offer.objects.none()
    )
    members = (
        Member.objects.filter(call=call).select_related("application")
        if call
        else Member.objects.none()
    )
    offers = list(offers)
    # Seats left empty: an offer that no longer holds its seat and that nobody replaced (the reserve
    # had nobody who keeps the quotas, or it is closed). Staff must see them (audit: seat.replacement_impossible).
    succeeded = {o.replaces_id for o in offers if o.replaces_id}
    vacant = {o.pk for o in offers if not o.holds_seat and o.pk not in succeeded}
    for offer in offers:
        offer.vacant = offer.pk in vacant
    return staff_render(
        request,
        "council/staff/overview.html",
        {
            "call": call,
            "result": result,
            "offers": offers,
            "vacant_count": len(vacant),
            "members": members,
            "form": StaffAnswerForm(),
            "installation_form": InstallationForm(),
        },
    )


@role_required(COORDINATOR)
@require_POST
def record_answer(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk)
    form = StaffAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, f"{offer.receipt_code} : choisissez la réponse reçue (accepte ou refuse)."
        )
        return redirect("council_staff:overview")
    try:
        services.record_answer(
            offer,
            accepted=form.cleaned_data["answer"] == "accept",
            via=Offer.Via.STAFF,
            actor=request.user,
            public_consent=form.cleaned_data["public_consent"],
        )
    except services.CouncilError as exc:
        messages.error(request, f"{offer.receipt_code} : {exc}")
    else:
        messages.success(request, f"Réponse de {offer.receipt_code} enregistrée.")
    return redirect("council_staff:overview")


@role_required(COORDINATOR)
@require_POST
def reissue(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk)
    try:
        batch = services.reissue_letter(offer, actor=request.user)
    except services.CouncilError as exc:
        messages.error(request, f"{offer.receipt_code} : {exc}")
    else:
        messages.success(
            request,
            f"Nouveau courrier pour {offer.receipt_code} (lot n° {batch.pk}) : l'ancien code ne fonctionne plus.",
        )
    return redirect("council_staff:overview")


@role_required(COORDINATOR)
@require_POST
def install(request):
    call = services.term_call()
    result = services.drawn_result(call) if call else None
    form = InstallationForm(request.POST)
    if result is None or not form.is_valid():
        errors = form.errors.get("day") if result else ["Le tirage n'a pas eu lieu."]
        messages.error(request, " ".join(errors or ["Date invalide."]))
        return redirect("council_staff:overview")
    count = services.set_installation_date(
        result.draw, form.cleaned_data["day"], actor=request.user
    )
    messages.success(request, f"Installation enregistrée : {count} mandat(s) mis à jour.")
    return redirect("council_staff:overview")


@role_required(COORDINATOR)
@require_POST
def renew(request, pk: int):
    member = get_object_or_404(Member, pk=pk)
    try:
        services.renew_member(member, actor=request.user)
    except services.CouncilError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Mandat de {member.application.receipt_code} renouvelé.")
    return redirect("council_staff:overview")
