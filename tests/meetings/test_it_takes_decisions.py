"""Decisions of a plenary: quorum from the rules at the vote, figures bounded by the sheet, vote arithmetic, snapshot kept."""

import datetime as dt

import pytest

from tests.meetings.helpers import at, hold, plenary
from tirage.audit.models import AuditEntry
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import AgendaItem, Decision, Meeting, Presence, Rules
from tirage.meetings.services.attendance import Mark, record_attendance
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.schedule import plan_meeting
from tirage.meetings.voting import VoteError, Votes

ITEMS = (("Avis sur le portail des démarches", "decision"), ("Point d'information", "information"))


@pytest.fixture
def meeting(council):
    return plenary(council, at(2025, 10, 6), items=ITEMS, now=at(2025, 9, 10))


def item(meeting, kind="decision"):
    return meeting.agenda_items.get(kind=kind)


def sheet(council, meeting, present: int, proxies: int = 0):
    m = council.members
    marks = [Mark(x.pk, Presence.PRESENT) for x in m[:present]]
    marks += [Mark(m[present + i].pk, Presence.PROXY, m[i].pk) for i in range(proxies)]
    record_attendance(meeting_id=meeting.pk, marks=marks, now=at(2025, 10, 6, 18, 10))


def decide(meeting, votes=None, **kwargs):
    kwargs.setdefault("method", "vote" if votes else "consensus")
    kwargs.setdefault("agenda_item_id", item(meeting).pk)
    kwargs.setdefault("now", meeting.starts_at + dt.timedelta(hours=1))
    return record_decision(meeting_id=meeting.pk, votes=votes, **kwargs)


def test_an_adopted_vote_keeps_the_figures_it_was_taken_with(council, meeting, coordinator):
    sheet(council, meeting, present=12, proxies=2)
    decision = decide(meeting, Votes(14, 9, 3, 2), actor=coordinator)
    assert (
        decision.in_office,
        decision.quorum_required,
        decision.present,
        decision.represented,
    ) == (
        20,
        10,
        12,
        2,
    )
    assert decision.outcome == "adopted" and decision.majority_base == "cast"
    assert decision.title == "Avis sur le portail des démarches"
    assert decision.result_sentence == "Adoptée : 9 pour, 3 contre, 2 abstentions (14 votants)."
    entry = AuditEntry.objects.get(action="decision.recorded")
    assert entry.data["votes"] == [14, 9, 3, 2] and entry.actor == coordinator
    # The rules change later; the decision keeps the rule it was taken under.
    Rules.for_call(council.call).update(majority_base="present")
    assert Decision.objects.get(pk=decision.pk).majority_base == "cast"


def test_a_vote_without_quorum_is_refused_and_nothing_is_saved(council, meeting):
    sheet(council, meeting, present=9, proxies=3)
    with pytest.raises(MeetingError) as info:
        decide(meeting, Votes(12, 10, 1, 1))
    assert info.value.message == (
        "Quorum non atteint : 9 membres présents sur 20 en exercice, il en faut 10 (au moins la "
        "moitié des membres en exercice). Le conseil ne peut pas décider ; il peut être convoqué à "
        "nouveau."
    )
    assert not Decision.objects.exists()
    assert not AuditEntry.objects.filter(action="decision.recorded").exists()
    # The same sheet has quorum when the rules count proxies.
    Rules.for_call(council.call).update(quorum_counts_proxies=True)
    assert decide(meeting, Votes(12, 10, 1, 1)).adopted


def test_quorum_is_checked_at_the_vote_when_members_left(council, meeting):
    sheet(council, meeting, present=11)
    with pytest.raises(MeetingError, match="Quorum non atteint : 9 membres présents"):
        decide(meeting, Votes(9, 9, 0, 0), present=9)


def test_figures_above_the_sheet_are_refused(council, meeting):
    sheet(council, meeting, present=12, proxies=1)
    with pytest.raises(MeetingError) as info:
        decide(meeting, Votes(13, 13, 0, 0), present=13)
    assert info.value.message == (
        "13 présents au vote, mais la feuille de présence n'en compte que 12 (12 sur place, 0 à "
        "distance)."
    )
    with pytest.raises(MeetingError, match="ne compte que 1 procuration"):
        decide(meeting, Votes(13, 13, 0, 0), represented=2)
    with pytest.raises(VoteError) as info:
        decide(meeting, Votes(14, 13, 1, 0))
    assert info.value.message.startswith("14 votants pour 13 membres présents ou représentés")
    with pytest.raises(
        VoteError, match=r"Pour \(8\) \+ contre \(3\) \+ abstentions \(1\) = 12, mais 13 votants"
    ):
        decide(meeting, Votes(13, 8, 3, 1))
    assert not Decision.objects.exists()


def test_a_tie_is_decided_by_the_chair_and_consensus_needs_no_counts(council, meeting):
    sheet(council, meeting, present=14)
    with pytest.raises(VoteError, match="Égalité des voix"):
        decide(meeting, Votes(14, 6, 6, 2))
    decision = decide(meeting, Votes(14, 6, 6, 2), casting_vote="for")
    assert decision.adopted
    assert decision.result_sentence.endswith("voix prépondérante du président de séance pour.")
    consensus = decide(meeting)
    assert (consensus.method, consensus.outcome, consensus.voters) == ("consensus", "adopted", None)
    assert consensus.result_sentence == "Adoptée par consensus."


def test_decisions_only_on_an_item_for_decision_of_a_started_plenary(council, meeting):
    with pytest.raises(MeetingError, match="n'a pas encore commencé"):
        record_decision(
            meeting_id=meeting.pk,
            agenda_item_id=item(meeting).pk,
            method="consensus",
            now=at(2025, 10, 6, 17),
        )
    sheet(council, meeting, present=12)
    with pytest.raises(MeetingError) as info:
        decide(meeting, agenda_item_id=item(meeting, "information").pk)
    assert info.value.message == (
        "Le point « Point d'information » est inscrit pour information : le conseil ne décide que sur "
        "un point soumis à décision."
    )
    other = plenary(council, at(2025, 11, 6), now=at(2025, 10, 1), convened=False)
    with pytest.raises(MeetingError, match="n'est pas à l'ordre du jour de cette réunion"):
        decide(meeting, agenda_item_id=other.agenda_items.get().pk)
    group = create_working_group(
        call_id=council.call.pk, name="GT", member_ids=[council.members[0].pk], now=at(2025, 9, 1)
    )
    workshop = plan_meeting(
        call_id=council.call.pk,
        title="Atelier",
        kind=Meeting.Kind.WORKING_GROUP,
        working_group_id=group.pk,
        starts_at=at(2025, 10, 8),
        place="Médiathèque",
        now=at(2025, 9, 10),
    )
    AgendaItem.objects.create(meeting=workshop, order=1, title="Vote", kind="decision")
    with pytest.raises(MeetingError, match="Seule une séance plénière prend des décisions"):
        record_decision(
            meeting_id=workshop.pk,
            agenda_item_id=workshop.agenda_items.get().pk,
            method="consensus",
            now=at(2025, 10, 8, 19),
        )


def test_a_second_convocation_decides_without_quorum(council, meeting):
    hold(meeting, everyone=council.members, absent=council.members[6:])
    with pytest.raises(MeetingError, match="Quorum non atteint"):
        decide(meeting, Votes(6, 6, 0, 0))
    second = plenary(
        council,
        at(2025, 10, 27),
        items=ITEMS,
        now=at(2025, 10, 7),
        second_convocation_of_id=meeting.pk,
    )
    hold(second, everyone=council.members, excused=council.members[5:])
    decision = decide(second, Votes(5, 4, 1, 0))
    assert decision.adopted and decision.quorum_required == 0
    with pytest.raises(MeetingError, match="déjà une seconde convocation"):
        plan_meeting(
            call_id=council.call.pk,
            title="Encore",
            starts_at=at(2025, 11, 27),
            place="Hôtel de ville",
            second_convocation_of_id=meeting.pk,
            now=at(2025, 10, 28),
        )
    with pytest.raises(MeetingError, match="avait son quorum"):
        third = plenary(council, at(2025, 12, 1), items=ITEMS, now=at(2025, 10, 28))
        hold(third, everyone=council.members)
        plan_meeting(
            call_id=council.call.pk,
            title="Encore",
            starts_at=at(2025, 12, 27),
            place="Hôtel de ville",
            second_convocation_of_id=third.pk,
            now=at(2025, 12, 2),
        )


def test_the_same_sheet_submitted_twice_is_stored_once(council, meeting):
    sheet(council, meeting, present=12)
    first = decide(meeting, Votes(12, 8, 2, 2))
    assert decide(meeting, Votes(12, 8, 2, 2)) == first
    # Another vote on the same item (an amendment) has other figures or another title.
    amendment = decide(meeting, Votes(12, 8, 2, 2), title="Amendement n° 1")
    assert amendment != first
    assert Decision.objects.count() == 2
    assert AuditEntry.objects.filter(action="decision.recorded").count() == 2
