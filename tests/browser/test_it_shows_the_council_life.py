"""The council's public pages (and the staff pages of a meeting) in Chromium: zero axe-core violations."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import assert_no_axe_violations
from tests.meetings.helpers import installed_council
from tests.meetings.staff import council_year
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_and_staff_council_pages_have_no_axe_violations(live_server, page, axe):
    council = installed_council()
    year = council_year(council)
    for path in [
        "/conseil/",
        f"/conseil/reunions/{year.october.pk}/",
        f"/conseil/reunions/{year.coming.pk}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(axe, page)

    client = Client()
    client.force_login(make_staff("coord", COORDINATOR))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in [
        "/gestion/conseil/reunions/",
        f"/gestion/conseil/reunions/{year.october.pk}/",
        f"/gestion/conseil/reunions/{year.coming.pk}/",
        f"/gestion/conseil/reunions/{year.october.pk}/presences/",
        "/gestion/conseil/regles/",
        "/gestion/conseil/absences/",
        f"/gestion/conseil/groupes/{year.group.pk}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(axe, page)
