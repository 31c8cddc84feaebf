import datetime as dt

import pytest

from tests.applications.online import step1
from tests.factories import roubaix_call
from tirage.applications.models import Application

pytestmark = pytest.mark.django_db


def test_after_the_deadline_the_form_is_closed_for_get_and_post(client):
    roubaix_call()  # the shipped 2025 call: closed long ago
    response = client.get("/candidater/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "L'appel est clos" in page
    assert "<form" not in page
    for url in ("/candidater/", "/candidater/secteur/", "/candidater/verifier/"):
        response = client.post(url, step1() | {"submission_key": "k"})
        assert response.status_code == 403
        assert "Aucune candidature n'a été enregistrée." in response.content.decode()
    assert Application.objects.count() == 0


def test_before_opening_the_form_is_not_open(client):
    roubaix_call(open_on=dt.date.today() + dt.timedelta(days=30))
    page = client.get("/candidater/").content.decode()
    assert "L'appel n'est pas encore ouvert" in page
    assert "<form" not in page


def test_closing_between_review_and_submit_saves_nothing(client):
    call = roubaix_call(open_on=dt.date.today())
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "nord"})
    key = client.get("/candidater/verifier/").context["submission_key"]
    call.closes_at = call.opens_at + dt.timedelta(seconds=1)
    call.save()
    response = client.post("/candidater/verifier/", {"submission_key": key})
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_without_any_call_the_form_says_so(client):
    page = client.get("/candidater/").content.decode()
    assert "Aucun appel à candidatures n'est ouvert" in page
