"""The City's answers per recommendation: all or nothing, every wrong line named; members told once per answer."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import portal_opinion, sent_opinion
from tirage.applications.models import Application
from tirage.audit.models import AuditEntry
from tirage.audit.services import history
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Answer, AnswerNotice, CityResponse, Commitment
from tirage.opinions.services.answers import (
    AnswerLine,
    answer_notices,
    latest_answers,
    mark_notices_delivered,
    notify_members,
    record_answers,
)

RECEIVED = dt.date(2026, 1, 15)


@pytest.fixture
def opinion(council):
    return sent_opinion(council)


def answer(opinion, lines, **kwargs):
    values = dict(
        opinion_id=opinion.pk,
        received_on=RECEIVED,
        reference="Courrier du maire n° 2026-014",
        lines=lines,
        now=at(2026, 1, 16, 9),
    )
    values.update(kwargs)
    return record_answers(**values)


FULL = [
    AnswerLine(
        "accepted",
        number=1,
        service="Mairies de quartier",
        commitment="Un agent d'accueil pour les démarches dans chaque mairie de quartier.",
        due_on=dt.date(2026, 9, 1),
    ),
    AnswerLine(
        "partly",
        number=2,
        reasons="Audit RGAA à l'ouverture, conformité totale l'an prochain.",
        service="Direction du numérique",
    ),
    AnswerLine("rejected", number=3, reasons="Les guichets ne comptent pas les démarches."),
]


def test_a_response_answers_each_recommendation_and_accepted_ones_become_commitments(
    council, opinion, coordinator
):
    response = answer(opinion, FULL, actor=coordinator)
    statuses = [(a.recommendation.number, a.status) for a in response.answers.all()]
    assert statuses == [(1, "accepted"), (2, "partly"), (3, "rejected")]
    commitments = Commitment.objects.order_by("recommendation__number")
    assert [(c.recommendation.number, c.service, c.due_on) for c in commitments] == [
        (1, "Mairies de quartier", dt.date(2026, 9, 1)),
        (2, "Direction du numérique", None),
    ]
    assert commitments[0].description.startswith("Un agent d'accueil")
    assert commitments[1].description.startswith("Audit RGAA")  # the reasons, by default
    entry = history(response).get(action="answer.recorded")
    assert entry.actor == coordinator
    assert entry.data["answers"] == [[1, "accepted"], [2, "partly"], [3, "rejected"]]
    assert entry.data["complete"] is True
    assert AuditEntry.objects.filter(action="commitment.created").count() == 2


def test_an_answer_to_a_recommendation_that_does_not_exist_or_of_another_opinion_is_refused(
    council, opinion
):
    other = sent_opinion(council, sent_on=dt.date(2025, 11, 12))
    foreign = other.sent_version.recommendations.get(number=2)
    draft = portal_opinion(council, title="Brouillon")
    with pytest.raises(OpinionError) as info:
        answer(
            opinion,
            [
                AnswerLine("accepted", number=1, service="Mairies"),
                AnswerLine("accepted", number=7, service="Mairies"),
                AnswerLine("rejected", recommendation_id=foreign.pk, reasons="Non"),
                AnswerLine("rejected", recommendation_id=999_999, reasons="Non"),
                AnswerLine(
                    "rejected",
                    recommendation_id=draft.versions.get().recommendations.get(number=1).pk,
                    reasons="Non",
                ),
                AnswerLine("accepted", number=1, service="Mairies"),
            ],
        )
    assert info.value.errors == [
        "Ligne 2 : la recommandation n° 7 n'existe pas — Avis n° 1 « Portail des démarches en "
        "ligne » en compte 3 (n° 1 à 3).",
        "Ligne 3 : la recommandation n° 2 est celle de Avis n° 2 « Portail des démarches en "
        "ligne », pas de Avis n° 1 « Portail des démarches en ligne ».",
        "Ligne 4 : la recommandation demandée n'existe pas (identifiant 999999) — Avis n° 1 "
        "« Portail des démarches en ligne » en compte 3.",
        "Ligne 5 : la recommandation n° 1 est celle de Projet d'avis « Brouillon », pas de Avis n° 1 "
        "« Portail des démarches en ligne ».",
        "Ligne 6 (recommandation n° 1) : déjà répondue à la ligne 1.",
    ]
    assert info.value.field == "lines"
    assert not CityResponse.objects.exists() and not Answer.objects.exists()
    assert not AnswerNotice.objects.exists()


def test_reasons_and_services_are_required_where_the_answer_needs_them(opinion):
    with pytest.raises(OpinionError) as info:
        answer(
            opinion,
            [
                AnswerLine("accepted", number=1),
                AnswerLine("deferred", number=2),
                AnswerLine("rejected", number=3, reasons="Non", due_on=dt.date(2026, 6, 1)),
            ],
        )
    assert info.value.errors == [
        "Ligne 1 (recommandation n° 1), acceptée : indiquez le service de la Ville en charge.",
        "Ligne 2 (recommandation n° 2), reportée : indiquez les motifs donnés par la Ville.",
        "Ligne 3 (recommandation n° 3), refusée : seule une recommandation acceptée (même en "
        "partie) donne un engagement, avec une échéance.",
    ]
    with pytest.raises(OpinionError, match=r"l'échéance \(1er janvier 2026\) précède la réponse"):
        answer(opinion, [AnswerLine("accepted", number=1, service="M", due_on=dt.date(2026, 1, 1))])
    with pytest.raises(OpinionError, match="ne peut précéder l'envoi de l'avis à la Ville"):
        answer(opinion, FULL, received_on=dt.date(2025, 11, 9))
    with pytest.raises(OpinionError, match="est dans le futur"):
        answer(opinion, FULL, received_on=dt.date(2026, 1, 17))
    assert not CityResponse.objects.exists()


def test_an_opinion_not_sent_has_no_answer(council):
    draft = portal_opinion(council)
    with pytest.raises(OpinionError, match="n'a pas été transmis à la Ville : il n'attend pas"):
        answer(draft, FULL)


def test_members_are_notified_once_per_answer_by_letter_and_by_email_when_they_have_one(
    council, opinion
):
    without_email = council.members[0]
    Application.objects.filter(pk=without_email.application_id).update(email="")
    with_email = sum(1 for m in council.members[1:] if m.application.email)
    assert with_email == 19
    response = answer(opinion, FULL)
    notices = AnswerNotice.objects.filter(response=response)
    assert notices.filter(channel="letter").count() == 20
    assert notices.filter(channel="email").count() == with_email
    assert not notices.filter(member=without_email, channel="email").exists()
    # The same sheet typed twice: the same response, nobody told twice.
    assert answer(opinion, FULL) == response
    assert notify_members(response_id=response.pk, now=at(2026, 1, 17)) == 0
    (notified,) = history(response).filter(action="answer.notified")
    assert notified.data == {"letters": 20, "emails": with_email}
    assert AnswerNotice.objects.count() == 20 + with_email
    # A later answer (a deferred recommendation decided) is a new notice for everyone.
    later = answer(
        opinion,
        [AnswerLine("accepted", number=3, service="Mairies de quartier")],
        received_on=dt.date(2026, 3, 2),
        reference="Courrier n° 2026-051",
        now=at(2026, 3, 3),
    )
    assert AnswerNotice.objects.filter(response=later).count() == 20 + with_email
    assert latest_answers(opinion)[3].status == "accepted"
    assert Commitment.objects.filter(recommendation__number=3).exists()


def test_notices_are_plain_data_for_the_letters_and_delivered_once(council, opinion):
    response = answer(opinion, FULL)
    data = answer_notices(response_id=response.pk)
    assert len(data) == AnswerNotice.objects.count()
    first = data[0]
    assert first.opinion_label == "Avis n° 1" and first.received_on == RECEIVED
    assert [(line.number, line.status) for line in first.lines] == [
        (1, "acceptée"),
        (2, "acceptée en partie"),
        (3, "refusée"),
    ]
    assert first.clock.startswith("Réponse reçue le 15 janvier 2026, dans le délai")
    ids = [n.notice_id for n in data[:5]]
    assert mark_notices_delivered(notice_ids=ids) == 5
    assert mark_notices_delivered(notice_ids=ids) == 0
    assert len(answer_notices(response_id=response.pk)) == len(data) - 5
    assert len(answer_notices(response_id=response.pk, only_undelivered=False)) == len(data)
