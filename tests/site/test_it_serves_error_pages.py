import pytest
from django.test import Client

from tests.applications.online import open_call, step1

pytestmark = pytest.mark.django_db


def test_missing_page_is_in_french(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.content.decode()


def test_expired_form_explains_in_french():
    open_call()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/candidater/", step1())
    assert response.status_code == 403
    assert "<h1>Le formulaire a expiré</h1>" in response.content.decode()


def test_draft_session_expires_after_two_hours_of_inactivity(client):
    open_call()
    client.post("/candidater/", step1())
    assert client.session.get_expiry_age() == 2 * 3600
