"""Members' evaluations of a service for a month."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.aftermath import AFTER_DRAW
from tests.council.helpers import install_all
from tirage.audit.models import AuditEntry
from tirage.opendata import services
from tirage.opendata.models import DigitalService, Evaluation

pytestmark = pytest.mark.django_db
START = dt.date(2025, 7, 1)
TODAY = dt.date(2026, 2, 10)


@pytest.fixture
def member(drawn):
    return install_all(drawn, now=AFTER_DRAW, start=START)[0]


@pytest.fixture
def service(db):
    return DigitalService.objects.create(slug="portail", name="Portail", kind="demarche")


def _record(member, service, **overrides):
    values = dict(
        member_id=member.pk,
        service_id=service.pk,
        period=dt.date(2026, 1, 20),
        rating=4,
        text="Rapide, mais pas de confirmation par SMS.",
        today=TODAY,
    )
    values.update(overrides)
    return services.record_evaluation(**values)


def test_an_evaluation_is_stored_for_the_month_and_audited(member, service):
    evaluation = _record(member, service, source=services.Source.PAPER)
    assert (evaluation.period, evaluation.rating, evaluation.call_id) == (
        dt.date(2026, 1, 1),
        4,
        member.call_id,
    )
    entry = AuditEntry.objects.get(action="evaluation.recorded")
    assert entry.data == {"service": "portail", "period": "2026-01", "source": "paper"}


def test_the_same_evaluation_sent_twice_is_stored_once(member, service):
    first = _record(member, service)
    assert _record(member, service).pk == first.pk
    assert Evaluation.objects.count() == 1
    with pytest.raises(services.OpendataError) as caught:
        _record(member, service, rating=2)
    assert str(caught.value).startswith(
        "Une évaluation de « Portail » pour janvier 2026 existe déjà (note 4/5, le "
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": 6}, "La note doit être un nombre entier de 1 à 5 (reçu : 6)."),
        ({"rating": 0}, "La note doit être un nombre entier de 1 à 5 (reçu : 0)."),
        ({"text": "   "}, "Écrivez votre évaluation en quelques mots."),
        (
            {"period": dt.date(2026, 3, 1)},
            "On ne peut pas évaluer mars 2026 : ce mois n'est pas commencé.",
        ),
        (
            {"period": dt.date(1901, 1, 1)},
            "On ne peut pas évaluer janvier 1901 : ce mois est trop ancien (vérifiez l'année).",
        ),
        ({"today": dt.date(2027, 7, 1)}, "Seul un membre en fonction peut évaluer un service."),
    ],
)
def test_bad_evaluations_are_refused_in_french(member, service, overrides, message):
    with pytest.raises(services.OpendataError) as caught:
        _record(member, service, **overrides)
    assert str(caught.value) == message
    assert Evaluation.objects.count() == 0
