"""Back-office fixtures: the call open today, and applications to it.

The accounts (``coordinator``, ``agent_nord``, ``agent_sud``, ``observer``, ``as_user``)
are the shared ones of ``tests/conftest.py``: each permission case is one line
(``as_user(agent_nord)``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import applicant, roubaix_call
from tirage.applications.models import Channel
from tirage.applications.services import submit_application
from tirage.calls.models import PARIS, Office


@pytest.fixture
def today():
    return timezone.now().astimezone(PARIS).date()


@pytest.fixture(autouse=True)
def call(db, today):
    """The Roubaix call, re-dated so that it is open today: every staff page works on it."""
    return roubaix_call(open_on=today)


@pytest.fixture
def paper_app(call, today):
    """``paper_app(office_code, agent=None, **fields)`` → a paper application received today."""

    def make(office_code: str, agent=None, **fields):
        return submit_application(
            call,
            applicant(**fields),
            channel=Channel.PAPER,
            office=Office.objects.get(code=office_code),
            agent=agent,
            received_on=today,
        ).application

    return make


@pytest.fixture
def online_app(call):
    def make(**fields):
        return submit_application(call, applicant(**fields)).application

    return make


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
