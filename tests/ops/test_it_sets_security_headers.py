"""Security headers on every answer: CSP without inline code, no-store, HTTPS and HSTS."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.applications.online import open_call, step1
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def test_public_pages_carry_the_strict_policy_and_are_not_stored(client):
    open_call()
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/",
        "/gestion/candidatures/liste/",
        "/gestion/candidatures/roubaix-cln-2025/exporter/?format=csv",
        "/gestion/candidatures/roubaix-cln-2025/exporter/?format=xlsx",
        "/gestion/securite/",
    ],
)
def test_staff_pages_and_files_are_never_stored(path):
    open_call()
    client = Client()
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"].split(", ")


def test_the_applicants_answers_are_never_stored(client):
    open_call()
    client.post("/candidater/", step1())
    client.post("/candidater/secteur/", {"secteur": "nord"})
    review = client.get("/candidater/verifier/")
    assert "Dupont" in review.text
    assert review["Cache-Control"] == "no-store"


def test_https_redirects_and_sends_hsts(settings, call_factory=open_call):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    call_factory()
    client = Client()
    plain = client.get("/candidater/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/candidater/"
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The machine's own probe speaks plain HTTP.
    assert client.get("/health/").status_code == 200


def test_behind_a_proxy_the_forwarded_scheme_counts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    open_call()
    assert Client().get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_files_and_pages_with_names_and_addresses_are_never_stored(client):
    """A letter (name, postal address), the procès-verbal with names, a member's reply page."""
    from django.utils import timezone

    from tests.aftermath import drawn_call
    from tirage.council.services.offers import open_offers
    from tirage.council.services.seat_letters import run_letters
    from tirage.letters.models import Letter

    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    reply = client.get(f"/reponse/{code}/")
    assert reply.status_code == 200 and reply["Cache-Control"] == "no-store"
    assert reply["Content-Security-Policy"] == CSP
    run_letters(drawn.call)
    client.force_login(make_staff("coord", COORDINATOR))
    letter = Letter.objects.first()
    for path in [
        f"/gestion/courriers/lettres/{letter.pk}.pdf",
        f"/gestion/courriers/lots/{letter.batch_id}.pdf",
        f"/gestion/tirage/{drawn.result.draw_id}/proces-verbal.pdf",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"].split(", "), path
        assert response["X-Content-Type-Options"] == "nosniff", path
