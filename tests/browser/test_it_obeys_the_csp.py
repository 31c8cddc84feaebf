"""A real Chromium enforcing the Content-Security-Policy reports no violation on the main pages."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/candidater/",
    "/tirage/",
    "/accessibilite/",
    "/nulle-part/",
    "/gestion/connexion/",
    "/gestion/",
    "/gestion/candidatures/liste/",
    "/gestion/saisie/",
    "/gestion/tirage/",
    "/gestion/securite/",
    "/admin/",
]


def test_no_page_breaks_the_policy(live_server, page):
    roubaix_call(open_on=dt.date.today())
    client = Client()
    user = make_staff("coord", COORDINATOR)
    user.is_staff = user.is_superuser = True  # the admin's pages too
    user.save()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        page.wait_for_load_state("load")
    assert violations == []
