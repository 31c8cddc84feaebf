"""The public online application form (/candidater/), without JavaScript.

Steps, each a normal POST then a redirect:

1. ``start``: « Vos informations » → the answers go to the session draft;
2. ``area`` (only when the street does not give one secteur): choose the mairie de quartier;
3. ``review``: « Vérifiez vos réponses », with a one-time ``submission_key``;
4. ``confirmation``: the receipt code, shown only to the session that submitted.

In-progress answers stay in the server-side session, never in hidden fields.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tirage.applications import flood
from tirage.applications.forms import ApplicantForm, AreaForm
from tirage.applications.models import Application, Channel, Gender
from tirage.applications.services import CallClosed, submit_application
from tirage.applications.tasks import send_receipt
from tirage.calls.models import Call
from tirage.geo.address import (
    AddressMatch,
    AddressStatus,
    quartier_labels_by_secteur,
    resolve_address,
)
from tirage.site.dates import french_date

logger = logging.getLogger(__name__)

DRAFT = "application_draft"
DONE = "application_done"
MAX_SUGGESTIONS = 3
DRAFT_LIFETIME_SECONDS = 2 * 3600  # of inactivity


# -- helpers -------------------------------------------------------------------------
def _closed(request, call, *, message: str = ""):
    """The « call closed / not open » page; POSTs get 403 (nothing is accepted)."""
    status = 403 if request.method == "POST" else 200
    return render(
        request, "applications/closed.html", {"call": call, "message": message}, status=status
    )


def _call_if_open(request):
    call = Call.objects.current()
    if call is None or not call.is_open():
        return call, _closed(request, call)
    return call, None


def _draft(request, call) -> dict | None:
    draft = request.session.get(DRAFT)
    if not draft or draft.get("call") != call.pk:
        return None
    return draft


def _save_draft(request, draft: dict) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True
    if not request.user.is_authenticated:
        # Personal data should not linger in abandoned sessions (clearsessions removes them).
        request.session.set_expiry(DRAFT_LIFETIME_SECONDS)


def _needs_area_step(draft: dict) -> bool:
    return draft["area"]["status"] in (AddressStatus.MULTIPLE, AddressStatus.UNKNOWN)


def _area_done(draft: dict) -> bool:
    return not _needs_area_step(draft) or draft["area"].get("chosen") is not None


def _locate(call, answers: dict, *, secteur: str = "") -> AddressMatch:
    """The address rules of every channel (``tirage.geo.address``) on the draft's answers."""
    return resolve_address(
        answers.get("street_number") or "",
        answers["street_name"],
        answers["postcode"],
        answers["commune"],
        secteur=secteur,
        territory=call,
    )


def _area_from_match(match: AddressMatch) -> dict:
    return {
        "status": match.status.value,
        "secteurs": list(match.choices),
        "label": match.street_label,
        # Close names, for « Vouliez-vous dire… ? » when the street is unknown.
        "candidates": list(match.candidates[:MAX_SUGGESTIONS]),
        "chosen": None,
    }


def _secteur_options(call, secteurs: list[str] | None = None) -> list[tuple[str, str, str]]:
    """``[(secteur code, label, hint)]`` from the call's offices (the mairies de quartier)."""
    quartiers = quartier_labels_by_secteur()
    options = []
    for office in call.office_list:
        if not office.secteur:
            continue
        if secteurs is not None and office.secteur not in secteurs:
            continue
        names = quartiers.get(office.secteur, [])
        hint = f"Quartiers : {', '.join(names)}." if names else (office.address or "")
        options.append((office.secteur, office.name, hint))
    if not options:  # a call without offices: its secteurs
        for code, label in call.secteur_choices:
            if secteurs is None or code in secteurs:
                options.append((code, label, ""))
    return options


def _secteur_label(call, code: str) -> str:
    for value, label, _ in _secteur_options(call):
        if value == code:
            return label
    return code


def application_data(call, draft: dict) -> dict:
    """The ``submit_application`` data from a complete draft: the answers, and the secteur
    the address rules give with the secteur chosen at the area step (if it was shown)."""
    data = dict(draft["answers"])
    data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
    chosen = draft["area"].get("chosen") or "" if _needs_area_step(draft) else ""
    data.update(_locate(call, draft["answers"], secteur=chosen).fields())
    return data


def _send_receipt(application: Application) -> None:
    """Queue the receipt e-mail (sent by the worker, retried if the relay fails)."""
    send_receipt.enqueue(application_id=application.pk)


def _refused(request, call, refusal: flood.Refusal):
    """429 « Trop de candidatures » with what to do: later, or on paper at a mairie."""
    return render(
        request,
        "applications/refused.html",
        {"call": call, "message": refusal.message, "offices": call.office_list},
        status=429,
    )


# -- views ---------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def start(request):
    call, closed = _call_if_open(request)
    if closed:
        return closed
    draft = _draft(request, call)
    if request.method == "POST":
        posted = request.POST.copy()
        token = posted.get("started", "")
        if flood.seconds_since(request, token) is None:
            posted["started"] = flood.started_token(request)  # shown again: the clock starts now
        form = ApplicantForm(posted, call=call)
        refusal = flood.check_step1(request, honeypot=posted.get("website", ""), token=token)
        if refusal is not None and refusal.event == flood.Event.SESSION:
            return _refused(request, call, refusal)
        if refusal is not None:
            form.is_valid()
            form.add_error(
                "website" if refusal.event == flood.Event.HONEYPOT else None, refusal.message
            )
        elif form.is_valid():
            previous = draft or {}
            assert form.match is not None  # a valid form has looked the address up
            area = _area_from_match(form.match)
            old_area = previous.get("area") or {}
            if (
                old_area.get("status") == area["status"]
                and old_area.get("secteurs") == area["secteurs"]
            ):
                area["chosen"] = old_area.get("chosen")  # same street: keep the choice made
            draft = {
                "call": call.pk,
                "answers": form.answers(),
                "area": area,
                "key": previous.get("key"),
            }
            _save_draft(request, draft)
            if not _area_done(draft):
                return redirect("applications:area")
            return redirect("applications:review")
    else:
        initial = (
            ApplicantForm.initial_from(draft["answers"])
            if draft
            else {
                "postcode": call.postcodes[0] if len(call.postcodes) == 1 else "",
                "commune": call.communes[0] if len(call.communes) == 1 else "",
            }
        )
        initial["started"] = flood.started_token(request)
        form = ApplicantForm(initial=initial, call=call)
    return render(
        request,
        "applications/start.html",
        {"call": call, "form": form, "age_date_label": french_date(call.age_date)},
    )


@require_http_methods(["GET", "POST"])
def area(request):
    call, closed = _call_if_open(request)
    if closed:
        return closed
    draft = _draft(request, call)
    if draft is None:
        return redirect("applications:start")
    if not _needs_area_step(draft):
        return redirect("applications:review")
    status = draft["area"]["status"]
    multiple = status == AddressStatus.MULTIPLE
    options = _secteur_options(call, draft["area"]["secteurs"] if multiple else None)
    # « Je ne sais pas » in both cases: a guessed secteur would count in the quotas unchecked.
    if request.method == "POST" and "street_candidate" in request.POST:
        return _use_suggested_street(request, call, draft)
    if request.method == "POST":
        form = AreaForm(request.POST, options=options, allow_unknown=True)
        if form.is_valid():
            draft["area"]["chosen"] = form.chosen()
            _save_draft(request, draft)
            return redirect("applications:review")
    else:
        chosen = draft["area"].get("chosen")
        initial = {} if chosen is None else {"secteur": chosen or AreaForm.DONT_KNOW}
        form = AreaForm(initial=initial, options=options, allow_unknown=True)
    return render(
        request,
        "applications/area.html",
        {"call": call, "form": form, "multiple": multiple, "draft": draft},
    )


def _use_suggested_street(request, call, draft):
    """« C'est ma rue » on a suggested name: look the address up again with it."""
    suggestions = draft["area"].get("candidates") or []
    try:
        label = suggestions[int(request.POST["street_candidate"])]
    except (ValueError, IndexError):
        return redirect("applications:area")
    answers = draft["answers"]
    match = _locate(call, {**answers, "street_name": label})
    if match.status == AddressStatus.OUTSIDE:
        return redirect("applications:area")
    answers["street_name"] = label
    draft["area"] = _area_from_match(match)
    _save_draft(request, draft)
    return redirect("applications:review" if _area_done(draft) else "applications:area")


@require_http_methods(["GET", "POST"])
def review(request):
    call, closed = _call_if_open(request)
    if closed:
        return closed
    done = request.session.get(DONE)
    if request.method == "POST":
        key = request.POST.get("submission_key", "")
        if done and key and done.get("key") == key:
            return redirect("applications:confirmation")  # second click, back button
    draft = _draft(request, call)
    if draft is None:
        if request.method == "POST":
            messages.error(
                request, "Votre session a expiré : merci de remplir à nouveau le formulaire."
            )
        return redirect("applications:start")
    if not _area_done(draft):
        return redirect("applications:area")

    if request.method == "POST":
        key = request.POST.get("submission_key", "")
        if not key or key != draft.get("key"):
            messages.error(
                request, "Vérifiez vos réponses puis envoyez à nouveau votre candidature."
            )
            return redirect("applications:review")
        refusal = flood.check_submit(request, email=draft["answers"].get("email") or "")
        if refusal is not None:
            return _refused(request, call, refusal)
        try:
            submission = submit_application(
                call, application_data(call, draft), channel=Channel.ONLINE, submission_key=key
            )
        except CallClosed as exc:
            return _closed(request, call, message=str(exc))
        application = submission.application
        receipt_sent = False
        if submission.created:
            receipt_sent = flood.accepted(request, email=application.email)
            if receipt_sent:
                _send_receipt(application)
        request.session[DONE] = {
            "application": application.pk,
            "key": key,
            "receipt_sent": receipt_sent,
        }
        request.session.pop(DRAFT, None)
        return redirect("applications:confirmation")

    if not draft.get("key"):
        draft["key"] = uuid.uuid4().hex
        _save_draft(request, draft)
    data = application_data(call, draft)
    return render(
        request,
        "applications/review.html",
        {
            "call": call,
            "data": data,
            "gender_label": Gender(data["gender"]).label,
            "birth_date_label": french_date(data["birth_date"]),
            "secteur_label": _secteur_label(call, data["secteur"]) if data["secteur"] else "",
            "area_status": draft["area"]["status"],
            "street_label": draft["area"].get("label", ""),
            "has_area_step": _needs_area_step(draft),
            "submission_key": draft["key"],
        },
    )


@require_http_methods(["GET"])
def confirmation(request):
    done = request.session.get(DONE)
    application = (
        Application.objects.select_related("call").filter(pk=done["application"]).first()
        if done
        else None
    )
    if application is None:
        raise Http404("Aucune candidature envoyée depuis ce navigateur.")
    call = application.call
    return render(
        request,
        "applications/confirmation.html",
        {
            "call": call,
            "application": application,
            "draw_date": french_date(call.draw_date),
            "receipt_sent": done.get("receipt_sent", bool(application.email)),
        },
    )
