"""Replies before a meeting, the sign-in sheet during and after it, and its closing.

* ``record_reply``: the member (online) or staff (from the paper slip) says
  present, remote, excused, or gives a proxy, until the meeting starts.
* ``record_attendance``: staff type the signed sheet, in one go or as people
  arrive (the quorum is then counted live); corrections are possible until
  the minutes are approved.
* ``close_register``: after the meeting, everyone expected and not marked
  gets a status from their reply (excused, proxy) or is absent; the meeting
  is ``held`` and the absence rule runs.

Proxy rules, checked on replies and on the sheet, all at once: a proxy goes
to another member expected at the meeting (in office that day, in the group
for a working group), not to oneself; the holder attends (on the sheet) or
has not said they will be away (in replies); a member holds one proxy at
most. A sheet with several mistakes lists them all and saves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import (
    ATTENDING,
    REPLIES,
    AbsenceCase,
    Attendance,
    Meeting,
    Presence,
    Source,
)
from tirage.meetings.office import member_name
from tirage.meetings.quorum import Quorum, quorum_for
from tirage.meetings.roster import check_expected, expected_members
from tirage.meetings.services.absences import check_absences
from tirage.meetings.services.common import actor_label, check_source, user_or_none
from tirage.site.dates import french_date as fr_day
from tirage.site.dates import french_moment as moment


@dataclass(frozen=True)
class Mark:
    """One line of the sign-in sheet: ``status`` a ``Presence`` value; ``proxy_to_id`` for a proxy."""

    member_id: int
    status: str
    proxy_to_id: int | None = None


@dataclass(frozen=True)
class Register:
    """The result of closing the sheet: every expected member's row, the quorum, new absence cases."""

    attendances: list[Attendance]
    quorum: Quorum
    absence_cases: list[AbsenceCase]


def _members(ids) -> dict[int, Member]:
    return {m.pk: m for m in Member.objects.select_related("application").filter(pk__in=ids)}


def _check_proxy(
    meeting: Meeting,
    giver: Member,
    holder: Member | None,
    *,
    holder_status: str,
    held_by_holder: list[int],
    announced: bool,
) -> list[str]:
    """The errors of ``giver`` giving a proxy to ``holder`` (empty list when fine)."""
    if holder is None:
        return [f"Procuration de {member_name(giver)} : indiquez à quel membre elle est donnée."]
    if holder.pk == giver.pk:
        return [f"{member_name(giver)} ne peut pas se donner procuration à soi-même."]
    try:
        check_expected(meeting, holder, role=f"Procuration de {member_name(giver)}")
    except MeetingError as exc:
        return [exc.message]
    errors = []
    if announced and holder_status in (Presence.EXCUSED, Presence.PROXY):
        errors.append(
            f"Procuration de {member_name(giver)} : {member_name(holder)} a annoncé être absent·e "
            "et ne pourra pas la porter."
        )
    if not announced and holder_status not in ATTENDING:
        errors.append(
            f"Procuration de {member_name(giver)} : {member_name(holder)} n'est pas noté·e présent·e "
            "(sur place ou à distance) et ne peut donc pas la porter."
        )
    others = [pk for pk in held_by_holder if pk != giver.pk]
    if others:
        first = Member.objects.select_related("application").get(pk=others[0])
        errors.append(
            f"Procuration de {member_name(giver)} : {member_name(holder)} détient déjà celle de "
            f"{member_name(first)} ; un membre ne peut en porter qu'une."
        )
    return errors


def record_reply(
    *,
    meeting_id: int,
    member_id: int,
    reply: str,
    proxy_to_id: int | None = None,
    note: str = "",
    source: str,
    actor=None,
    now: dt.datetime | None = None,
) -> Attendance:
    """Record a member's reply to a convocation; audited ``attendance.replied``.

    ``reply``: present, remote, excused or proxy (then ``proxy_to_id``).
    The same reply sent twice is stored once. Refused (``MeetingError``) once
    the meeting has started, for a member not expected at it, or a proxy
    breaking the rules (see the module).
    """
    check_source(source)
    now = now or timezone.now()
    if reply not in REPLIES:
        raise MeetingError("Réponse inconnue : présent·e, à distance, excusé·e ou procuration.")
    with transaction.atomic():
        # Lock the meeting: two replies naming the same proxy holder must not both pass the check.
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if not meeting.is_open_for_business:
            raise MeetingError(
                f"Cette réunion est « {meeting.get_state_display()} » : elle n'attend plus de réponse."
            )
        if meeting.has_started(now):
            raise MeetingError(
                f"La réunion a commencé le {moment(meeting.starts_at)} : la réponse ne peut plus "
                "changer ; la présence se note sur la feuille d'émargement."
            )
        member = Member.objects.select_related("application").get(pk=member_id)
        check_expected(meeting, member)
        row, _ = Attendance.objects.get_or_create(meeting=meeting, member=member)
        proxy_to = None
        if reply == Presence.PROXY:
            holder = (
                Member.objects.select_related("application").filter(pk=proxy_to_id).first()
                if proxy_to_id
                else None
            )
            holder_row = Attendance.objects.filter(meeting=meeting, member=holder).first()
            errors = _check_proxy(
                meeting,
                member,
                holder,
                holder_status=holder_row.reply if holder_row else "",
                held_by_holder=list(
                    Attendance.objects.filter(meeting=meeting, reply_proxy_to=holder).values_list(
                        "member_id", flat=True
                    )
                ),
                announced=True,
            )
            if errors:
                raise MeetingError.many(errors)
            proxy_to = holder
        elif proxy_to_id:
            raise MeetingError("Une procuration ne se donne qu'avec la réponse « procuration ».")
        if reply in (Presence.EXCUSED, Presence.PROXY):
            given = Attendance.objects.filter(meeting=meeting, reply_proxy_to=member).first()
            if given is not None:
                raise MeetingError(
                    f"{member_name(member)} porte la procuration de {member_name(given.member)} : "
                    "prévenez cette personne et annulez d'abord sa procuration."
                )
        note = (note or "").strip()
        if (row.reply, row.reply_proxy_to_id, row.reply_note) == (
            reply,
            proxy_to.pk if proxy_to else None,
            note,
        ):
            return row
        before = row.reply
        row.reply = reply
        row.reply_proxy_to = proxy_to
        row.reply_note = note
        row.reply_source = source
        row.replied_at = now
        row.reply_recorded_by = user_or_none(actor)
        row.save()
        log_action(
            meeting,
            "attendance.replied",
            actor=actor,
            actor_label=actor_label(source),
            data={
                "member": member.pk,
                "reply": reply,
                "before": before,
                "proxy_to": proxy_to.pk if proxy_to else None,
                "source": source,
            },
        )
    return row


def _check_sheet_open(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.state == Meeting.State.CANCELLED:
        raise MeetingError("Cette réunion est annulée : elle n'a pas de feuille de présence.")
    if meeting.state == Meeting.State.PLANNED:
        raise MeetingError(
            "Cette réunion n'a pas été convoquée : convoquez-la avant de noter les présences."
        )
    if meeting.state in (Meeting.State.MINUTES_APPROVED, Meeting.State.PUBLISHED):
        raise MeetingError(
            "Le compte rendu de cette réunion est approuvé : la feuille de présence ne se modifie plus."
        )
    if timezone.localdate(now) < meeting.day:
        raise MeetingError(
            f"La présence se note à partir du jour de la réunion (le {fr_day(meeting.day)})."
        )


def _sheet_errors(meeting: Meeting, sheet: dict[int, tuple[str, int | None]]) -> list[str]:
    """Every proxy error of the whole sheet (member id → (status, proxy holder id))."""
    members = _members(list(sheet) + [holder for _, holder in sheet.values() if holder is not None])
    held: dict[int, list[int]] = {}
    for member_id, (status, holder_pk) in sheet.items():
        if status == Presence.PROXY and holder_pk is not None:
            held.setdefault(holder_pk, []).append(member_id)
    errors = []
    for member_id, (status, holder_id) in sheet.items():
        if status != Presence.PROXY:
            continue
        holder = members.get(holder_id) if holder_id is not None else None
        errors += _check_proxy(
            meeting,
            members[member_id],
            holder,
            holder_status=sheet.get(holder_id, ("", None))[0] if holder_id else "",
            held_by_holder=held.get(holder_id, []) if holder_id else [],
            announced=False,
        )
    # « A holds B's proxy and C's »: say it once, not once per giver.
    return list(dict.fromkeys(errors))


def _write_sheet(
    meeting: Meeting,
    changes: dict[int, tuple[str, int | None]],
    *,
    source: str,
    actor,
    now: dt.datetime,
) -> list[dict]:
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    # First clear the proxies that move, so that the unique « one proxy held » never sees two at once.
    moving = [
        mid
        for mid, (_, holder) in changes.items()
        if mid in rows and rows[mid].proxy_to_id != holder
    ]
    Attendance.objects.filter(meeting=meeting, member_id__in=moving).update(
        proxy_to=None, status=""
    )
    log = []
    for member_id, (status, holder) in changes.items():
        row = rows.get(member_id) or Attendance(meeting=meeting, member_id=member_id)
        before = row.status
        row.status = status
        row.proxy_to_id = holder
        row.status_source = source
        row.recorded_at = now
        row.recorded_by = user_or_none(actor)
        row.save()
        log.append({"member": member_id, "status": status, "proxy_to": holder, "before": before})
    return log


def record_attendance(
    *,
    meeting_id: int,
    marks: list[Mark],
    source: str = Source.PAPER,
    actor=None,
    now: dt.datetime | None = None,
) -> list[Attendance]:
    """Record lines of the sign-in sheet (all of them, or a few as people arrive); audited ``attendance.recorded``.

    The whole sheet as it would stand is checked: members expected on the
    meeting's day, proxy rules. Every error is reported at once
    (``MeetingError.errors``) and nothing is saved. After the sheet is
    closed, a correction re-runs the absence rule. Returns the saved rows.
    """
    check_source(source)
    now = now or timezone.now()
    with transaction.atomic():
        # Lock: two people typing the same sheet must not break the proxy rules between them.
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        _check_sheet_open(meeting, now)
        errors = []
        seen = Counter(m.member_id for m in marks)
        members = _members(list(seen))
        for member_id, count in seen.items():
            if count > 1:
                errors.append(f"{member_name(members[member_id])} figure deux fois sur la feuille.")
        for mark in marks:
            if mark.status not in Presence.values:
                errors.append(f"{member_name(members[mark.member_id])} : statut inconnu.")
                continue
            try:
                check_expected(meeting, members[mark.member_id])
            except MeetingError as exc:
                errors.append(exc.message)
            if mark.status != Presence.PROXY and mark.proxy_to_id is not None:
                errors.append(
                    f"{member_name(members[mark.member_id])} : une procuration ne se note qu'avec le "
                    "statut « procuration »."
                )
        if errors:
            raise MeetingError.many(list(dict.fromkeys(errors)))
        sheet = {
            a.member_id: (a.status, a.proxy_to_id)
            for a in Attendance.objects.filter(meeting=meeting).exclude(status="")
        }
        changes = {
            m.member_id: (m.status, m.proxy_to_id if m.status == Presence.PROXY else None)
            for m in marks
            if sheet.get(m.member_id) != (m.status, m.proxy_to_id)
        }
        sheet.update(changes)
        errors = _sheet_errors(meeting, sheet)
        if errors:
            raise MeetingError.many(errors)
        if changes:
            log = _write_sheet(meeting, changes, source=source, actor=actor, now=now)
            log_action(
                meeting, "attendance.recorded", actor=actor, data={"source": source, "marks": log}
            )
            if meeting.state == Meeting.State.HELD:
                check_absences(meeting_id=meeting.pk, actor=actor, now=now)
        return list(
            Attendance.objects.filter(meeting=meeting, member_id__in=[m.member_id for m in marks])
        )


def close_register(*, meeting_id: int, actor=None, now: dt.datetime | None = None) -> Register:
    """Close the sign-in sheet after the meeting: it is ``held``; audited ``meeting.held``.

    Every expected member without a status gets one from their reply: excused
    → excused; proxy → proxy if the holder attended and holds no other,
    excused otherwise (they gave notice); anything else, or no reply →
    absent. Then the absence rule runs (``check_absences``). Refused before
    the meeting starts, or when the sheet is already closed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if meeting.is_held:
            assert meeting.held_at is not None
            raise MeetingError(
                f"La feuille de présence est déjà close (le {fr_day(meeting.held_at)}) : "
                "corrigez une ligne si besoin."
            )
        _check_sheet_open(meeting, now)
        if not meeting.has_started(now):
            raise MeetingError(
                f"La réunion n'a pas encore commencé (le {moment(meeting.starts_at)}) : la feuille se "
                "clôt après."
            )
        rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
        sheet = {mid: (a.status, a.proxy_to_id) for mid, a in rows.items() if a.status}
        held = Counter(holder for status, holder in sheet.values() if status == Presence.PROXY)
        changes: dict[int, tuple[str, int | None]] = {}
        for member in expected_members(meeting):
            if member.pk in sheet:
                continue
            row = rows.get(member.pk)
            reply = row.reply if row else ""
            status: str = Presence.ABSENT
            holder: int | None = None
            if reply == Presence.EXCUSED:
                status = Presence.EXCUSED
            elif reply == Presence.PROXY and row is not None and row.reply_proxy_to_id:
                holder = row.reply_proxy_to_id
                if sheet.get(holder, ("", None))[0] in ATTENDING and not held[holder]:
                    status = Presence.PROXY
                    held[holder] += 1
                else:
                    status, holder = Presence.EXCUSED, None
            changes[member.pk] = (status, holder)
        log = _write_sheet(meeting, changes, source=Source.STAFF, actor=actor, now=now)
        meeting.state = Meeting.State.HELD
        meeting.held_at = now
        meeting.save(update_fields=["state", "held_at"])
        quorum = quorum_for(meeting)
        log_action(
            meeting,
            "meeting.held",
            actor=actor,
            data={
                "completed": log,
                "present": quorum.present,
                "remote": quorum.remote,
                "represented": quorum.represented,
                "in_office": quorum.in_office,
                "quorum_reached": quorum.reached,
            },
        )
        cases = check_absences(meeting_id=meeting.pk, actor=actor, now=now)
        attendances = list(
            Attendance.objects.filter(meeting=meeting).select_related("member__application")
        )
    return Register(attendances=attendances, quorum=quorum, absence_cases=cases)
