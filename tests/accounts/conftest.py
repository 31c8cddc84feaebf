"""Sign-in fixtures: the call open today; real Argon2 hashing (the shared accounts of
``tests/conftest.py``, password ``PASSWORD``, are otherwise hashed fast)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import roubaix_call
from tirage.calls.models import PARIS


@pytest.fixture(autouse=True)
def call(db):
    """Signing in lands on the dashboard of the current call."""
    return roubaix_call(open_on=timezone.now().astimezone(PARIS).date())


@pytest.fixture(autouse=True)
def _fast_passwords():
    """Sign-in is tested with the production hasher (Argon2)."""


@pytest.fixture
def browser_client():
    """A client that checks CSRF tokens like a browser session."""
    return Client()
