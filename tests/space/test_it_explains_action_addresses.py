"""An action's address of the members' space opened by GET: a plain French page, not a blank one."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.space.helpers import sign_in, space_council

pytestmark = pytest.mark.django_db

TITLE = "<h1>Cette page s'ouvre avec un bouton</h1>"


def test_a_member_opening_an_action_by_get_is_told_where_to_click():
    council, meeting = space_council()
    client = Client()
    sign_in(client, council.members[0])
    for path, back in [
        (
            f"/espace-membre/reunions/{meeting.pk}/reponse/",
            f"/espace-membre/reunions/{meeting.pk}/",
        ),
        (
            f"/espace-membre/reunions/{meeting.pk}/proposer/",
            f"/espace-membre/reunions/{meeting.pk}/",
        ),
        ("/espace-membre/deconnexion/", "/espace-membre/"),
    ]:
        response = client.get(path)
        assert response.status_code == 405 and response["Allow"] == "POST", path
        html = response.text
        assert TITLE in html and "Utilisez le bouton prévu sur la page." in html
        assert f'<a href="{back}">Revenir à la page</a>' in html, path
        if "deconnexion" not in path:  # request.member is set by member_required only
            assert 'aria-label="Espace des membres"' in html, path  # the space's menu
    # The GET did nothing: still signed in; the POST signs out.
    assert client.get("/espace-membre/").status_code == 200
    assert client.post("/espace-membre/deconnexion/").status_code == 200
    assert client.get("/espace-membre/").status_code == 302


def test_a_visitor_opening_the_e_mail_link_action_by_get_is_told_too():
    response = Client().get("/espace-membre/connexion/courriel/")
    assert response.status_code == 405 and TITLE in response.text
    assert '<a href="/espace-membre/connexion/">Revenir à la page</a>' in response.text
    response = Client().get("/espace-membre/deconnexion/")
    assert response.status_code == 405 and TITLE in response.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_passes_axe_in_chromium(page, live_server, axe):
    from tests.conftest import assert_no_axe_violations

    response = page.goto(live_server.url + "/espace-membre/deconnexion/")
    assert response is not None and response.status == 405
    assert page.get_by_role("heading", level=1).inner_text() == "Cette page s'ouvre avec un bouton"
    assert_no_axe_violations(axe, page)
    with page.expect_navigation():
        page.get_by_role("link", name="Revenir à la page").click()
    assert page.url == live_server.url + "/espace-membre/connexion/?next=/espace-membre/" or (
        page.url.startswith(live_server.url + "/espace-membre/connexion/")
    )
