"""The absence rule and departures: both end in ``council``'s own path to the reserve list.

1. ``check_absences`` (run when a plenary's sheet is closed or corrected):
   a member absent without excuse at ``Rules.absence_limit`` held plenaries
   in a row gets an ``AbsenceCase`` — the coordinator's alert.
2. ``record_absence_letter``: the member is told and may answer until
   ``Rules.absence_reply_days`` later.
3. ``declare_vacant``: after that day, the seat is declared vacant by an
   adopted decision of a plenary, or by the coordinator, as
   ``Rules.vacancy_by`` says. The mandate ends through
   ``council.services.mandates.end_membership`` (reason « fin décidée par le
   conseil »), which offers the seat to the next person of the draw's
   reserve list who keeps every quota (``offer_next``) and sends the letter.
   ``AbsenceCase.dismiss`` closes a case without vacancy.

``resign`` is a member's own departure (online, by letter, or through staff):
the same ``end_membership`` path with « démission ».

Only plenaries count for the rule; excused absences and proxies break the
streak; after a closed case, counting starts again from its last meeting.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.errors import CouncilError
from tirage.council.models import Member, Offer
from tirage.council.services.mandates import end_membership
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import (
    AbsenceCase,
    Attendance,
    Decision,
    GroupMembership,
    Meeting,
    Presence,
    Rules,
    WorkingGroup,
)
from tirage.meetings.office import in_office, member_name
from tirage.meetings.services.common import actor_label, check_source, user_or_none
from tirage.site.dates import french_date as fr_day

HELD_STATES = (Meeting.State.HELD, Meeting.State.MINUTES_APPROVED, Meeting.State.PUBLISHED)


def absence_streak(member: Member, *, up_to: Meeting, limit: int) -> list[Meeting]:
    """The last ``limit`` held plenaries up to ``up_to`` if ``member`` was absent without excuse at all of them.

    Returns them oldest first, or ``[]`` when the streak is shorter. Counting
    starts after the last meeting of the member's previous (closed) case.
    """
    rows = (
        Attendance.objects.filter(
            member=member,
            meeting__call_id=up_to.call_id,
            meeting__kind=Meeting.Kind.PLENARY,
            meeting__state__in=HELD_STATES,
            meeting__starts_at__lte=up_to.starts_at,
        )
        .exclude(status="")
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-meeting_id")
    )
    last_case = (
        AbsenceCase.objects.filter(member=member)
        .exclude(state__in=AbsenceCase.IN_PROGRESS)
        .order_by("-opened_at")
        .first()
    )
    if last_case is not None:
        counted = last_case.meetings.order_by("-starts_at").first()
        if counted is not None:
            rows = rows.filter(meeting__starts_at__gt=counted.starts_at)
    latest = list(rows[:limit])
    if len(latest) < limit or any(r.status != Presence.ABSENT for r in latest):
        return []
    return [r.meeting for r in reversed(latest)]


def check_absences(
    *, meeting_id: int, actor=None, now: dt.datetime | None = None
) -> list[AbsenceCase]:
    """Open an absence case for each member of ``meeting_id`` who reached the limit; audited ``absence.limit_reached``.

    A member whose case is in progress gets the new meeting added to it.
    Returns the cases opened now. Only held plenaries count. A correction of
    an older sheet is checked against the streak ending at that meeting and
    the one ending at the latest held plenary.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.get(pk=meeting_id)
    if not meeting.is_plenary or not meeting.is_held:
        return []
    rules = Rules.for_call(meeting.call_id)
    latest = (
        Meeting.objects.filter(
            call_id=meeting.call_id, kind=Meeting.Kind.PLENARY, state__in=HELD_STATES
        )
        .order_by("-starts_at", "-id")
        .first()
    )
    opened = []
    with transaction.atomic():
        absent = (
            Attendance.objects.filter(meeting=meeting, status=Presence.ABSENT)
            .select_related("member__application")
            .order_by("member_id")
        )
        for row in absent:
            member = row.member
            current = (
                AbsenceCase.objects.select_for_update()
                .filter(member=member, state__in=AbsenceCase.IN_PROGRESS)
                .first()
            )
            if current is not None:
                current.meetings.add(meeting)
                continue
            streak = absence_streak(member, up_to=meeting, limit=rules.absence_limit)
            if not streak and latest is not None and latest.pk != meeting.pk:
                streak = absence_streak(member, up_to=latest, limit=rules.absence_limit)
            if not streak:
                continue
            case = AbsenceCase.objects.create(call_id=meeting.call_id, member=member, opened_at=now)
            case.meetings.set(streak)
            log_action(
                case,
                "absence.limit_reached",
                actor=actor,
                actor_label="système",
                data={
                    "member": member.pk,
                    "limit": rules.absence_limit,
                    "meetings": [m.pk for m in streak],
                    "days": [m.day.isoformat() for m in streak],
                },
            )
            opened.append(case)
    return opened


@transaction.atomic
def record_absence_letter(
    *, case_id: int, actor=None, now: dt.datetime | None = None
) -> AbsenceCase:
    """Record that the absence letter went to the member; they may answer until ``absence_reply_days`` later.

    ``open`` → ``letter_sent``; audited ``absence.letter_sent``. (Producing
    the letter through ``letters`` after commit comes with the staff pages.)
    """
    now = now or timezone.now()
    # Lock: one letter date per case.
    case = AbsenceCase.objects.select_for_update().get(pk=case_id)
    if case.state != AbsenceCase.State.OPEN:
        raise MeetingError(
            f"Cette procédure est « {case.get_state_display()} » : pas de lettre à envoyer."
        )
    rules = Rules.for_call(case.call_id)
    case.state = AbsenceCase.State.LETTER_SENT
    case.letter_sent_at = now
    case.reply_until = timezone.localdate(now) + dt.timedelta(days=rules.absence_reply_days)
    case.save(update_fields=["state", "letter_sent_at", "reply_until"])
    log_action(
        case,
        "absence.letter_sent",
        actor=actor,
        data={"member": case.member_id, "reply_until": case.reply_until.isoformat()},
    )
    return case


def _leave_groups(member: Member, on: dt.date) -> None:
    """A departing member leaves their working groups (and is no longer rapporteur)."""
    GroupMembership.objects.filter(member=member, left_on__isnull=True).update(left_on=on)
    WorkingGroup.objects.filter(rapporteur=member).update(rapporteur=None)


@transaction.atomic
def declare_vacant(
    *,
    case_id: int,
    decision_id: int | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> Offer | None:
    """Declare the seat of an absence case vacant and offer it to the reserve list; audited ``absence.seat_vacant``.

    With ``Rules.vacancy_by == "decision"``, ``decision_id`` is an adopted
    decision of a plenary of the same council taken after the member's reply
    deadline; with ``"coordinator"`` the coordinator decides (``actor``) and
    a decision is optional. The mandate ends on the decision's day (or
    today) through ``council.services.mandates.end_membership``. Returns the new offer
    (``None`` when nobody in the reserve keeps the quotas: audited by
    ``council`` as ``seat.replacement_impossible``).
    """
    now = now or timezone.now()
    # Lock: a dismissal racing the declaration must leave one outcome.
    case = (
        AbsenceCase.objects.select_for_update()
        .select_related("member__application")
        .get(pk=case_id)
    )
    member = case.member
    rules = Rules.for_call(case.call_id)
    if case.state == AbsenceCase.State.OPEN:
        raise MeetingError(
            f"{member_name(member)} doit d'abord recevoir la lettre l'informant de ses absences et "
            "pouvoir y répondre."
        )
    if case.state != AbsenceCase.State.LETTER_SENT:
        raise MeetingError(f"Cette procédure est close ({case.get_state_display()}).")
    decision = None
    if decision_id is not None:
        decision = Decision.objects.select_related("meeting").get(pk=decision_id)
        if decision.meeting.call_id != case.call_id:
            raise MeetingError("Cette décision a été prise par un autre conseil.", field="decision")
        if not decision.adopted:
            raise MeetingError(
                f"La décision « {decision.title} » a été rejetée : le siège n'est pas déclaré vacant.",
                field="decision",
            )
        if decision.absence_cases.exists():
            raise MeetingError(
                "Cette décision a déjà servi à une autre procédure.", field="decision"
            )
    elif rules.vacancy_by == Rules.VacancyBy.DECISION:
        raise MeetingError(
            "Le règlement prévoit que le conseil déclare le siège vacant en séance plénière : "
            "indiquez la décision adoptée.",
            field="decision",
        )
    elif not getattr(actor, "is_authenticated", False):
        raise MeetingError(
            "La coordination déclare le siège vacant : une personne doit être connectée."
        )
    on = decision.meeting.day if decision else timezone.localdate(now)
    assert case.reply_until is not None
    if on <= case.reply_until:
        raise MeetingError(
            f"{member_name(member)} peut répondre à la lettre jusqu'au {fr_day(case.reply_until)} : "
            f"le siège ne peut pas être déclaré vacant le {fr_day(on)}.",
            field="decision",
        )
    if not in_office(member, on):
        raise MeetingError(f"{member_name(member)} n'est plus membre en exercice le {fr_day(on)}.")
    days = [fr_day(m.day) for m in case.meetings.order_by("starts_at")]
    note = f"{len(days)} absences non excusées consécutives ({', '.join(days)})"
    _leave_groups(member, on)
    try:
        offer = end_membership(
            member, reason=Member.EndReason.REMOVED, on=on, note=note, actor=actor, now=now
        )
    except CouncilError as exc:
        raise MeetingError(str(exc)) from exc
    case.state = AbsenceCase.State.VACANT
    case.decision = decision
    case.closed_at = now
    case.closed_by = user_or_none(actor)
    case.save(update_fields=["state", "decision", "closed_at", "closed_by"])
    log_action(
        case,
        "absence.seat_vacant",
        actor=actor,
        data={
            "member": member.pk,
            "on": on.isoformat(),
            "by": "decision" if decision else "coordinator",
            "decision": decision.pk if decision else None,
            "offer": offer.receipt_code if offer else None,
        },
    )
    return offer


@transaction.atomic
def resign(
    *,
    member_id: int,
    source: str,
    on: dt.date | None = None,
    note: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Offer | None:
    """A member resigns (online, by letter typed by staff, or through staff); the seat goes to the reserve list.

    The mandate ends on ``on`` (default today) through
    ``council.services.mandates.end_membership`` (« démission »); an absence case in
    progress is closed. Audited ``member.resigned`` (with the source) beside
    ``council``'s own ``member.left``. Returns the replacement offer or
    ``None``.
    """
    check_source(source)
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    member = Member.objects.select_for_update().select_related("application").get(pk=member_id)
    if member.ended_on is not None:
        raise MeetingError(
            f"{member_name(member)} a déjà quitté le conseil (le {fr_day(member.ended_on)})."
        )
    if on < member.start_date:
        raise MeetingError(
            f"La démission ne peut précéder le début du mandat ({fr_day(member.start_date)}).",
            field="on",
        )
    if on > member.end_date:
        raise MeetingError(
            f"Le mandat finit de lui-même le {fr_day(member.end_date)} : la démission serait après.",
            field="on",
        )
    for case in AbsenceCase.objects.select_for_update().filter(
        member=member, state__in=AbsenceCase.IN_PROGRESS
    ):
        case.state = AbsenceCase.State.DISMISSED
        case.reason = "démission du membre"
        case.closed_at = now
        case.closed_by = user_or_none(actor)
        case.save(update_fields=["state", "reason", "closed_at", "closed_by"])
        log_action(
            case, "absence.dismissed", actor=actor, reason=case.reason, data={"member": member.pk}
        )
    _leave_groups(member, on)
    log_action(
        member,
        "member.resigned",
        actor=actor,
        actor_label=actor_label(source),
        reason=(note or "").strip(),
        data={"on": on.isoformat(), "source": source},
    )
    try:
        return end_membership(
            member,
            reason=Member.EndReason.RESIGNED,
            on=on,
            note=(note or "").strip(),
            actor=actor,
            now=now,
        )
    except CouncilError as exc:
        raise MeetingError(str(exc)) from exc
