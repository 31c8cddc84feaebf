"""Sign-in fixtures: a call, a coordinator and a counter agent (password ``PASSWORD``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.backoffice.conftest import make_staff
from tests.factories import roubaix_call
from tirage.backoffice import roles
from tirage.calls.models import PARIS

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def call(db):
    return roubaix_call(open_on=timezone.now().astimezone(PARIS).date())


@pytest.fixture
def coordinator(call):
    return make_staff("coord", roles.COORDINATOR)


@pytest.fixture
def agent(call):
    return make_staff("agent.nord", roles.COUNTER_AGENT, "mdq-nord")


@pytest.fixture
def browser_client():
    """A client that checks CSRF tokens like a browser session."""
    return Client()
