"""Staff sign-in: password, then the authenticator app (set up at the first sign-in)."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.totp import code_for, code_from_secret
from tests.roles import PASSWORD
from tirage.accounts.views import PENDING, PENDING_SECONDS
from tirage.audit.services import history

pytestmark = pytest.mark.django_db


def password_step(client: Client, username: str, password: str = PASSWORD, next_url="/gestion/"):
    return client.post(
        f"/gestion/connexion/?next={next_url}",
        {"username": username, "password": password, "next": next_url},
    )


def enrol(client: Client) -> tuple[str, list[str]]:
    """Set up the app from the page (reading the key as a person would); returns key and codes."""
    page = client.get("/gestion/connexion/application/?next=/gestion/").text
    secret = re.search(r'<p class="secret">([A-Z2-7 ]+)</p>', page).group(1)
    response = client.post(
        "/gestion/connexion/application/",
        {"code": code_from_secret(secret), "next": "/gestion/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/gestion/securite/?next=%2Fgestion%2F"
    codes_page = client.get(response["Location"]).text
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", codes_page)
    return secret, codes


def test_a_coordinator_sets_up_the_app_at_the_first_sign_in(coordinator):
    client = Client()
    response = password_step(client, "coord")
    assert response["Location"] == "/gestion/connexion/application/?next=%2Fgestion%2F"
    # The password alone opens nothing.
    assert client.get("/gestion/")["Location"] == "/gestion/connexion/?next=/gestion/"

    page = client.get(response["Location"]).text
    assert "<svg" in page and "QR code à scanner" in page  # drawn on the server
    assert "Votre rôle donne accès à des données personnelles" in page

    wrong = client.post("/gestion/connexion/application/", {"code": "000000", "next": "/gestion/"})
    assert wrong.status_code == 200 and "Code incorrect" in wrong.text
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    # After five wrong codes, django-otp waits 2⁴ = 16 s before the next try.
    TOTPDevice.objects.filter(user=coordinator).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    again = client.post("/gestion/connexion/application/", {"code": "000000", "next": "/gestion/"})
    assert re.search(r"Trop de codes incorrects : attendez 1[0-6] secondes avant de", again.text)
    spend_the_delay(coordinator)

    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/gestion/").status_code == 200
    # Shown once: the page no longer lists them.
    assert not re.findall(
        r"<li>[a-z2-7]{4}-[a-z2-7]{4}</li>", client.get("/gestion/securite/").text
    )
    assert "Codes de secours restants : 10." in client.get("/gestion/securite/").text
    assert [e.action for e in history(coordinator)] == ["staff.two_factor_enabled"]


def test_the_next_sign_in_asks_for_the_code(coordinator):
    secret, _ = enrol_first(coordinator)
    client = Client()
    response = password_step(client, "coord")
    assert response["Location"] == "/gestion/connexion/code/?next=%2Fgestion%2F"
    wrong = client.post("/gestion/connexion/code/", {"code": "123456", "next": "/gestion/"})
    assert "Code incorrect" in wrong.text
    assert client.get("/gestion/").status_code == 302

    spend_the_delay(coordinator)
    ok = client.post(
        "/gestion/connexion/code/",
        {"code": code_from_secret(secret, steps_ahead=1), "next": "/gestion/"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def spend_the_delay(user) -> None:
    """As if the delay after a wrong code had passed (no sleep in tests)."""
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)


def enrol_first(user) -> tuple[str, list[str]]:
    client = Client()
    password_step(client, user.username)
    return enrol(client)


def test_a_recovery_code_works_once(coordinator):
    _, codes = enrol_first(coordinator)
    first = Client()
    password_step(first, "coord")
    # Typed in capitals, with 0/1 for o/l as people read them.
    typed = codes[0].upper().replace("O", "0").replace("L", "1")
    response = first.post("/gestion/connexion/code/", {"code": typed, "next": "/"})
    assert response.status_code == 302
    assert "il vous en reste 9" in first.get("/gestion/").text

    again = Client()
    password_step(again, "coord")
    refused = again.post("/gestion/connexion/code/", {"code": codes[0], "next": "/"})
    assert refused.status_code == 200 and "Code incorrect" in refused.text
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    assert history(coordinator).filter(action="staff.recovery_code_used").get().data == {"left": 9}


def test_new_recovery_codes_replace_the_old_ones(coordinator):
    _, old = enrol_first(coordinator)
    client = Client()
    client.force_login(coordinator)
    response = client.post("/gestion/securite/", {"next": "/gestion/"})
    new = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", client.get(response["Location"]).text)
    assert len(new) == 10 and not set(new) & set(old)
    tokens = set(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert tokens == {c.replace("-", "") for c in new}


def test_the_first_step_expires(coordinator):
    client = Client()
    password_step(client, "coord")
    session = client.session
    session[PENDING] = {**session[PENDING], "at": time.time() - PENDING_SECONDS - 1}
    session.save()
    response = client.get("/gestion/connexion/application/?next=/gestion/")
    assert response["Location"] == "/gestion/connexion/?next=/gestion/"
    assert "Votre connexion a expiré" in client.get(response["Location"]).text


def test_an_agent_signs_in_with_the_password_alone_by_default(agent_nord):
    client = Client()
    assert password_step(client, "agent.nord")["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_agents_need_the_app_when_the_city_says_so(agent_nord, settings):
    settings.TWO_FACTOR_ROLES = ["coordinator", "admin", "agent"]
    client = Client()
    assert password_step(client, "agent.nord")["Location"].startswith(
        "/gestion/connexion/application/"
    )


def test_an_agent_who_set_up_the_app_must_use_it(agent_nord):
    enrol_first(agent_nord)
    client = Client()
    assert password_step(client, "agent.nord")["Location"].startswith("/gestion/connexion/code/")


def test_a_session_without_the_second_factor_is_closed(coordinator, settings):
    """Signed in when the rule did not apply (or by another login form): logged out at once."""
    settings.TWO_FACTOR_ROLES = []
    client = Client()
    assert password_step(client, "coord")["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200
    settings.TWO_FACTOR_ROLES = ["coordinator"]
    response = client.get("/gestion/candidatures/liste/")
    assert response["Location"] == "/gestion/connexion/?next=/gestion/candidatures/liste/"
    assert "_auth_user_id" not in client.session


def test_the_admin_login_page_sends_to_the_staff_login(call):
    response = Client().get("/admin/login/?next=/admin/calls/call/")
    assert response["Location"] == "/gestion/connexion/?next=/admin/calls/call/"


def test_an_admin_needs_the_second_factor_for_the_admin(call):
    User.objects.create_superuser("chef", "chef@ville.example", PASSWORD)
    client = Client()
    response = password_step(client, "chef", next_url="/admin/")
    assert response["Location"] == "/gestion/connexion/application/?next=%2Fadmin%2F"


def test_reset_two_factor_for_a_lost_phone(coordinator, capsys):
    from django.core.management import call_command

    enrol_first(coordinator)
    call_command("reset_two_factor", "coord")
    assert "réinitialisée (2 appareils supprimés)" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert history(coordinator).last().action == "staff.two_factor_reset"
    client = Client()
    assert password_step(client, "coord")["Location"].startswith("/gestion/connexion/application/")


def test_codes_from_the_device_itself(coordinator):
    """``code_for`` (used by other tests) computes what the device accepts."""
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client = Client()
    password_step(client, "coord")
    response = client.post("/gestion/connexion/code/", {"code": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
