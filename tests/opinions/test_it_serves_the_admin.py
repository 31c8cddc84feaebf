"""Admin: every model of the opinions app is listed and shown, and nothing can be added, changed or deleted there."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tirage.demo.opinions import seed_opinions
from tirage.opinions.models import CityResponse, Commitment, Consultation, Opinion, OpinionVersion

MODELS = [
    "consultation",
    "contribution",
    "opinion",
    "opinionversion",
    "cityresponse",
    "answer",
    "answernotice",
    "rating",
    "commitment",
    "commitmentupdate",
]


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("chef", password="x"))
    return client


def test_every_list_and_page_answers_and_nothing_can_be_added_or_changed(admin_client, council):
    seed_opinions(call=council.call, today=dt.date(2026, 12, 6))
    for model in MODELS:
        response = admin_client.get(reverse(f"admin:opinions_{model}_changelist"))
        assert response.status_code == 200, model
        assert admin_client.get(reverse(f"admin:opinions_{model}_add")).status_code == 403, model
    for model, obj in [
        ("consultation", Consultation.objects.first()),
        ("opinion", Opinion.objects.exclude(number=None).first()),
        ("opinionversion", OpinionVersion.objects.filter(state="adopted").first()),
        ("cityresponse", CityResponse.objects.first()),
        ("commitment", Commitment.objects.first()),
    ]:
        page = admin_client.get(reverse(f"admin:opinions_{model}_change", args=[obj.pk]))
        assert page.status_code == 200, model
        assert "<textarea" not in page.content.decode(), model  # view only
    version = OpinionVersion.objects.filter(state="adopted").first()
    url = reverse("admin:opinions_opinionversion_change", args=[version.pk])
    assert admin_client.post(url, {"text": "Réécrit"}).status_code == 403
    version.refresh_from_db()
    assert version.text != "Réécrit"
