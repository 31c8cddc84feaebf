"""Convocations: the notice period is enforced; every member in office (or of the group) is called; the data for the letters."""

import datetime as dt

import pytest

from tests.meetings.helpers import at, plenary
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Convocation, Meeting, Rules
from tirage.meetings.services.convocations import convene, convene_member, convocation_notices
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting


def test_a_convocation_after_the_notice_period_is_refused_and_nothing_is_saved(council):
    meeting = plenary(council, at(2025, 10, 6), convened=False, now=at(2025, 9, 1))
    with pytest.raises(MeetingError) as info:
        convene(meeting_id=meeting.pk, now=at(2025, 9, 24, 10))
    assert info.value.message == (
        "Convocation trop tardive : la réunion du 6 octobre 2025 est dans 12 jours, le règlement "
        "impose 15 jours de préavis (il fallait convoquer au plus tard le 21 septembre 2025). "
        "Déplacez la réunion au 9 octobre 2025 ou plus tard."
    )
    assert Meeting.objects.get(pk=meeting.pk).state == "planned"
    assert not Convocation.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.convened").exists()
    # The notice period is a setting: shorter notice, the same convocation goes.
    Rules.for_call(council.call).update(notice_days=10)
    assert len(convene(meeting_id=meeting.pk, now=at(2025, 9, 24, 10))) == 20


def test_convening_calls_every_member_in_office_on_the_day_once(council, coordinator):
    leaving = council.members[7]
    Member.objects.filter(pk=leaving.pk).update(ended_on=dt.date(2025, 10, 1), end_reason="moved")
    meeting = plenary(council, at(2025, 10, 6), convened=False, now=at(2025, 9, 1))
    convocations = convene(meeting_id=meeting.pk, actor=coordinator, now=at(2025, 9, 15))
    assert len(convocations) == 19
    assert leaving.pk not in {c.member_id for c in convocations}
    meeting.refresh_from_db()
    assert (meeting.state, meeting.convened_at) == ("convened", at(2025, 9, 15))
    assert AuditEntry.objects.get(action="meeting.convened").data == {
        "members": 19,
        "notice_days": 21,
        "agenda_items": 1,
    }
    with pytest.raises(MeetingError, match="déjà convoquée \\(le 15 septembre 2025\\)"):
        convene(meeting_id=meeting.pk, now=at(2025, 9, 16))
    assert Convocation.objects.count() == 19


def test_an_empty_agenda_cannot_be_convened(council):
    meeting = plenary(council, at(2025, 10, 6), items=(), convened=False, now=at(2025, 9, 1))
    with pytest.raises(MeetingError, match="L'ordre du jour est vide"):
        convene(meeting_id=meeting.pk, now=at(2025, 9, 2))


def test_a_working_group_convenes_its_members_only(council):
    five = council.members[:5]
    group = create_working_group(
        call_id=council.call.pk,
        name="Aide numérique",
        member_ids=[m.pk for m in five],
        now=at(2025, 9, 5),
    )
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Groupe aide numérique",
        kind=Meeting.Kind.WORKING_GROUP,
        working_group_id=group.pk,
        starts_at=at(2025, 10, 8),
        place="Mairie de quartier Nord",
        now=at(2025, 9, 10),
    )
    add_agenda_item(meeting_id=meeting.pk, title="Premières idées", now=at(2025, 9, 10))
    convocations = convene(meeting_id=meeting.pk, now=at(2025, 9, 10))
    assert sorted(c.member_id for c in convocations) == sorted(m.pk for m in five)


def test_a_member_who_joined_since_is_convened_late(council):
    meeting = plenary(council, at(2025, 10, 6), convened=False, now=at(2025, 9, 1))
    newcomer = council.members[0]
    # At the convocation the newcomer's mandate starts after the meeting: not called.
    Member.objects.filter(pk=newcomer.pk).update(start_date=dt.date(2025, 10, 7))
    convene(meeting_id=meeting.pk, now=at(2025, 9, 15))
    assert not meeting.convocations.filter(member=newcomer).exists()
    with pytest.raises(
        MeetingError,
        match="n'est pas membre en exercice le 6 octobre 2025 \\(mandat commencé le 7 octobre 2025\\)",
    ):
        convene_member(meeting_id=meeting.pk, member_id=newcomer.pk, now=at(2025, 9, 30))
    # Installed earlier after all: called late (the notice period could not apply to them).
    Member.objects.filter(pk=newcomer.pk).update(start_date=dt.date(2025, 9, 25))
    late = convene_member(meeting_id=meeting.pk, member_id=newcomer.pk, now=at(2025, 9, 30))
    assert late.late
    with pytest.raises(MeetingError, match="déjà convoqué·e"):
        convene_member(meeting_id=meeting.pk, member_id=newcomer.pk, now=at(2025, 9, 30))
    with pytest.raises(MeetingError, match="pas encore commencée"):
        convene_member(meeting_id=meeting.pk, member_id=newcomer.pk, now=at(2025, 10, 6, 18, 5))


def test_the_letters_get_plain_data_for_each_convocation(council):
    meeting = plenary(
        council,
        at(2025, 10, 6, 18, 30),
        items=(("Approbation du compte rendu", "decision"), ("Portail des démarches", "debate")),
        now=at(2025, 9, 1),
        address="Grand'Place, 59100 Roubaix",
        access_info="Entrée accessible rue du Château.",
    )
    notices = convocation_notices(meeting_id=meeting.pk)
    assert len(notices) == 20
    notice = next(n for n in notices if n.member_id == council.members[0].pk)
    assert notice.application_id == council.members[0].application_id
    assert (notice.council_name, notice.place, notice.address) == (
        "Conseil local du numérique",
        "Hôtel de ville, salle du conseil",
        "Grand'Place, 59100 Roubaix",
    )
    assert notice.reply_by == dt.date(2025, 10, 5)
    assert [(a.order, a.title, a.kind) for a in notice.agenda] == [
        (1, "Approbation du compte rendu", "décision"),
        (2, "Portail des démarches", "débat"),
    ]
    Convocation.objects.filter(pk=notice.convocation_id).update(delivered_at=at(2025, 9, 1, 19))
    assert len(convocation_notices(meeting_id=meeting.pk)) == 19
