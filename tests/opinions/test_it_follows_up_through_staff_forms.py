"""After the answer: commitments' progress and the council's rating typed by staff, refused with French messages when wrong."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import sent_opinion, voting_meeting
from tirage.opinions.models import Commitment, CommitmentUpdate, Rating
from tirage.opinions.services.answers import AnswerLine, record_answers


@pytest.fixture
def answered(council, coordinator, client):
    opinion = sent_opinion(council)
    record_answers(
        opinion_id=opinion.pk,
        received_on=dt.date(2026, 1, 15),
        lines=[
            AnswerLine(status="accepted", number=1, service="Relation aux usagers"),
            AnswerLine(status="rejected", number=2, reasons="Pas de budget cette année."),
            AnswerLine(status="deferred", number=3, reasons="Décision au budget 2027."),
        ],
        now=at(2026, 1, 15, 12),
    )
    client.force_login(coordinator)
    return opinion


def test_progress_outside_0_100_is_refused_on_its_field(client, answered):
    commitment = Commitment.objects.get()
    url = f"/gestion/avis/engagements/{commitment.pk}/"
    data = {"on": "2026-03-01", "progress": "120", "text": "Maquettes testées."}
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["progress"]
    assert "100" in response.context["form"].errors["progress"][0]
    assert not CommitmentUpdate.objects.exists()
    response = client.post(
        url, {**data, "progress": "40", "links": "Compte rendu | https://www.ville-roubaix.fr/cr"}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.progress == 40
    assert commitment.updates.get().links == [
        {"title": "Compte rendu", "url": "https://www.ville-roubaix.fr/cr"}
    ]


def test_the_council_rates_the_answers_in_a_meeting(client, answered, council):
    meeting = voting_meeting(council, at(2026, 2, 2), title="Appréciation de la réponse")
    item = meeting.agenda_items.get()
    answers = {a.recommendation.number: a for a in answered.responses.get().answers.all()}
    data = {
        "item": item.pk,
        "method": "vote",
        "voters": "20",
        "votes_for": "17",
        "votes_against": "2",
        "abstentions": "2",
        f"verdict_{answers[1].pk}": "satisfying",
        f"verdict_{answers[2].pk}": "unsatisfying",
        f"comment_{answers[2].pk}": "Le conseil demande un calendrier.",
    }
    url = f"/gestion/avis/{answered.pk}/appreciation/"
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["voters"] == [
        "Pour (17) + contre (2) + abstentions (2) = 21, mais 20 votants : 1 voix de trop."
    ]
    assert not Rating.objects.exists()
    response = client.post(url, {**data, "abstentions": "1"})
    assert response.status_code == 302
    ratings = {r.answer.recommendation.number: r for r in Rating.objects.all()}
    assert sorted(ratings) == [1, 2]
    assert ratings[2].verdict == "unsatisfying"
    assert ratings[2].comment == "Le conseil demande un calendrier."
