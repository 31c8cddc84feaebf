"""Helpers for the online form tests: a call open today and valid POST data."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import roubaix_call


def open_call():
    """The Roubaix call re-dated so that it is open today (Europe/Paris)."""
    return roubaix_call(open_on=timezone.localdate())


def step1(**overrides) -> dict:
    data = {
        "gender": "femme",
        "family_name": "Dupont",
        "given_name": "Amélie",
        "birth_day": "14",
        "birth_month": "3",
        "birth_year": "1980",
        "street_number": "12",
        "street_name": "Rue Imaginaire des Tests",
        "address_complement": "",
        "postcode": "59100",
        "commune": "Roubaix",
        "email": "amelie@example.org",
        "phone": "",
        "motivation": "",
        "consent_notice": "on",
        "attests_residence": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def review_key(client) -> str:
    """Open the review page and return its submission key."""
    response = client.get("/candidater/verifier/")
    assert response.status_code == 200, response
    return response.context["submission_key"]
