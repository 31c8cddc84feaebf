"""Public pages: answering a seat offer with the reply code, and the roster of members."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tirage.calls.models import Call
from tirage.council.errors import CouncilError
from tirage.council.forms import AnswerForm, CodeForm
from tirage.council.models import Member, Offer
from tirage.council.services.answers import record_answer
from tirage.council.services.offers import find_offer
from tirage.council.tokens import normalise_reply_code
from tirage.geo.reference import quartiers


def reply_start(request):
    """Type the code printed on the letter (GET form, works without JavaScript)."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("council:reply", code=form.cleaned_data["code"])
    return render(request, "council/reply_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reply(request, code: str):
    offer = find_offer(code)
    if offer is None:
        form = CodeForm(initial={"code": code})
        form.is_bound = False
        return render(
            request,
            "council/reply_start.html",
            {"form": form, "unknown": True, "typed": normalise_reply_code(code)},
            status=404,
        )
    call = offer.draw.pool.call
    context = {"offer": offer, "call": call}
    if offer.status != Offer.Status.PENDING:
        return render(
            request, "council/reply_closed.html", {**context, "reason": "used"}, status=410
        )
    if offer.is_past_deadline():
        return render(
            request, "council/reply_closed.html", {**context, "reason": "expired"}, status=410
        )
    answer = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and answer.is_valid():
        accepted = answer.cleaned_data["answer"] == "accept"
        if not accepted and request.POST.get("confirmer") != "1":
            # « Non » gives the seat away for good: a step that says so before it is recorded.
            return render(
                request,
                "council/reply_confirm_decline.html",
                {**context, "public_consent": answer.cleaned_data["public_consent"]},
            )
        try:
            record_answer(
                offer,
                accepted=accepted,
                via=Offer.Via.LINK,
                public_consent=answer.cleaned_data["public_consent"],
            )
        except CouncilError as exc:
            return render(
                request,
                "council/reply_closed.html",
                {**context, "reason": "error", "error": str(exc)},
                status=409,
            )
        return redirect(reverse("council:reply_done") + ("?r=oui" if accepted else "?r=non"))
    return render(
        request,
        "council/reply.html",
        {**context, "form": answer},
        status=400 if answer.errors else 200,
    )


def reply_done(request):
    return render(request, "council/reply_done.html", {"accepted": request.GET.get("r") == "oui"})


def roster(request):
    """Active members of the latest call: first name, initial and quartier if they agreed."""
    call = Call.objects.current_or_404()
    labels = {q.code: q.label for q in quartiers()}
    today = timezone.localdate()
    rows = []
    # Members of the council in office today, whichever call they came from (a new call may be open).
    members = Member.objects.in_office(today).filter(
        call__council_name=call.council_name, call__city_name=call.city_name
    )
    for member in members.select_related("application"):
        app = member.application
        quartier = labels.get(app.quartier, app.quartier or "")
        if member.public_consent:
            name = f"{app.given_name} {app.family_name[:1].upper()}."
            rows.append({"name": name, "quartier": quartier})
        else:
            rows.append({"name": "", "quartier": quartier})
    rows.sort(key=lambda r: (r["name"] == "", r["quartier"], r["name"]))
    return render(request, "council/roster.html", {"call": call, "rows": rows})
