"""Adoption of an opinion through the council's one vote mechanism; versions never edited once voted."""

import pytest

from tests.meetings.helpers import at, plenary
from tests.opinions.helpers import (
    RECOMMENDATIONS,
    adopt_at,
    portal_consultation,
    portal_opinion,
    voting_meeting,
)
from tirage.audit.models import AuditEntry
from tirage.audit.services import history
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Decision, Rules
from tirage.meetings.voting import VoteError, Votes
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Opinion, OpinionVersion
from tirage.opinions.services.opinions import discard_draft, new_version, voting_sheet


def nothing_adopted(opinion):
    opinion.refresh_from_db()
    assert opinion.state == "draft" and opinion.number is None
    assert opinion.versions.get().state == "draft"
    assert not Decision.objects.exists()
    assert not AuditEntry.objects.filter(
        action__in=["opinion.adopted", "opinion.rejected"]
    ).exists()


def test_an_opinion_adopted_by_vote_gets_its_number_and_keeps_the_vote(council, coordinator):
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2)
    decision = adopt_at(opinion, meeting, Votes(18, 15, 2, 1), actor=coordinator)
    opinion.refresh_from_db()
    assert decision.adopted and decision.title == (
        "Adoption de l'avis « Portail des démarches en ligne » (version 1)"
    )
    assert (decision.in_office, decision.present, decision.quorum_required) == (20, 18, 10)
    assert (opinion.state, opinion.number, opinion.label) == ("adopted", 1, "Avis n° 1")
    version = opinion.current_version()
    assert version.decision == decision and version.voted_on == meeting.day
    assert [r.text for r in version.recommendations.all()] == RECOMMENDATIONS
    entry = history(opinion).get(action="opinion.adopted")
    assert entry.actor == coordinator
    assert entry.data["result"] == "Adoptée : 15 pour, 2 contre, 1 abstention (18 votants)."


def test_votes_exceeding_the_members_present_are_refused(council):
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2)
    with pytest.raises(VoteError) as info:
        adopt_at(opinion, meeting, Votes(19, 15, 3, 1))
    assert info.value.message == (
        "19 votants pour 18 membres présents ou représentés (18 présents + 0 procuration) : 1 de "
        "trop."
    )
    with pytest.raises(MeetingError, match="19 présents au vote, mais la feuille de présence"):
        adopt_at(opinion, meeting, Votes(18, 15, 3, 0), present=19)
    nothing_adopted(opinion)


def test_for_against_and_abstentions_must_add_up_to_the_voters(council):
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2)
    with pytest.raises(VoteError) as info:
        adopt_at(opinion, meeting, Votes(18, 15, 2, 2))
    assert info.value.message == (
        "Pour (15) + contre (2) + abstentions (2) = 19, mais 18 votants : 1 voix de trop."
    )
    assert info.value.field == "voters"
    nothing_adopted(opinion)


def test_without_quorum_no_adoption_and_the_quorum_follows_the_rules(council):
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3), absent=11)
    with pytest.raises(MeetingError) as info:
        adopt_at(opinion, meeting, Votes(9, 9, 0, 0))
    assert info.value.message == (
        "Quorum non atteint : 9 membres présents sur 20 en exercice, il en faut 10 (au moins la "
        "moitié des membres en exercice). Le conseil ne peut pas décider ; il peut être convoqué à "
        "nouveau."
    )
    nothing_adopted(opinion)
    # A council whose rules ask a third of the members decides with the same nine.
    Rules.for_call(council.call).update(quorum_denominator=3)
    decision = adopt_at(opinion, meeting, Votes(9, 9, 0, 0))
    assert decision.adopted and decision.quorum_required == 7


def test_the_majority_follows_the_rules(council):
    # 8 for, 6 against, 4 abstentions out of 18 present.
    first = portal_opinion(council, title="Avis A")
    second = portal_opinion(council, title="Avis B")
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2, items=2)
    assert adopt_at(first, meeting, Votes(18, 8, 6, 4)).adopted  # majority of votes cast
    Rules.for_call(council.call).update(majority_base="present")
    decision = adopt_at(second, meeting, Votes(18, 8, 6, 4), item=2)  # 2 × 8 = 16 is not above 18
    assert not decision.adopted
    second.refresh_from_db()
    assert second.state == "draft" and second.number is None
    assert second.versions.get().state == "rejected"
    assert history(second).filter(action="opinion.rejected").count() == 1


def test_consensus_is_recorded_as_such_with_the_minority_view(council):
    opinion = portal_opinion(
        council, minority_view="Deux membres auraient voulu garder le formulaire papier partout."
    )
    meeting = voting_meeting(council, at(2025, 11, 3))
    decision = adopt_at(opinion, meeting, votes=None)
    assert (decision.method, decision.voters, decision.result_sentence) == (
        "consensus",
        None,
        "Adoptée par consensus.",
    )
    assert opinion.versions.get().minority_view.startswith("Deux membres")


def test_a_version_needs_its_easy_to_read_summary_and_a_recommendation(council):
    meeting = voting_meeting(council, at(2025, 11, 3))
    without_summary = portal_opinion(council, summary="")
    with pytest.raises(OpinionError) as info:
        adopt_at(without_summary, meeting)
    assert info.value.field == "summary"
    assert info.value.message.startswith("Version 1 : le résumé facile à lire et à comprendre")
    without_items = portal_opinion(council, recommendations=[])
    with pytest.raises(OpinionError, match="Version 1 : aucune recommandation"):
        adopt_at(without_items, meeting)
    with pytest.raises(OpinionError, match="La recommandation n° 2 est vide"):
        portal_opinion(council, recommendations=["Une", "  "])
    assert not Decision.objects.exists()


def test_an_adopted_text_is_never_edited_a_new_version_is_adopted_and_both_are_kept(council):
    opinion = portal_opinion(council)
    adopt_at(opinion, voting_meeting(council, at(2025, 11, 3)))
    first = opinion.versions.get()
    with pytest.raises(OpinionError) as info:
        first.edit(text="Texte corrigé", summary="Résumé")
    assert info.value.message == (
        "Avis n° 1, version 1, a été adoptée le 3 novembre 2025 : son texte ne change plus. "
        "Rédigez une nouvelle version et soumettez-la au vote ; les deux versions sont conservées."
    )
    first.refresh_from_db()
    assert first.text.startswith("Le conseil a recueilli")
    second = new_version(opinion_id=opinion.pk)
    assert (second.number, second.state, second.text) == (2, "draft", first.text)
    with pytest.raises(OpinionError, match="déjà une version en préparation"):
        new_version(opinion_id=opinion.pk)
    changed = second.edit(
        text="Le conseil complète son avis après la visite du service.",
        summary=first.summary,
        recommendations=[*RECOMMENDATIONS, "Former les agents d'accueil au nouveau portail."],
    )
    assert changed and not second.edit(
        text="Le conseil complète son avis après la visite du service.", summary=first.summary
    )
    decision = adopt_at(opinion, voting_meeting(council, at(2025, 12, 1)), Votes(20, 20, 0, 0))
    opinion.refresh_from_db()
    versions = list(opinion.versions.order_by("number"))
    assert [(v.number, v.state) for v in versions] == [(1, "superseded"), (2, "adopted")]
    assert opinion.number == 1 and opinion.current_version().decision == decision
    assert versions[0].recommendations.count() == 3 and versions[1].recommendations.count() == 4
    with pytest.raises(OpinionError, match="a été remplacée par une version adoptée plus tard"):
        versions[0].edit(text="x")
    assert [e.action for e in history(opinion)] == [
        "opinion.drafted",
        "opinion.adopted",
        "opinion.adopted",
    ]
    assert history(second).filter(action="opinion.version_edited").count() == 1


def test_a_draft_version_can_be_discarded_but_not_the_first(council):
    opinion = portal_opinion(council)
    with pytest.raises(OpinionError, match="La première version ne s'abandonne pas"):
        discard_draft(opinion_id=opinion.pk)
    adopt_at(opinion, voting_meeting(council, at(2025, 11, 3)))
    new_version(opinion_id=opinion.pk)
    discard_draft(opinion_id=opinion.pk)
    assert list(opinion.versions.values_list("number", "state")) == [(1, "adopted")]
    assert history(opinion).filter(action="opinion.version_discarded").count() == 1


def test_the_same_voting_sheet_submitted_twice_adopts_once(council):
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3))
    first = adopt_at(opinion, meeting, Votes(20, 17, 2, 1))
    assert adopt_at(opinion, meeting, Votes(20, 17, 2, 1)) == first
    assert Decision.objects.count() == 1
    assert history(opinion).filter(action="opinion.adopted").count() == 1
    with pytest.raises(OpinionError, match="n'a pas de version en préparation"):
        adopt_at(opinion, meeting, Votes(20, 18, 1, 1))


def test_opinions_are_numbered_in_the_order_of_their_adoption(council):
    meeting = voting_meeting(council, at(2025, 11, 3), items=2)
    late_draft = portal_opinion(council, title="Guichets numériques")
    early_draft = portal_opinion(council, title="Portail")
    adopt_at(early_draft, meeting)
    adopt_at(late_draft, meeting, item=2)
    assert list(Opinion.objects.order_by("number").values_list("title", "number")) == [
        ("Portail", 1),
        ("Guichets numériques", 2),
    ]
    assert OpinionVersion.objects.filter(state="adopted").count() == 2


def test_the_voting_sheet_says_what_is_voted_and_the_rules_of_the_vote(council):
    opinion = portal_opinion(council)
    meeting = plenary(council, at(2025, 11, 3), items=(("Avis sur le portail", "decision"),))
    item = meeting.agenda_items.get()
    sheet = voting_sheet(opinion_id=opinion.pk, meeting_id=meeting.pk, agenda_item_id=item.pk)
    assert sheet.decision_title == (
        "Adoption de l'avis « Portail des démarches en ligne » (version 1)"
    )
    assert [n for n, _ in sheet.recommendations] == [1, 2, 3]
    assert (sheet.in_office, sheet.quorum_required) == (20, 10)
    assert sheet.quorum_rule == "au moins la moitié des membres en exercice"
    assert sheet.majority_rule.startswith("majorité des suffrages exprimés")
    assert "Abstentions" in sheet.boxes and sheet.casting_vote
    Rules.for_call(council.call).update(quorum_more_than=True)
    sheet = voting_sheet(opinion_id=opinion.pk, meeting_id=meeting.pk, agenda_item_id=item.pk)
    assert sheet.quorum_required == 11
    other = plenary(council, at(2025, 12, 1), convened=False)
    with pytest.raises(OpinionError, match="n'est pas à l'ordre du jour"):
        voting_sheet(
            opinion_id=opinion.pk,
            meeting_id=meeting.pk,
            agenda_item_id=other.agenda_items.get().pk,
        )


def test_an_opinion_is_not_adopted_at_a_meeting_held_before_its_consultation_opened(council):
    """The demo let staff record the adoption of a December opinion at a June plenary."""
    earlier = voting_meeting(council, at(2025, 9, 8))
    consultation = portal_consultation(council)  # opened on 15 September 2025
    opinion = portal_opinion(council, consultation)
    with pytest.raises(OpinionError) as info:
        adopt_at(opinion, earlier)
    assert info.value.message == (
        "La séance du 8 septembre 2025 a eu lieu avant l'ouverture de la consultation « Portail "
        "des démarches en ligne » (le 15 septembre 2025) : il n'a pas pu y être adopté. Choisissez "
        "la séance où le conseil a voté."
    )
    nothing_adopted(opinion)
