"""Pages of the members' space: short views (the door, fetch, call a service, answer).

Every page shows the signed-in member's own data only; other members appear by
first name and initial, in the list of possible proxy holders.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tirage.council.space import member_required
from tirage.council.space.methods import space_post_only
from tirage.council.space.session import close_member_session
from tirage.meetings.errors import MeetingError
from tirage.meetings.ics import meeting_ics
from tirage.meetings.models import (
    Acknowledgement,
    AgendaSuggestion,
    Attendance,
    Convocation,
    Meeting,
    Minutes,
    RulesDocument,
    Source,
)
from tirage.meetings.roster import expected_members
from tirage.meetings.services.absences import resign
from tirage.meetings.services.attendance import record_reply
from tirage.meetings.services.rules import acknowledge_rules
from tirage.meetings.services.schedule import suggest_agenda_item
from tirage.meetings.space.forms import ReplyForm, ResignForm, SuggestionForm

MEMBER_DOCUMENTS = (Minutes.State.SENT, Minutes.State.APPROVED, Minutes.State.PUBLISHED)


def short_name(member) -> str:
    """« Amélie D. »: how members see each other here."""
    app = member.application
    return f"{app.given_name} {app.family_name[:1].upper()}.".strip()


@member_required
def home(request):
    member, now = request.member, timezone.now()
    convocations = Convocation.objects.filter(member=member).select_related("meeting")
    upcoming = [c.meeting for c in convocations.filter(meeting__ends_at__gte=now)]
    past = [
        c.meeting
        for c in convocations.filter(meeting__ends_at__lt=now).order_by("-meeting__starts_at")[:12]
    ]
    replies = {
        a.meeting_id: a for a in Attendance.objects.filter(member=member, meeting__in=upcoming)
    }
    document = RulesDocument.current(member.call_id)
    acknowledged = (
        document is not None
        and Acknowledgement.objects.filter(document=document, member=member).exists()
    )
    return render(
        request,
        "meetings/space/home.html",
        {
            "member": member,
            "upcoming": [(m, replies.get(m.pk)) for m in upcoming],
            "past": past,
            "document": document,
            "acknowledged": acknowledged,
            "suggestions": AgendaSuggestion.objects.filter(member=member).select_related("meeting"),
        },
    )


def _meeting_for(member, pk: int) -> Meeting:
    """A meeting ``member`` was called to, else 404 (never another member's meeting)."""
    convocation = (
        Convocation.objects.filter(member=member, meeting_id=pk)
        .select_related("meeting", "meeting__call", "meeting__working_group")
        .first()
    )
    if convocation is None:
        raise Http404("Vous n'êtes pas convoqué·e à cette réunion.")
    return convocation.meeting


def _holders(meeting: Meeting, member) -> list[tuple[int, str]]:
    others = expected_members(meeting).exclude(pk=member.pk)
    return [(m.pk, short_name(m)) for m in others]


def _meeting_page(request, meeting, *, reply_form=None, suggestion_form=None, error="", status=200):
    member = request.member
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    open_for_replies = meeting.is_open_for_business and not meeting.has_started()
    initial = {}
    if row is not None and row.reply:
        initial = {"reply": row.reply, "proxy_to": row.reply_proxy_to_id, "note": row.reply_note}
    minutes = Minutes.objects.filter(meeting=meeting, state__in=MEMBER_DOCUMENTS).first()
    return render(
        request,
        "meetings/space/meeting.html",
        {
            "meeting": meeting,
            "items": meeting.agenda_items.order_by("order", "id"),
            "row": row,
            "proxy_name": short_name(row.reply_proxy_to) if row and row.reply_proxy_to else "",
            "open_for_replies": open_for_replies,
            "reply_form": reply_form
            or ReplyForm(
                initial=initial,
                holders=_holders(meeting, member),
                remote_allowed=meeting.format != Meeting.Format.IN_PERSON,
            ),
            "suggestion_form": suggestion_form or SuggestionForm(),
            "minutes": minutes,
            "error": error,
            "show_remote": meeting.format != Meeting.Format.IN_PERSON,
        },
        status=status,
    )


@member_required
def meeting(request, pk: int):
    return _meeting_page(request, _meeting_for(request.member, pk))


@member_required
@space_post_only
def reply(request, pk: int):
    member = request.member
    meeting = _meeting_for(member, pk)
    form = ReplyForm(
        request.POST,
        holders=_holders(meeting, member),
        remote_allowed=meeting.format != Meeting.Format.IN_PERSON,
    )
    if not form.is_valid():
        return _meeting_page(request, meeting, reply_form=form, status=400)
    try:
        record_reply(
            meeting_id=meeting.pk,
            member_id=member.pk,
            reply=form.cleaned_data["reply"],
            proxy_to_id=form.cleaned_data["proxy_to"]
            if form.cleaned_data["reply"] == "proxy"
            else None,
            note=form.cleaned_data["note"],
            source=Source.ONLINE,
        )
    except MeetingError as exc:
        return _meeting_page(request, meeting, reply_form=form, error=exc.message, status=409)
    messages.success(
        request, "Votre réponse est enregistrée. Vous pouvez la changer jusqu'à la réunion."
    )
    return redirect("member_space:meeting", pk=meeting.pk)


@member_required
@space_post_only
def suggest(request, pk: int):
    member = request.member
    meeting = _meeting_for(member, pk)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, suggestion_form=form, status=400)
    try:
        suggest_agenda_item(
            meeting_id=meeting.pk,
            member_id=member.pk,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            source=Source.ONLINE,
        )
    except MeetingError as exc:
        return _meeting_page(request, meeting, suggestion_form=form, error=exc.message, status=409)
    messages.success(
        request,
        "Votre proposition est transmise. L'équipe du conseil vous dira si elle est retenue.",
    )
    return redirect("member_space:meeting", pk=meeting.pk)


@member_required
def meeting_calendar(request, pk: int):
    """The meeting as an ``.ics`` file, with the videoconference link (members only)."""
    meeting = _meeting_for(request.member, pk)
    response = HttpResponse(
        meeting_ics(meeting, private=True), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


@member_required
@require_http_methods(["GET", "POST"])
def rules(request):
    member = request.member
    document = RulesDocument.current(member.call_id)
    if document is None:
        raise Http404("Le règlement intérieur n'est pas encore publié.")
    error = ""
    if request.method == "POST":
        try:
            acknowledge_rules(document_id=document.pk, member_id=member.pk, source=Source.ONLINE)
        except MeetingError as exc:
            error = exc.message
        else:
            messages.success(
                request, f"Merci : votre accord avec la version {document.version} est noté."
            )
            return redirect("member_space:rules")
    ack = Acknowledgement.objects.filter(document=document, member=member).first()
    return render(
        request,
        "meetings/space/rules.html",
        {"document": document, "ack": ack, "error": error},
        status=409 if error else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def resignation(request):
    """Leave the council: explain, confirm (what cannot be undone), then resign."""
    member = request.member
    form = ResignForm(request.POST or None)
    step = "explain"
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirme") != "oui":
            step = "confirm"
        else:
            try:
                resign(member_id=member.pk, source=Source.ONLINE, note=form.cleaned_data["note"])
            except MeetingError as exc:
                return render(
                    request,
                    "meetings/space/resign.html",
                    {"form": form, "step": "confirm", "error": exc.message},
                    status=409,
                )
            close_member_session(request)
            return render(request, "meetings/space/resigned.html", {"call": member.call})
    return render(
        request, "meetings/space/resign.html", {"form": form, "step": step, "member": member}
    )
