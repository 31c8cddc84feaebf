"""Public pages of the council's life (no login): the council's home, one page per meeting, calendars.

What they show is public by nature: members' first name and initial only with their
publication consent (never an address, e-mail or phone), meetings (never the
videoconference link), published minutes and their decisions, working groups, and
attendance as aggregated figures only (nobody's individual attendance).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tirage.calls.models import Call
from tirage.council.services.offers import sitting_call
from tirage.meetings import documents
from tirage.meetings.ics import feed_ics, meeting_ics
from tirage.meetings.models import ATTENDING, Attendance, Meeting, Minutes, WorkingGroup
from tirage.meetings.office import members_in_office
from tirage.meetings.quorum import quorum_for

HELD = (Meeting.State.HELD, Meeting.State.MINUTES_APPROVED, Meeting.State.PUBLISHED)


def _call() -> Call:
    call = sitting_call()
    if call is None:
        raise Http404("Aucun conseil n'est encore constitué.")
    return call


def public_name(member) -> str:
    """« Amélie D. » when the member agreed to publication, else ``""``."""
    if not member.public_consent:
        return ""
    app = member.application
    return f"{app.given_name} {app.family_name[:1].upper()}."


def attendance_rate(call: Call) -> tuple[int, int, int | None]:
    """``(attending, recorded, percent)`` over the held meetings of ``call`` (``None``: nothing yet)."""
    counts = (
        Attendance.objects.filter(meeting__call=call, meeting__state__in=HELD)
        .exclude(status="")
        .aggregate(recorded=Count("pk"), attending=Count("pk", filter=Q(status__in=ATTENDING)))
    )
    recorded, attending = counts["recorded"], counts["attending"]
    return attending, recorded, round(100 * attending / recorded) if recorded else None


def home(request: HttpRequest) -> HttpResponse:
    """``/conseil/``: members (with consent), next meetings, published minutes, groups, attendance."""
    call = _call()
    today = timezone.localdate()
    members = list(members_in_office(call, today))
    named = sorted(n for n in (public_name(m) for m in members) if n)
    meetings = Meeting.objects.filter(call=call).select_related("working_group")
    now = timezone.now()
    coming = meetings.filter(ends_at__gte=now).exclude(state=Meeting.State.CANCELLED)
    published = (
        Minutes.objects.filter(meeting__call=call, state=Minutes.State.PUBLISHED)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )
    groups = []
    for group in WorkingGroup.objects.filter(call=call, closed_on__isnull=True):
        group_members = [m.member for m in group.memberships_on(today)]
        groups.append(
            {
                "group": group,
                "size": len(group_members),
                "names": sorted(n for n in (public_name(m) for m in group_members) if n),
                "rapporteur": public_name(group.rapporteur) if group.rapporteur else "",
            }
        )
    attending, recorded, rate = attendance_rate(call)
    return render(
        request,
        "meetings/public/home.html",
        {
            "call": call,
            "in_office": len(members),
            "named": named,
            "unnamed": len(members) - len(named),
            "coming": coming,
            "held": meetings.filter(state__in=HELD).count(),
            "published": published,
            "groups": groups,
            "rate": rate,
            "recorded": recorded,
            "attending": attending,
        },
    )


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting: agenda, place and access, then (once published) the minutes and decisions."""
    call = _call()
    item = get_object_or_404(
        Meeting.objects.select_related("call", "working_group"), pk=pk, call=call
    )
    minutes = Minutes.objects.filter(meeting=item, state=Minutes.State.PUBLISHED).first()
    quorum = quorum_for(item) if item.is_held else None
    return render(
        request,
        "meetings/public/meeting.html",
        {
            "call": call,
            "meeting": item,
            "items": item.agenda_items.order_by("order", "id"),
            "minutes": minutes,
            "decisions": item.decisions.select_related("agenda_item") if minutes else [],
            "quorum": quorum,
        },
    )


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The published minutes of meeting ``pk`` as a tagged PDF (PDF/UA-1)."""
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting__call"),
        meeting_id=pk,
        meeting__call=_call(),
        state=Minutes.State.PUBLISHED,
    )
    return documents.pdf_response(
        documents.minutes_pdf(minutes), f"compte-rendu-{minutes.meeting.day:%Y-%m-%d}.pdf"
    )


def _ics(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def feed(request: HttpRequest) -> HttpResponse:
    """``/conseil/reunions.ics``: every meeting of the council (no videoconference link)."""
    call = _call()
    return _ics(feed_ics(call), f"reunions-{call.slug}.ics")


def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Meeting.objects.select_related("call"), pk=pk, call=_call())
    return _ics(meeting_ics(item), f"reunion-{item.day:%Y-%m-%d}.ics")
