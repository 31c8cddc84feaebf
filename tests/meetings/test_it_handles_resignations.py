"""A resignation (online, on paper or through staff) takes the same path as a vacant seat: end_membership → offer_next."""

import datetime as dt

import pytest
from django.core import mail

from tests.aftermath import lay_out_queued_offer_letters
from tests.meetings.helpers import at
from tirage.audit.models import AuditEntry
from tirage.council.models import Member, Offer
from tirage.council.services.seat_letters import letters_on_the_way
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import AbsenceCase, GroupMembership, Source, WorkingGroup
from tirage.meetings.services.absences import resign
from tirage.meetings.services.groups import create_working_group, set_rapporteur

pytest.importorskip("tirage.sortition.reserve")


def test_an_online_resignation_frees_the_seat_for_the_reserve_list(council):
    member = council.by_slot("centre", 1)
    other = council.by_slot("nord", 1)
    group = create_working_group(
        call_id=council.call.pk,
        name="Démarches en ligne",
        member_ids=[member.pk, other.pk],
        now=at(2025, 9, 15),
    )
    set_rapporteur(group_id=group.pk, member_id=member.pk, now=at(2025, 9, 15))
    case = AbsenceCase.objects.create(call=council.call, member=member)
    mail.outbox.clear()

    new = resign(
        member_id=member.pk,
        source=Source.ONLINE,
        note="Je déménage à Lille.",
        now=at(2026, 2, 3, 10),
    )
    assert letters_on_the_way([new.pk]) == {new.pk} and not mail.outbox  # queued, not sent
    assert lay_out_queued_offer_letters() == ["done"]

    member.refresh_from_db()
    assert (member.ended_on, member.end_reason) == (dt.date(2026, 2, 3), "resigned")
    assert new.replaces == member.offer and new.status == Offer.Status.PENDING
    pool = council.drawn.draw.pool
    assert pool.members.get(receipt_code=new.receipt_code).values["secteur"] == "centre"
    assert new.letters.get().letter.application == new.application
    resigned = AuditEntry.objects.get(action="member.resigned")
    assert (resigned.actor_label, resigned.data["source"], resigned.reason) == (
        "membre (en ligne)",
        "online",
        "Je déménage à Lille.",
    )
    assert AuditEntry.objects.filter(action="member.left").count() == 1
    case.refresh_from_db()
    assert (case.state, case.reason) == ("dismissed", "démission du membre")
    assert WorkingGroup.objects.get(pk=group.pk).rapporteur is None
    assert GroupMembership.objects.get(group=group, member=member).left_on == dt.date(2026, 2, 3)

    with pytest.raises(MeetingError, match="a déjà quitté le conseil \\(le 3 février 2026\\)"):
        resign(member_id=member.pk, source=Source.PAPER, now=at(2026, 2, 4))


def test_a_resignation_date_outside_the_mandate_is_refused(council):
    member = council.members[3]
    with pytest.raises(
        MeetingError, match="ne peut précéder le début du mandat \\(1er septembre 2025\\)"
    ):
        resign(member_id=member.pk, source=Source.PAPER, on=dt.date(2025, 8, 1), now=at(2025, 9, 2))
    assert Member.objects.get(pk=member.pk).ended_on is None
    assert not AuditEntry.objects.filter(action="member.resigned").exists()
