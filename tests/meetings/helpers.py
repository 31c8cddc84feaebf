"""A drawn and installed council, and meetings placed in time, for the meetings tests.

The council is the Roubaix call of ``tests.aftermath`` (20 members, drawn on
13 June 2025, installed on 1 September 2025; the reserve list stays open
until June 2027). Meetings are placed with explicit ``now`` values so that
nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tests.aftermath import AFTER_DRAW, Drawn, drawn_call
from tests.council.helpers import install_all
from tirage.calls.models import PARIS
from tirage.council.models import Member
from tirage.meetings.models import AgendaItem, Meeting, Presence
from tirage.meetings.office import member_name
from tirage.meetings.services.attendance import Mark, close_register, record_attendance
from tirage.meetings.services.convocations import convene
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting

INSTALLED = dt.date(2025, 9, 1)


def at(year: int, month: int, day: int, hour: int = 18, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@dataclass
class Council:
    drawn: Drawn
    members: list[Member]

    @property
    def call(self):
        return self.drawn.call

    def by_slot(self, secteur: str, i: int) -> Member:
        code = self.drawn.by_slot[(secteur, i)]
        return next(m for m in self.members if m.application.receipt_code == code)

    def named(self, member: Member) -> str:
        return member_name(member)


def installed_council(*, reserve_slots=None, per_secteur: int = 6) -> Council:
    drawn = drawn_call(reserve_slots=reserve_slots, per_secteur=per_secteur)
    members = install_all(drawn, now=AFTER_DRAW, start=INSTALLED)
    members = list(Member.objects.select_related("application").order_by("id"))
    return Council(drawn, members)


def plenary(
    council: Council,
    when: dt.datetime,
    *,
    now: dt.datetime | None = None,
    items=(("Approbation du compte rendu", AgendaItem.Kind.DECISION),),
    convened: bool = True,
    **kwargs,
) -> Meeting:
    """A plenary at ``when`` planned 30 days before (and convened then, by default)."""
    now = now or when - dt.timedelta(days=30)
    meeting = plan_meeting(
        call_id=council.call.pk,
        title=kwargs.pop("title", f"Séance plénière du {when:%d/%m/%Y}"),
        starts_at=when,
        place=kwargs.pop("place", "Hôtel de ville, salle du conseil"),
        now=now,
        **kwargs,
    )
    for title, kind in items:
        add_agenda_item(meeting_id=meeting.pk, title=title, kind=kind, now=now)
    if convened:
        convene(meeting_id=meeting.pk, now=now)
        meeting.refresh_from_db()
    return meeting


def hold(
    meeting: Meeting,
    *,
    absent: Sequence[Member] = (),
    excused: Sequence[Member] = (),
    everyone: Sequence[Member],
) -> None:
    """Record the sheet (present unless listed) during the meeting and close it right after."""
    during = meeting.starts_at + dt.timedelta(minutes=10)
    marks = []
    for member in everyone:
        status = Presence.PRESENT
        if member in absent:
            status = Presence.ABSENT
        elif member in excused:
            status = Presence.EXCUSED
        marks.append(Mark(member.pk, status))
    record_attendance(meeting_id=meeting.pk, marks=marks, now=during)
    close_register(meeting_id=meeting.pk, now=meeting.ends_at)
    meeting.refresh_from_db()
