import re

import pytest
from django.core import mail

from tests.applications.online import open_call, review_key, step1
from tests.conftest import queued
from tirage.applications.models import Application, Channel, Status
from tirage.applications.tasks import send_receipt
from tirage.site.templatetags.tirage_site import long_date

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_full_flow_creates_one_application_and_mails_the_code(client, run_tasks):
    call = open_call()
    response = client.get("/candidater/")
    assert response.status_code == 200
    assert "Vos informations" in response.content.decode()

    response = client.post("/candidater/", step1())
    # "Rue Imaginaire des Tests" is unknown: the secteur step comes first.
    assert response.status_code == 302
    assert response["Location"] == "/candidater/secteur/"
    response = client.post("/candidater/secteur/", {"secteur": "est"})
    assert response["Location"] == "/candidater/verifier/"

    response = client.get("/candidater/verifier/")
    page = response.content.decode()
    assert "Vérifiez vos réponses" in page
    assert "Dupont" in page and "14 mars 1980" in page and "Mairie des quartiers Est" in page
    key = response.context["submission_key"]
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert f'name="submission_key" value="{key}"' in page
    assert Application.objects.count() == 0  # nothing saved before the last click

    response = client.post("/candidater/verifier/", {"submission_key": key})
    assert response.status_code == 302 and response["Location"] == "/candidater/confirmation/"
    app = Application.objects.get()
    assert app.call == call and app.channel == Channel.ONLINE
    assert (app.family_name, app.given_name, str(app.birth_date)) == (
        "Dupont",
        "Amélie",
        "1980-03-14",
    )
    assert (app.street_number, app.postcode, app.commune) == ("12", "59100", "Roubaix")
    assert app.submission_key == key
    assert app.consent_notice and app.attests_residence

    response = client.get("/candidater/confirmation/")
    page = response.content.decode()
    assert app.receipt_code in page
    assert "Imprimez ou notez ce numéro" in page
    assert f"le {long_date(call.draw_date)}, en public" in page and "par la poste" in page

    # The receipt is queued, then sent by the worker.
    assert mail.outbox == [] and queued(send_receipt) == 1
    (result,) = run_tasks()
    assert result.status == "SUCCESSFUL" and result.return_value == "sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amelie@example.org"]
    assert app.receipt_code in message.subject and app.receipt_code in message.body
    assert "Bonjour" in message.body


def test_no_email_given_sends_nothing(client):
    open_call()
    client.post("/candidater/", step1(email=""))
    client.post("/candidater/secteur/", {"secteur": "nord"})
    client.post("/candidater/verifier/", {"submission_key": review_key(client)})
    assert Application.objects.get().email == ""
    assert queued(send_receipt) == 0


def test_same_key_posted_twice_creates_one_application(client):
    open_call()
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "nord"})
    key = review_key(client)
    first = client.post("/candidater/verifier/", {"submission_key": key})
    second = client.post("/candidater/verifier/", {"submission_key": key})
    assert first["Location"] == second["Location"] == "/candidater/confirmation/"
    assert Application.objects.count() == 1
    assert queued(send_receipt) == 1


def test_same_key_from_a_second_request_with_the_draft_still_there_returns_the_first(client):
    """A double click: the second POST still carries the draft (session not yet updated)."""
    open_call()
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "nord"})
    key = review_key(client)
    session = client.session
    draft = session["application_draft"]
    client.post("/candidater/verifier/", {"submission_key": key})
    # Replay the second click as if it had arrived before the first answer.
    session = client.session
    session["application_draft"] = draft
    session.pop("application_done")
    session.save()
    response = client.post("/candidater/verifier/", {"submission_key": key})
    assert response["Location"] == "/candidater/confirmation/"
    assert Application.objects.count() == 1
    assert queued(send_receipt) == 1  # no second e-mail


def test_a_stale_key_submits_nothing(client):
    open_call()
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "nord"})
    review_key(client)
    response = client.post("/candidater/verifier/", {"submission_key": "forged"})
    assert response["Location"] == "/candidater/verifier/"
    assert Application.objects.count() == 0


def test_review_without_answers_goes_back_to_step_one(client):
    open_call()
    assert client.get("/candidater/verifier/")["Location"] == "/candidater/"
    assert (
        client.post("/candidater/verifier/", {"submission_key": "x"})["Location"] == "/candidater/"
    )
    assert Application.objects.count() == 0


def test_modifier_shows_the_answers_again(client):
    open_call()
    client.post("/candidater/", step1(family_name="Martin", birth_day="2"))
    page = client.get("/candidater/").content.decode()
    assert 'value="Martin"' in page
    assert 'name="birth_day" value="2"' in page


def test_young_applicant_under_age_cannot_get_past_step_one(client):
    open_call()
    client.post("/candidater/", step1(birth_year="2020"))
    assert Application.objects.count() == 0
    assert "application_draft" not in client.session


def test_ineligible_status_never_reached_online_for_age(client):
    """The form refuses under-age applicants, so every online application starts eligible."""
    open_call()
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "sud"})
    client.post("/candidater/verifier/", {"submission_key": review_key(client)})
    assert Application.objects.get().status == Status.ELIGIBLE
