"""The public form under a flood from one address (tirage.applications.flood).

Bounded: 1,000 scripted submissions through the real form steps with Django's test
client; the limits' clock is moved instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.applications.online import open_call, step1
from tests.roles import make_staff
from tirage.applications import flood
from tirage.applications.models import Application, FormCounter
from tirage.backoffice.roles import COORDINATOR

pytestmark = pytest.mark.django_db

SHARED_IP = "203.0.113.7"  # a mairie's public computer, say: not in FORM_TRUSTED_NETWORKS
STREET = {"street_name": "Boulevard de Fourmies"}  # one secteur: no area step


class Clock:
    """The limits' clock, moved by the test."""

    def __init__(self, monkeypatch):
        self.moment = dt.datetime.now(dt.UTC).replace(microsecond=0)  # tokens keep seconds
        monkeypatch.setattr(flood, "now", lambda: self.moment)

    def advance(self, seconds: float) -> None:
        self.moment += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _token(page: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', page).group(1)


def _submit(client: Client, data: dict):
    """Step 1 posted, then review and send; the last response."""
    response = client.post("/candidater/", data)
    if response.status_code != 302:
        return response
    review = client.get("/candidater/verifier/")
    return client.post(
        "/candidater/verifier/", {"submission_key": review.context["submission_key"]}
    )


def _human(clock, number: int, *, ip: str = SHARED_IP):
    """A person on ``ip`` who reads the form for a minute and a half before sending."""
    person = Client(REMOTE_ADDR=ip)
    token = _token(person.get("/candidater/").content.decode())
    clock.advance(90)
    data = step1(**STREET, given_name=f"Personne{number}", email=f"personne{number}@example.org")
    return _submit(person, {**data, "started": token})


def test_a_thousand_scripted_submissions_are_refused_but_a_person_gets_through(clock):
    open_call()
    robot = Client(REMOTE_ADDR=SHARED_IP)  # keeps its cookies, as requests.Session does
    outcomes: dict[str, int] = {}
    scraped = _token(robot.get("/candidater/").content.decode())
    for number in range(1000):
        clock.advance(0.1)  # 10 a second, as the flood the issue measured
        data = step1(**STREET, given_name=f"Robot{number}", email=f"robot{number}@example.org")
        # The token scraped once is replayed: it gets old enough after 5 s…
        response = _submit(robot, {**data, "started": scraped})
        page = response.content.decode()
        if response.status_code == 302 and response["Location"] == "/candidater/confirmation/":
            outcome = "accepted"
        elif "envoyé très vite" in page:
            outcome = "too fast"
        elif response.status_code == 429 and "Ce navigateur a déjà envoyé 5 candidatures" in page:
            outcome = "session limit"
            assert "mairie de quartier" in page
        else:
            outcome = f"{response.status_code}: {page[:200]}"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    # …for the 49 first flows it was too fast; then 5 got in, and this browser was stopped.
    assert outcomes == {"too fast": 49, "accepted": 5, "session limit": 946}

    response = _human(clock, 1)
    assert response.status_code == 302 and response["Location"] == "/candidater/confirmation/"
    assert Application.objects.filter(given_name="Personne1").count() == 1
    assert Application.objects.count() == 6


def test_a_patient_script_uses_up_the_address_budget_in_an_hour_and_only_that(clock, settings):
    open_call()
    for number in range(settings.FORM_IP_LIMIT):
        assert _human(clock, number).status_code == 302  # new browser, waits, new e-mail
    refused = _human(clock, 99)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Trop de candidatures ont été envoyées depuis cette connexion" in page
    assert "Réessayez dans une heure" in page and "formulaire papier" in page
    assert not Application.objects.filter(given_name="Personne99").exists()
    # Another address is not concerned; an hour later this one is open again.
    assert _human(clock, 100, ip="198.51.100.20").status_code == 302
    clock.advance(3600)
    assert _human(clock, 101).status_code == 302
    # A public computer the city lists is not limited by address.
    settings.FORM_TRUSTED_NETWORKS = ["203.0.113.0/24"]
    for number in range(200, 200 + settings.FORM_IP_LIMIT + 2):
        assert _human(clock, number).status_code == 302


def test_a_filled_honeypot_is_sent_back_with_the_field_named(clock):
    open_call()
    response = _human_with(clock, website="http://spam.example")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le champ « Laissez ce champ vide » doit rester vide" in page
    assert Application.objects.count() == 0


def _human_with(clock, **extra):
    person = Client(REMOTE_ADDR=SHARED_IP)
    token = _token(person.get("/candidater/").content.decode())
    clock.advance(60)
    return _submit(person, {**step1(**STREET), "started": token, **extra})


def test_one_email_address_gets_three_receipts_and_four_applications_a_day(clock, settings):
    open_call()
    sent = []
    for number in range(settings.FORM_EMAIL_LIMIT):
        person = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        token = _token(person.get("/candidater/").content.decode())
        clock.advance(60)
        data = step1(**STREET, given_name=f"Membre{number}", email="Famille@Example.org")
        assert _submit(person, {**data, "started": token}).status_code == 302
        page = person.get("/candidater/confirmation/").content.decode()
        sent.append("Nous vous avons aussi envoyé ce numéro par courriel" in page)
    assert sent == [True, True, True, False]
    person = Client(REMOTE_ADDR="198.51.100.50")
    token = _token(person.get("/candidater/").content.decode())
    clock.advance(60)
    data = step1(**STREET, given_name="Cinquième", email="famille@example.org")
    response = _submit(person, {**data, "started": token})
    assert response.status_code == 429
    assert "Cette adresse de courriel a déjà servi à 4 candidatures" in response.content.decode()


def test_the_staff_page_shows_bursts_by_hashed_address_only(clock, client):
    open_call()
    robot = Client(REMOTE_ADDR=SHARED_IP)
    for number in range(12):
        robot.get("/candidater/")
        robot.post("/candidater/", step1(**STREET, given_name=f"Robot{number}"))
    assert set(FormCounter.objects.values_list("event", flat=True)) == {"refused_fast"}
    assert not FormCounter.objects.filter(key__contains="203.0.113").exists()
    client.force_login(make_staff("coord", COORDINATOR))
    page = client.get("/gestion/candidatures/rafales/").content.decode()
    source = flood.ip_key(type("R", (), {"META": {"REMOTE_ADDR": SHARED_IP}})())[:8].upper()
    assert f"<code>{source}</code>" in page
    assert "<td>0</td>" in page and "<td>12</td>" in page and "trop rapides : 12" in page
    assert SHARED_IP not in page
    # Counters go after a week.
    clock.advance(8 * 24 * 3600)
    assert flood.purge() == 1 and not FormCounter.objects.exists()


def test_a_start_time_scraped_in_one_browser_is_refused_in_another(clock):
    open_call()
    scraper, robot = Client(REMOTE_ADDR=SHARED_IP), Client(REMOTE_ADDR=SHARED_IP)
    token = _token(scraper.get("/candidater/").content.decode())
    robot.get("/candidater/")  # the robot has its own cookies
    clock.advance(60)
    response = _submit(robot, {**step1(**STREET), "started": token})
    assert "envoyé très vite" in response.content.decode()
    # In the browser it was issued to, the same token is accepted.
    assert _submit(scraper, {**step1(**STREET), "started": token}).status_code == 302
    assert Application.objects.count() == 1


def test_opening_the_form_writes_no_session():
    from django.contrib.sessions.models import Session

    open_call()
    page = Client(REMOTE_ADDR=SHARED_IP).get("/candidater/")
    assert page.status_code == 200 and _token(page.content.decode())
    assert Session.objects.count() == 0
