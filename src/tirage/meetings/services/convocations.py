"""Convene a meeting: check the notice period, call every expected member, prepare what the letters say.

``convene`` records the convocations (one per member expected on the
meeting's day) and moves the meeting to ``convened``. Producing the letters
and e-mails is the ``letters`` app's job, after the transaction commits:
``convocation_notices`` gives it everything a convocation says (agenda,
place, access, reply deadline) as plain data, so that ``letters`` needs to
know nothing about meetings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Convocation, Meeting, Rules
from tirage.meetings.office import member_name
from tirage.meetings.roster import check_expected, expected_members
from tirage.meetings.services.schedule import check_notice
from tirage.site.dates import french_date as fr_day


@transaction.atomic
def convene(*, meeting_id: int, actor=None, now: dt.datetime | None = None) -> list[Convocation]:
    """Convene a planned meeting: one ``Convocation`` per expected member; audited ``meeting.convened``.

    Refused (``MeetingError``, nothing saved) when the meeting is not
    ``planned``, its agenda is empty, nobody is expected, or the notice
    period of ``Rules.notice_days`` days before the meeting's day is no
    longer possible (the message says the latest day it was and the
    earliest date the meeting could move to).
    """
    now = now or timezone.now()
    # Lock: two clicks on « Convoquer » make one set of convocations.
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.state == Meeting.State.CONVENED:
        assert meeting.convened_at is not None
        raise MeetingError(f"Cette réunion est déjà convoquée (le {fr_day(meeting.convened_at)}).")
    if meeting.state != Meeting.State.PLANNED:
        raise MeetingError(
            f"Cette réunion est « {meeting.get_state_display()} » : elle ne peut plus être convoquée."
        )
    if meeting.has_started(now):
        raise MeetingError("La réunion a déjà commencé : il est trop tard pour convoquer.")
    rules = Rules.for_call(meeting.call_id)
    check_notice(meeting, rules, timezone.localdate(now))
    if not meeting.agenda_items.exists():
        raise MeetingError(
            "L'ordre du jour est vide : ajoutez au moins un point avant de convoquer."
        )
    members = list(expected_members(meeting))
    if not members:
        raise MeetingError(f"Aucun membre attendu le {fr_day(meeting.day)} : personne à convoquer.")
    convocations = Convocation.objects.bulk_create(
        [Convocation(meeting=meeting, member=m, created_at=now) for m in members]
    )
    meeting.state = Meeting.State.CONVENED
    meeting.convened_at = now
    meeting.save(update_fields=["state", "convened_at"])
    log_action(
        meeting,
        "meeting.convened",
        actor=actor,
        data={
            "members": len(members),
            "notice_days": (meeting.day - timezone.localdate(now)).days,
            "agenda_items": meeting.agenda_items.count(),
        },
    )
    return convocations


@transaction.atomic
def convene_member(
    *, meeting_id: int, member_id: int, actor=None, now: dt.datetime | None = None
) -> Convocation:
    """Convene one member to an already convened meeting (they joined the council since); audited.

    The notice period cannot apply to someone who was not a member yet: the
    convocation is marked ``late``.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    member = Member.objects.select_related("application").get(pk=member_id)
    if meeting.state != Meeting.State.CONVENED or meeting.has_started(now):
        raise MeetingError(
            "Seule une réunion convoquée et pas encore commencée accueille un membre de plus."
        )
    check_expected(meeting, member)
    if meeting.convocations.filter(member=member).exists():
        raise MeetingError(f"{member_name(member)} est déjà convoqué·e à cette réunion.")
    convocation = Convocation.objects.create(
        meeting=meeting, member=member, created_at=now, late=True
    )
    log_action(meeting, "meeting.member_convened", actor=actor, data={"member": member.pk})
    return convocation


@dataclass(frozen=True)
class AgendaLine:
    order: int
    title: str
    kind: str  # French label: « information », « débat », « décision »
    description: str = ""


@dataclass(frozen=True)
class ConvocationNotice:
    """What one convocation says, as plain data for ``letters`` (no model instances).

    ``application_id`` lets ``letters`` find the name, postal address and
    e-mail (``letters`` already reads applications); ``remote_url`` is for
    this member only.
    """

    convocation_id: int
    member_id: int
    application_id: int
    council_name: str
    city_name: str
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    format: str
    place: str
    address: str
    access_info: str
    remote_url: str
    reply_by: dt.date
    late: bool
    agenda: list[AgendaLine] = field(default_factory=list)


def convocation_notices(
    *, meeting_id: int, only_undelivered: bool = True
) -> list[ConvocationNotice]:
    """The convocations of ``meeting_id`` as data for the letters (by default those not yet handed over).

    ``reply_by`` is the day before the meeting (the reply slip must arrive
    by then).
    """
    meeting = Meeting.objects.select_related("call").get(pk=meeting_id)
    agenda = [
        AgendaLine(i.order, i.title, i.get_kind_display(), i.description)
        for i in meeting.agenda_items.order_by("order", "id")
    ]
    convocations = meeting.convocations.select_related("member").order_by("id")
    if only_undelivered:
        convocations = convocations.filter(delivered_at__isnull=True)
    return [
        ConvocationNotice(
            convocation_id=c.pk,
            member_id=c.member_id,
            application_id=c.member.application_id,
            council_name=meeting.call.council_name,
            city_name=meeting.call.city_name,
            title=meeting.title,
            kind=meeting.get_kind_display(),
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            format=meeting.get_format_display(),
            place=meeting.place,
            address=meeting.address,
            access_info=meeting.access_info,
            remote_url=meeting.remote_url,
            reply_by=meeting.day - dt.timedelta(days=1),
            late=c.late,
            agenda=agenda,
        )
        for c in convocations
    ]
