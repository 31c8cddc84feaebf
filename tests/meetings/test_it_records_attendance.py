"""Replies before, the sign-in sheet after, proxies with all their rules, and the quorum counted live."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.meetings.helpers import at, plenary
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Attendance, Meeting, Presence, Rules, Source
from tirage.meetings.quorum import quorum_for
from tirage.meetings.services.attendance import (
    Mark,
    close_register,
    record_attendance,
    record_reply,
)

P = Presence
BEFORE = at(2025, 10, 1)
DURING = at(2025, 10, 6, 18, 15)
AFTER = at(2025, 10, 6, 21)


@pytest.fixture
def meeting(council):
    return plenary(council, at(2025, 10, 6), now=at(2025, 9, 10))


def reply(meeting, member, answer, holder=None, *, now=BEFORE):
    return record_reply(
        meeting_id=meeting.pk,
        member_id=member.pk,
        reply=answer,
        proxy_to_id=holder.pk if holder else None,
        source=Source.ONLINE,
        now=now,
    )


def test_replies_are_recorded_once_and_close_when_the_meeting_starts(council, meeting):
    a = council.members[0]
    row = reply(meeting, a, P.EXCUSED)
    assert (row.reply, row.reply_source) == ("excused", "online")
    reply(meeting, a, P.EXCUSED)
    assert AuditEntry.objects.filter(action="attendance.replied").count() == 1
    with pytest.raises(MeetingError) as info:
        reply(meeting, a, P.PRESENT, now=DURING)
    assert info.value.message == (
        "La réunion a commencé le 6 octobre 2025 à 18 h 00 : la réponse ne peut plus changer ; "
        "la présence se note sur la feuille d'émargement."
    )
    assert Attendance.objects.get(meeting=meeting, member=a).reply == "excused"


def test_a_proxy_goes_to_another_member_in_office_who_holds_no_other(council, meeting):
    a, b, c, d = council.members[:4]
    with pytest.raises(MeetingError) as info:
        reply(meeting, a, P.PROXY, a)
    assert info.value.message == f"{council.named(a)} ne peut pas se donner procuration à soi-même."

    former = council.members[19]
    Member.objects.filter(pk=former.pk).update(ended_on=dt.date(2025, 9, 30), end_reason="resigned")
    with pytest.raises(MeetingError) as info:
        reply(meeting, a, P.PROXY, former)
    assert info.value.message == (
        f"Procuration de {council.named(a)} : {council.named(former)} n'est pas membre en exercice "
        "le 6 octobre 2025 (a quitté le conseil le 30 septembre 2025)."
    )

    reply(meeting, a, P.PROXY, b)
    with pytest.raises(MeetingError) as info:
        reply(meeting, c, P.PROXY, b)
    assert info.value.message == (
        f"Procuration de {council.named(c)} : {council.named(b)} détient déjà celle de "
        f"{council.named(a)} ; un membre ne peut en porter qu'une."
    )
    reply(meeting, d, P.EXCUSED)
    with pytest.raises(MeetingError, match=f"{council.named(d)} a annoncé être absent·e"):
        reply(meeting, c, P.PROXY, d)
    # The holder cannot then announce their own absence while holding the proxy.
    with pytest.raises(
        MeetingError, match=f"{council.named(b)} porte la procuration de {council.named(a)}"
    ):
        reply(meeting, b, P.EXCUSED)
    assert Attendance.objects.filter(meeting=meeting, reply=P.PROXY).count() == 1


def test_the_database_refuses_two_proxies_for_one_holder_and_a_proxy_to_oneself(council, meeting):
    a, b, c = council.members[:3]
    Attendance.objects.create(meeting=meeting, member=a, status=P.PROXY, proxy_to=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, member=c, status=P.PROXY, proxy_to=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, member=c, status=P.PROXY, proxy_to=c)


def test_attendance_for_someone_not_in_office_that_day_is_refused_with_every_other_error(
    council, meeting
):
    a, b, c = council.members[:3]
    former = council.members[19]
    Member.objects.filter(pk=former.pk).update(ended_on=dt.date(2025, 9, 30), end_reason="resigned")
    marks = [
        Mark(a.pk, P.PRESENT),
        Mark(former.pk, P.PRESENT),
        Mark(b.pk, P.PROXY, c.pk),  # c is not marked present
    ]
    with pytest.raises(MeetingError) as info:
        record_attendance(meeting_id=meeting.pk, marks=marks, now=DURING)
    assert info.value.errors == [
        f"{council.named(former)} n'est pas membre en exercice le 6 octobre 2025 (a quitté le "
        "conseil le 30 septembre 2025).",
    ]
    with pytest.raises(MeetingError) as info:
        record_attendance(meeting_id=meeting.pk, marks=[marks[0], marks[2]], now=DURING)
    assert info.value.errors == [
        f"Procuration de {council.named(b)} : {council.named(c)} n'est pas noté·e présent·e (sur "
        "place ou à distance) et ne peut donc pas la porter."
    ]
    assert not Attendance.objects.exclude(status="").exists()
    assert not AuditEntry.objects.filter(action="attendance.recorded").exists()


def test_the_sheet_is_not_typed_before_the_day(council, meeting):
    with pytest.raises(
        MeetingError, match="à partir du jour de la réunion \\(le 6 octobre 2025\\)"
    ):
        record_attendance(
            meeting_id=meeting.pk, marks=[Mark(council.members[0].pk, P.PRESENT)], now=BEFORE
        )


def test_the_quorum_is_counted_live_as_people_sign_in(council, meeting):
    members = council.members
    assert quorum_for(meeting).sentence() == (
        "Quorum non atteint : 0 membre présent sur 20 en exercice (il en faut 10), il manque 10 "
        "membres."
    )
    record_attendance(
        meeting_id=meeting.pk, marks=[Mark(m.pk, P.PRESENT) for m in members[:8]], now=DURING
    )
    record_attendance(
        meeting_id=meeting.pk,
        marks=[Mark(members[8].pk, P.REMOTE), Mark(members[9].pk, P.PROXY, members[0].pk)],
        now=DURING,
    )
    quorum = quorum_for(meeting)
    assert (quorum.present, quorum.remote, quorum.represented, quorum.counted) == (8, 1, 1, 9)
    assert not quorum.reached and quorum.missing == 1
    # With proxies counting (a setting), the same sheet reaches the quorum.
    Rules.for_call(council.call).update(quorum_counts_proxies=True)
    assert quorum_for(meeting).sentence() == (
        "Quorum atteint : 10 membres présents ou représentés sur 20 en exercice (il en faut 10)."
    )
    # Moving the proxy to another holder in one go frees the first one.
    record_attendance(
        meeting_id=meeting.pk,
        marks=[
            Mark(members[9].pk, P.PROXY, members[1].pk),
            Mark(members[10].pk, P.PROXY, members[0].pk),
        ],
        now=DURING,
    )
    assert dict(
        Attendance.objects.filter(meeting=meeting, status=P.PROXY).values_list(
            "member_id", "proxy_to_id"
        )
    ) == {members[9].pk: members[1].pk, members[10].pk: members[0].pk}


def test_closing_the_sheet_fills_it_from_the_replies(council, meeting):
    m = council.members
    reply(meeting, m[10], P.EXCUSED)
    reply(meeting, m[11], P.PROXY, m[0])  # m[0] will come
    reply(meeting, m[12], P.PROXY, m[1])  # m[1] said present but will not come
    reply(meeting, m[1], P.PRESENT)
    record_attendance(
        meeting_id=meeting.pk, marks=[Mark(x.pk, P.PRESENT) for x in [m[0]] + m[2:10]], now=DURING
    )
    with pytest.raises(MeetingError, match="n'a pas encore commencé"):
        close_register(meeting_id=meeting.pk, now=at(2025, 10, 6, 9))
    register = close_register(meeting_id=meeting.pk, now=AFTER)
    statuses = {a.member_id: (a.status, a.proxy_to_id) for a in register.attendances}
    assert statuses[m[10].pk] == ("excused", None)
    assert statuses[m[11].pk] == ("proxy", m[0].pk)
    assert statuses[m[12].pk] == ("excused", None)  # gave notice; the holder did not come
    assert statuses[m[1].pk] == ("absent", None)  # announced, did not sign
    assert all(statuses[x.pk] == ("absent", None) for x in m[13:])
    assert len(statuses) == 20
    assert register.quorum.present == 9 and register.quorum.reached is False
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    entry = AuditEntry.objects.get(action="meeting.held")
    assert (entry.data["present"], entry.data["represented"], entry.data["quorum_reached"]) == (
        9,
        1,
        False,
    )
    with pytest.raises(MeetingError, match="déjà close"):
        close_register(meeting_id=meeting.pk, now=AFTER)
    # A correction after closing is still possible (until the minutes are approved).
    record_attendance(
        meeting_id=meeting.pk, marks=[Mark(m[1].pk, P.EXCUSED)], source=Source.STAFF, now=AFTER
    )
    assert Attendance.objects.get(meeting=meeting, member=m[1]).status == "excused"


def test_a_cancelled_or_unconvened_meeting_has_no_sheet(council):
    meeting = plenary(council, at(2025, 10, 6), convened=False, now=at(2025, 9, 10))
    with pytest.raises(MeetingError, match="n'a pas été convoquée"):
        record_attendance(meeting_id=meeting.pk, marks=[], now=DURING)
    meeting.cancel(reason="Salle inondée", now=at(2025, 10, 1))
    with pytest.raises(MeetingError, match="annulée : elle n'a pas de feuille"):
        record_attendance(meeting_id=meeting.pk, marks=[], now=DURING)
