"""The council's rating of the City's answers (the « response to the response »), adopted by a decision."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import adopt_at, during, portal_opinion, sent_opinion, voting_meeting
from tirage.audit.services import history
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Decision
from tirage.meetings.voting import Votes
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Rating
from tirage.opinions.services.answers import AnswerLine, RatingLine, rate_answers, record_answers


@pytest.fixture
def answered(council):
    opinion = sent_opinion(council)
    response = record_answers(
        opinion_id=opinion.pk,
        received_on=dt.date(2026, 1, 15),
        lines=[
            AnswerLine("accepted", number=1, service="Mairies de quartier"),
            AnswerLine("rejected", number=2, reasons="Trop coûteux."),
        ],
        now=at(2026, 1, 16),
    )
    return opinion, {a.recommendation.number: a for a in response.answers.all()}


MOST = Votes(18, 12, 4, 2)


def rate(opinion, meeting, lines, votes=MOST, **kw):
    return rate_answers(
        opinion_id=opinion.pk,
        meeting_id=meeting.pk,
        agenda_item_id=meeting.agenda_items.get().pk,
        method="vote" if votes else "consensus",
        votes=votes,
        ratings=lines,
        now=during(meeting),
        **kw,
    )


def test_a_rating_sheet_adopted_by_vote_rates_each_answer(council, answered, coordinator):
    opinion, answers = answered
    meeting = voting_meeting(council, at(2026, 2, 2), title="Réponse de la Ville", absent=2)
    lines = [
        RatingLine(answers[1].pk, "satisfying", "Engagement clair."),
        RatingLine(answers[2].pk, "unsatisfying", "Aucun chiffrage n'est donné."),
    ]
    decision = rate(opinion, meeting, lines, actor=coordinator)
    assert decision.adopted and decision.title == (
        "Évaluation de la réponse de la Ville — Avis n° 1 « Portail des démarches en ligne »"
    )
    assert [(r.answer.recommendation.number, r.verdict) for r in Rating.objects.all()] == [
        (1, "satisfying"),
        (2, "unsatisfying"),
    ]
    assert rate(opinion, meeting, lines) == decision  # the same sheet twice: rated once
    assert (
        Rating.objects.count() == 2
        and Decision.objects.filter(title__startswith="Éval").count() == 1
    )
    entry = history(opinion).get(action="answer.rated")
    assert entry.data["ratings"] == [[1, "satisfying"], [2, "unsatisfying"]]
    assert entry.actor == coordinator


def test_a_rejected_rating_rates_nothing_and_bad_lines_are_listed(council, answered):
    opinion, answers = answered
    meeting = voting_meeting(council, at(2026, 2, 2), title="Réponse de la Ville")
    other = sent_opinion(council, sent_on=dt.date(2025, 11, 12))
    foreign = record_answers(
        opinion_id=other.pk,
        received_on=dt.date(2026, 1, 20),
        lines=[AnswerLine("rejected", number=1, reasons="Non")],
        now=at(2026, 1, 21),
    ).answers.get()
    with pytest.raises(OpinionError) as info:
        rate(
            opinion,
            meeting,
            [
                RatingLine(answers[1].pk, "great"),
                RatingLine(foreign.pk, "satisfying"),
                RatingLine(answers[1].pk, "satisfying"),
            ],
        )
    assert info.value.errors == [
        "Ligne 1 (recommandation n° 1) : appréciation inconnue « great » (satisfaisante, en partie "
        "satisfaisante, pas satisfaisante).",
        "Ligne 2 : cette réponse n'est pas une réponse de la Ville à Avis n° 1 « Portail des "
        "démarches en ligne ».",
        "Ligne 3 (recommandation n° 1) : cette réponse figure deux fois.",
    ]
    decision = rate(opinion, meeting, [RatingLine(answers[1].pk, "partly")], Votes(20, 5, 12, 3))
    assert not decision.adopted and not Rating.objects.exists()
    again = rate(opinion, meeting, [RatingLine(answers[1].pk, "partly")], Votes(20, 5, 12, 3))
    assert again == decision
    assert history(opinion).filter(action="answer.rating_rejected").count() == 1


def test_ratings_need_quorum_and_come_after_the_answer(council, answered):
    opinion, answers = answered
    empty = voting_meeting(council, at(2026, 2, 2), title="Réponse", absent=12)
    with pytest.raises(MeetingError, match="Quorum non atteint : 8 membres présents"):
        rate(opinion, empty, [RatingLine(answers[1].pk, "satisfying")], Votes(8, 8, 0, 0))
    early = voting_meeting(council, at(2026, 1, 12), title="Avant la réponse")
    with pytest.raises(
        OpinionError,
        match="la réponse est arrivée le 15 janvier 2026, après la réunion du 12 janvier 2026",
    ):
        rate(opinion, early, [RatingLine(answers[1].pk, "satisfying")])
    assert not Rating.objects.exists()
    meeting = voting_meeting(council, at(2026, 3, 2), title="Réponse")
    rate(opinion, meeting, [RatingLine(answers[1].pk, "satisfying")], votes=None)
    with pytest.raises(OpinionError, match="a déjà été évaluée le 2 mars 2026"):
        rate(opinion, meeting, [RatingLine(answers[1].pk, "partly")], votes=Votes(20, 20, 0, 0))


def test_an_item_that_adopted_another_text_cannot_rate(council, answered):
    opinion, answers = answered
    meeting = voting_meeting(council, at(2026, 2, 2), title="Avis sur le wifi", absent=2)
    adopt_at(portal_opinion(council, title="Wifi public"), meeting)
    with pytest.raises(OpinionError) as refused:
        rate(opinion, meeting, [RatingLine(answers[1].pk, "satisfying", "")])
    assert refused.value.field == "agenda_item"
    assert refused.value.message.startswith(
        "Le point « Avis sur le wifi » de la séance du 2 février 2026 a déjà été décidé pour un "
        "autre texte (Adoption de l'avis « Wifi public » (version 1))"
    )
    assert not Rating.objects.exists()
    assert Decision.objects.count() == 2  # the portal's adoption and the wifi's
