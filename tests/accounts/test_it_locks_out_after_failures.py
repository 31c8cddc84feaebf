"""Lockout (django-axes): too many failures for one account, or from one address."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.totp import code_for
from tests.roles import PASSWORD, make_staff
from tirage.backoffice import roles

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str):
    return client.post("/gestion/connexion/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(agent_nord, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        assert "Identifiant ou mot de passe incorrect" in attempt(client, "agent.nord", "x").text
    locked = attempt(client, "agent.nord", "x")
    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.text and "pendant 15 minutes" in locked.text
    assert attempt(client, "agent.nord", PASSWORD).status_code == 429
    # The account is locked from another address too.
    assert attempt(Client(REMOTE_ADDR="198.51.100.9"), "agent.nord", PASSWORD).status_code == 429

    # 15 minutes later (the attempts are dated back): the right password works.
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = attempt(client, "agent.nord", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/gestion/"


def test_one_address_trying_many_accounts_is_locked(agent_nord, call):
    make_staff("agent.sud", roles.COUNTER_AGENT, "mdq-sud")
    client = Client(REMOTE_ADDR="203.0.113.8")
    for name in ("a", "b", "c", "d"):
        assert attempt(client, name, "x").status_code == 200
    assert attempt(client, "e", "x").status_code == 429
    assert attempt(client, "agent.sud", PASSWORD).status_code == 429
    # Another address is not concerned.
    ok = attempt(Client(REMOTE_ADDR="198.51.100.10"), "agent.sud", PASSWORD)
    assert ok.status_code == 302


def test_wrong_codes_count_as_failures(coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client = Client(REMOTE_ADDR="203.0.113.9")
    attempt(client, "coord", PASSWORD)
    for _ in range(4):
        TOTPDevice.objects.update(throttling_failure_timestamp=None)
        response = client.post("/gestion/connexion/code/", {"code": "000000"})
        assert response.status_code == 200
    TOTPDevice.objects.update(throttling_failure_timestamp=None)
    assert client.post("/gestion/connexion/code/", {"code": "000000"}).status_code == 429
    # Locked: even the right code and the right password are refused now.
    assert attempt(client, "coord", PASSWORD).status_code == 429
    client.post("/gestion/connexion/code/", {"code": code_for(device)})
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_the_forwarded_address_is_locked(agent_nord, settings):
    settings.PROXY_COUNT = 1
    proxy = "127.0.0.1"
    # The attacker forges an X-Forwarded-For; the proxy appends the real address.
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.50")
    for name in ("a", "b", "c", "d", "e"):
        attempt(attacker, name, "x")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert attempt(colleague, "agent.nord", PASSWORD).status_code == 302
