"""An evaluation typed from paper by staff, shown on the public page without its author's
name, and turned into a draft opinion the council then votes on (opinions' pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.aftermath import AFTER_DRAW
from tests.council.helpers import install_all
from tirage.audit.models import AuditEntry
from tirage.council.dates import add_months
from tirage.opendata.models import DigitalService, Evaluation
from tirage.opinions.models import Opinion

pytestmark = pytest.mark.django_db
BASE = "/gestion/donnees-ouvertes/"


@pytest.fixture
def member(drawn):
    return install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 7, 1))[0]


@pytest.fixture
def service(db):
    return DigitalService.objects.create(slug="portail", name="Portail", kind="demarche")


def test_a_paper_evaluation_is_recorded_once_and_drafted_as_an_opinion(
    as_user, coordinator, member, service
):
    client = as_user(coordinator)
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    data = {
        "member": member.pk,
        "service": service.pk,
        "period": f"{last_month:%d/%m/%Y}",
        "rating": "2",
        "text": "Le formulaire se perd quand on revient en arrière.",
    }
    assert client.post(BASE + "evaluations/saisie/", data).status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.rating, evaluation.source, evaluation.recorded_by) == (
        2,
        "paper",
        coordinator,
    )
    # The same sheet again is stored once; a different one for the same month is refused.
    client.post(BASE + "evaluations/saisie/", data)
    response = client.post(BASE + "evaluations/saisie/", {**data, "rating": "3"})
    assert response.status_code == 200
    assert "Une évaluation de « Portail » pour " in response.content.decode()
    assert Evaluation.objects.count() == 1
    future = add_months(timezone.localdate().replace(day=1), 1)
    response = client.post(BASE + "evaluations/saisie/", {**data, "period": f"{future:%d/%m/%Y}"})
    assert "ce mois n&#x27;est pas commencé" in response.content.decode()

    # Public page: the rating and the text, never the member's name.
    public = client.get(f"/donnees-ouvertes/services/{service.slug}/").content.decode()
    assert "Note : 2 sur 5." in public
    assert "Le formulaire se perd quand on revient en arrière." in public
    application = member.application
    assert application.family_name not in public

    # Staff start a draft opinion from it: the opinions app's own service, linked back.
    url = BASE + f"evaluations/{evaluation.pk}/avis/"
    response = client.post(
        url, {f"e{evaluation.pk}-title": "", f"e{evaluation.pk}-recommendation": "x"}
    )
    assert response.status_code == 400 and Opinion.objects.count() == 0
    form = {
        f"e{evaluation.pk}-title": "Un portail qui garde ce qu'on a saisi",
        f"e{evaluation.pk}-recommendation": "Enregistrer le brouillon à chaque étape.",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # twice: one opinion
    opinion = Opinion.objects.get()
    assert opinion.state == "draft" and opinion.call_id == evaluation.call_id
    evaluation.refresh_from_db()
    assert evaluation.adopted_as == opinion
    assert AuditEntry.objects.filter(action="evaluation.drafted_as_opinion").count() == 1
    assert AuditEntry.objects.filter(action="opinion.drafted").count() == 1
    # A draft is the council's work in progress: not named on the public page until adopted.
    public = as_user(None).get(f"/donnees-ouvertes/services/{service.slug}/").content.decode()
    assert "garde ce qu" not in public and "Note : 2 sur 5." in public
