"""iCalendar (RFC 5545) files with the ``icalendar`` library: one per meeting, and the council's public feed.

Public files hold what a public page shows: title, kind, time, place,
address, access information, agenda, state. The videoconference link is
only in a member's own file (``private=True``). Each event keeps the same
UID for its whole life and its ``SEQUENCE`` grows with every change, so
calendars update or cancel the event they already have.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from tirage.calls.models import Call
from tirage.meetings.models import Meeting

PRODID = "-//Tirage//Vie du conseil//FR"
STATUS: dict[str, str] = {
    Meeting.State.PLANNED: "TENTATIVE",
    Meeting.State.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting: Meeting) -> str:
    """A stable UID for ``meeting`` (never changes, whatever is edited)."""
    return f"reunion-{meeting.pk}@{meeting.call.slug}.tirage"


def _description(meeting: Meeting, *, private: bool) -> str:
    lines = [f"{meeting.get_kind_display().capitalize()} — {meeting.call.council_name}"]
    if meeting.state == Meeting.State.CANCELLED:
        lines.append(f"Réunion annulée : {meeting.cancelled_reason}")
    if meeting.access_info:
        lines += ["", f"Accès : {meeting.access_info}"]
    items = list(meeting.agenda_items.order_by("order", "id"))
    if items:
        lines += ["", "Ordre du jour :"]
        lines += [f"{i.order}. {i.title} ({i.get_kind_display()})" for i in items]
    if private and meeting.remote_url and meeting.format != Meeting.Format.IN_PERSON:
        lines += ["", f"Visioconférence : {meeting.remote_url}"]
    return "\n".join(lines)


def meeting_event(
    meeting: Meeting, *, private: bool = False, stamp: dt.datetime | None = None
) -> Event:
    """The VEVENT of ``meeting``; ``private`` adds the videoconference link (members only)."""
    location = ", ".join(p for p in (meeting.place, meeting.address) if p)
    if meeting.format == Meeting.Format.REMOTE:
        location = "À distance"
    elif meeting.format == Meeting.Format.HYBRID:
        location = f"{location} (et à distance)" if location else "À distance"
    event = Event.new(
        uid=meeting_uid(meeting),
        summary=meeting.title,
        start=timezone.localtime(meeting.starts_at),
        end=timezone.localtime(meeting.ends_at),
        stamp=stamp or timezone.now(),
        sequence=meeting.sequence,
        location=location or None,
        description=_description(meeting, private=private),
        categories=[meeting.get_kind_display()],
    )
    event.add("status", STATUS.get(meeting.state, "CONFIRMED"))
    if private and meeting.remote_url and meeting.format != Meeting.Format.IN_PERSON:
        event.add("url", meeting.remote_url)
    return event


def _calendar(name: str, events: list[Event]) -> bytes:
    cal = Calendar.new(prodid=PRODID, name=name)
    cal.add("method", "PUBLISH")
    for event in events:
        cal.add_component(event)
    # RFC 5545: a TZID (Europe/Paris) needs its VTIMEZONE in the file.
    cal.add_missing_timezones()
    return cal.to_ical()


def meeting_ics(meeting: Meeting, *, private: bool = False) -> bytes:
    """A calendar file with ``meeting`` alone (``text/calendar``, UTF-8)."""
    return _calendar(meeting.title, [meeting_event(meeting, private=private)])


def feed_meetings(call: Call) -> QuerySet[Meeting]:
    """The meetings of the public feed: every one of ``call``, cancelled ones kept (calendars drop them)."""
    return (
        Meeting.objects.filter(call=call)
        .select_related("call")
        .prefetch_related("agenda_items")
        .order_by("starts_at", "id")
    )


def feed_ics(call: Call, *, now: dt.datetime | None = None) -> bytes:
    """The public feed of ``call``: planned, convened, held and cancelled meetings (no private link)."""
    stamp = now or timezone.now()
    events = [meeting_event(m, stamp=stamp) for m in feed_meetings(call)]
    return _calendar(f"{call.council_name} – {call.city_name}", events)
