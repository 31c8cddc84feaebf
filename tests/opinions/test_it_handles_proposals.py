"""Proposals: a member or a working group proposes at any time; adopted like an opinion, or withdrawn with a reason."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import adopt_at, portal_opinion, voting_meeting
from tirage.audit.services import history
from tirage.council.models import Member
from tirage.meetings.services.groups import create_working_group
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Opinion
from tirage.opinions.services.opinions import propose

IDEA = "Ouvrir les horaires des mairies de quartier en données ouvertes"


def member_proposal(council, member=None, **kwargs):
    values = dict(
        call_id=council.call.pk,
        title=IDEA,
        text="Les horaires changent souvent ; un fichier ouvert éviterait les déplacements inutiles.",
        summary="Mettre les horaires des mairies sur internet, dans un fichier pour tous.",
        member_id=(member or council.members[5]).pk,
        source="online",
        now=at(2025, 10, 2, 20),
    )
    values.update(kwargs)
    return propose(**values)


def test_a_member_proposes_online_once_and_it_becomes_a_council_proposal(council):
    proposal, created = member_proposal(council)
    again, created_again = member_proposal(council)
    assert created and not created_again and again == proposal
    assert Opinion.objects.count() == 1
    assert proposal.kind == "proposal" and proposal.label == "Projet de proposition"
    assert [r.text for r in proposal.versions.get().recommendations.all()] == [IDEA]
    entry = history(proposal).get(action="opinion.proposed")
    assert (
        entry.actor_label == "membre (en ligne)" and entry.data["member"] == council.members[5].pk
    )
    # An opinion adopted before does not take its number: proposals are numbered apart.
    meeting = voting_meeting(council, at(2025, 11, 3), items=2)
    adopt_at(portal_opinion(council), meeting)
    decision = adopt_at(proposal, meeting, item=2)
    proposal.refresh_from_db()
    assert decision.title == f"Adoption de la proposition « {IDEA} » (version 1)"
    assert (proposal.state, proposal.label) == ("adopted", "Proposition n° 1")


def test_a_working_group_proposes_and_only_one_proposer_is_named(council):
    group = create_working_group(
        call_id=council.call.pk,
        name="Données ouvertes",
        member_ids=[m.pk for m in council.members[:3]],
        now=at(2025, 9, 2),
    )
    proposal, _ = propose(
        call_id=council.call.pk,
        title="Un tableau de bord des démarches",
        text="…",
        working_group_id=group.pk,
        recommendations=["Publier le tableau", "Le mettre à jour chaque mois"],
        source="staff",
        now=at(2025, 10, 2),
    )
    assert proposal.working_group == group and proposal.proposed_by is None
    assert proposal.versions.get().recommendations.count() == 2
    with pytest.raises(OpinionError, match="l'un des deux"):
        propose(call_id=council.call.pk, title="x", text="x", source="staff", now=at(2025, 10, 2))
    with pytest.raises(OpinionError, match="l'un des deux"):
        member_proposal(council, working_group_id=group.pk)


def test_a_member_who_left_cannot_propose(council):
    member = council.members[6]
    Member.objects.filter(pk=member.pk).update(ended_on=dt.date(2025, 10, 1), end_reason="moved")
    with pytest.raises(OpinionError) as info:
        member_proposal(council, member=Member.objects.get(pk=member.pk))
    assert info.value.message == (
        f"{council.named(member)} n'est pas membre en exercice le 2 octobre 2025 (a quitté le "
        "conseil le 1er octobre 2025)."
    )
    assert not Opinion.objects.exists()


def test_a_proposal_is_withdrawn_with_a_public_reason_and_then_never_adopted(council, coordinator):
    proposal, _ = member_proposal(council)
    with pytest.raises(OpinionError, match="Indiquez le motif du retrait"):
        proposal.withdraw(reason=" ")
    proposal.withdraw(
        reason="La Ville publie déjà ces horaires depuis septembre.",
        actor=coordinator,
        now=at(2025, 10, 20),
    )
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"
    with pytest.raises(OpinionError, match="déjà retiré"):
        proposal.withdraw(reason="Encore")
    meeting = voting_meeting(council, at(2025, 11, 3))
    with pytest.raises(OpinionError) as info:
        adopt_at(proposal, meeting)
    assert info.value.message == (
        f"Projet de proposition « {IDEA} » a été retiré le 20 octobre 2025 (« La Ville publie déjà "
        "ces horaires depuis septembre. ») : il ne change plus."
    )
    entry = history(proposal).get(action="opinion.withdrawn")
    assert entry.reason.startswith("La Ville publie") and entry.actor == coordinator


def test_an_adopted_proposal_cannot_be_withdrawn(council):
    proposal, _ = member_proposal(council)
    adopt_at(proposal, voting_meeting(council, at(2025, 11, 3)))
    with pytest.raises(
        OpinionError, match="a été adoptée par le conseil : elle ne peut plus être retirée"
    ):
        Opinion.objects.get(pk=proposal.pk).withdraw(reason="Trop tard")
