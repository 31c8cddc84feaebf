"""The vote on an opinion typed from the paper sheet: arithmetic and quorum from the council's settings, refused with the exact French message and nothing saved."""

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import portal_opinion, voting_meeting
from tirage.audit.models import AuditEntry
from tirage.meetings.models import Decision, Rules
from tirage.opinions.models import Opinion, OpinionVersion


@pytest.fixture
def ballot(council, coordinator, client):
    """A draft opinion and a held plenary (18 of 20 members present), the coordinator signed in."""
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2)
    client.force_login(coordinator)
    return opinion, meeting.agenda_items.get()


def vote(client, opinion, item, **figures):
    data = {"item": item.pk, "method": "vote", "note": "", "casting_vote": ""}
    data.update({k: str(v) for k, v in figures.items()})
    return client.post(f"/gestion/avis/{opinion.pk}/vote/", data)


def errors(response) -> list[str]:
    return [e for errs in response.context["form"].errors.values() for e in errs]


def assert_nothing_saved(opinion):
    assert not Decision.objects.exists()
    version = opinion.versions.get()
    assert version.state == OpinionVersion.State.DRAFT and version.minority_view == ""
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.DRAFT and opinion.number is None
    assert not AuditEntry.objects.filter(
        action__in=["decision.recorded", "opinion.adopted", "opinion.version_edited"]
    ).exists()


def test_more_voters_than_members_present_is_refused_with_the_figures(client, ballot):
    opinion, item = ballot
    response = vote(
        client, opinion, item, present=18, voters=20, votes_for=15, votes_against=3, abstentions=2,
        minority_view="Deux membres auraient voulu aller plus loin.",
    )  # fmt: skip
    assert response.status_code == 400
    assert errors(response) == [
        "20 votants pour 18 membres présents ou représentés (18 présents + 0 procuration) : 2 de trop."
    ]
    assert "20 votants pour 18 membres" in response.content.decode()
    assert_nothing_saved(opinion)


def test_counts_that_do_not_add_up_are_refused(client, ballot):
    opinion, item = ballot
    response = vote(client, opinion, item, voters=18, votes_for=15, votes_against=2, abstentions=2)
    assert errors(response) == [
        "Pour (15) + contre (2) + abstentions (2) = 19, mais 18 votants : 1 voix de trop."
    ]
    assert response.context["form"].errors["voters"]  # on the field to fix
    assert_nothing_saved(opinion)


def test_more_present_than_the_sign_in_sheet_is_refused(client, ballot):
    opinion, item = ballot
    response = vote(
        client, opinion, item, present=19, voters=19, votes_for=19, votes_against=0, abstentions=0
    )
    assert errors(response) == [
        "19 présents au vote, mais la feuille de présence n'en compte que 18 (18 sur place, 0 à "
        "distance)."
    ]
    assert_nothing_saved(opinion)


def test_without_quorum_from_the_settings_the_council_cannot_decide(client, ballot, council):
    opinion, item = ballot
    # Half of the 20 members in office by default: 10 present is enough…
    response = vote(
        client, opinion, item, present=9, voters=9, votes_for=9, votes_against=0, abstentions=0
    )
    assert errors(response) == [
        "Quorum non atteint : 9 membres présents sur 20 en exercice, il en faut 10 (au moins la moitié des "
        "membres en exercice). Le conseil ne peut pas décider ; il peut être convoqué à nouveau."
    ]
    assert_nothing_saved(opinion)
    # …and with a two-thirds quorum in the settings, 12 present is not.
    Rules.for_call(council.call).update(quorum_numerator=2, quorum_denominator=3)
    response = vote(
        client, opinion, item, present=12, voters=12, votes_for=12, votes_against=0, abstentions=0
    )
    assert errors(response)[0].startswith(
        "Quorum non atteint : 12 membres présents sur 20 en exercice, il en faut 14"
    )
    assert_nothing_saved(opinion)


def test_a_right_vote_adopts_the_opinion_with_its_minority_view(client, ballot):
    opinion, item = ballot
    response = vote(
        client, opinion, item, voters=18, votes_for=15, votes_against=2, abstentions=1,
        minority_view="Deux membres auraient voulu aller plus loin.",
    )  # fmt: skip
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ADOPTED and opinion.label == "Avis n° 1"
    version = opinion.current_version()
    assert version.minority_view == "Deux membres auraient voulu aller plus loin."
    assert version.decision.result_sentence == (
        "Adoptée : 15 pour, 2 contre, 1 abstention (18 votants)."
    )
    # The same sheet submitted twice is stored once.
    vote(client, opinion, item, voters=18, votes_for=15, votes_against=2, abstentions=1)
    assert Decision.objects.count() == 1


def test_consensus_is_recorded_as_such(client, ballot):
    opinion, item = ballot
    response = client.post(
        f"/gestion/avis/{opinion.pk}/vote/", {"item": item.pk, "method": "consensus"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.result_sentence == "Adoptée par consensus."
    assert decision.votes_for is None


def test_the_voting_sheet_is_a_real_tagged_pdf_with_the_rules(client, ballot):
    import io

    from pypdf import PdfReader

    opinion, item = ballot
    page = client.get(f"/gestion/avis/{opinion.pk}/vote/").content.decode()
    url = f"/gestion/avis/{opinion.pk}/vote/{item.pk}/feuille.pdf"
    assert url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert (
        "Membres en exercice : 20. Quorum : 10 (au moins la moitié des membres en exercice)."
        in text
    )
    for box in ["Votants", "Pour", "Contre", "Abstentions"]:
        assert box in text
    assert "Garder un accueil physique pour chaque démarche mise en ligne." in text
