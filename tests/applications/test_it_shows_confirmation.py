"""The confirmation page shows the code only to the browser session that submitted."""

import pytest
from django.test import Client

from tests.applications.online import open_call, review_key, step1
from tirage.applications.models import Application

pytestmark = pytest.mark.django_db


def apply(client, **overrides) -> Application:
    client.post("/candidater/", step1(**overrides))
    client.post("/candidater/secteur/", {"secteur": "centre"})
    client.post("/candidater/verifier/", {"submission_key": review_key(client)})
    return Application.objects.latest("id")


def test_another_browser_cannot_see_a_confirmation(client):
    open_call()
    app = apply(client)
    assert app.receipt_code in client.get("/candidater/confirmation/").content.decode()
    stranger = Client()
    response = stranger.get("/candidater/confirmation/")
    assert response.status_code == 404
    assert app.receipt_code not in response.content.decode()


def test_a_second_application_from_the_same_browser_shows_only_the_latest(client):
    open_call()
    first = apply(client, given_name="Amélie", email="")
    second = apply(client, given_name="Paul", gender="homme", email="")
    assert first.pk != second.pk
    page = client.get("/candidater/confirmation/").content.decode()
    assert second.receipt_code in page and first.receipt_code not in page
    assert "Amélie" not in page and "Dupont" not in page  # no personal data on the page


@pytest.mark.django_db(transaction=True)
def test_the_receipt_email_is_in_french_with_code_and_draw_date(client, mailoutbox, run_tasks):
    call = open_call()
    app = apply(client)
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == (
        f"Votre candidature au Conseil local du numérique : récépissé {app.receipt_code}"
    )
    assert f"Votre numéro de récépissé : {app.receipt_code}" in message.body
    assert f"{call.draw_date.day} " in message.body and "par la poste" in message.body
    assert "&#x27;" not in message.body  # plain text, not HTML-escaped
    assert message.reply_to == [call.contact_email]


def test_review_page_offers_to_change_each_section(client):
    open_call()
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "centre"})
    page = client.get("/candidater/verifier/").content.decode()
    for anchor in ("identite", "adresse", "contact", "motivation", "consentements"):
        assert f'href="/candidater/#{anchor}"' in page
    assert 'href="/candidater/secteur/"' in page
    # Changing an answer goes back to the review with the new value and the same key.
    key = review_key(client)
    client.post("/candidater/", step1(family_name="Durand"))
    client.post("/candidater/secteur/", {"secteur": "centre"})
    response = client.get("/candidater/verifier/")
    assert "Durand" in response.content.decode()
    assert response.context["submission_key"] == key
