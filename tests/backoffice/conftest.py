"""Back-office fixtures: one call, and one account per role.

``coordinator``, ``agent_nord`` (mairie des quartiers Nord), ``agent_sud``,
``observer``: each permission case is then one line (``as_user(agent_nord)``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from tests.factories import applicant, roubaix_call
from tirage.applications.models import Channel
from tirage.applications.services import submit_application
from tirage.backoffice import roles
from tirage.backoffice.models import StaffProfile
from tirage.calls.models import PARIS, Office


def make_staff(username: str, role: str, office_code: str = "") -> User:
    roles.ensure_groups()
    user = User.objects.create_user(username, password="motdepasse-solide-42")
    user.groups.add(Group.objects.get(name=role))
    office = Office.objects.get(code=office_code) if office_code else None
    StaffProfile.objects.create(user=user, office=office)
    return user


@pytest.fixture
def today():
    return timezone.now().astimezone(PARIS).date()


@pytest.fixture
def call(db, today):
    """The Roubaix call, re-dated so that it is open today."""
    return roubaix_call(open_on=today)


@pytest.fixture
def coordinator(call):
    return make_staff("coord", roles.COORDINATOR)


@pytest.fixture
def agent_nord(call):
    return make_staff("agent.nord", roles.COUNTER_AGENT, "mdq-nord")


@pytest.fixture
def agent_sud(call):
    return make_staff("agent.sud", roles.COUNTER_AGENT, "mdq-sud")


@pytest.fixture
def observer(call):
    return make_staff("obs", roles.OBSERVER)


@pytest.fixture
def as_user():
    """``as_user(user)`` → a test client logged in as ``user`` (``None``: anonymous)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


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


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Staff accounts in tests need no slow key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
