"""A staff action's address opened with GET: a French page inside the staff shell (405), with a way back."""

from __future__ import annotations

import pytest

from tests.backoffice.test_it_shows_one_staff_shell import menu

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "back"),
    [
        ("/gestion/tirage/geler/", "/gestion/tirage/"),  # draws
        ("/gestion/conseil/reunions/7/presences/clore/", "/gestion/conseil/reunions/7/presences/"),
        # …/ordre-du-jour/ is an action too (adding an item): the meeting's page.
        ("/gestion/conseil/reunions/7/ordre-du-jour/3/rang/", "/gestion/conseil/reunions/7/"),
        # No page at …/decisions/: the next one up.
        ("/gestion/conseil/reunions/7/decisions/3/", "/gestion/conseil/reunions/7/"),
        ("/gestion/avis/4/envoi/", "/gestion/avis/4/"),  # opinions
        ("/gestion/rapport-activite/5/adopter/", "/gestion/rapport-activite/5/"),  # reports
        ("/gestion/candidatures/3/decision/", "/gestion/candidatures/3/"),  # applications
    ],
)
def test_a_get_on_an_action_says_where_it_is_done(as_user, coordinator, path, back):
    response = as_user(coordinator).get(path)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.text
    assert "<h1>Action à lancer depuis sa page</h1>" in html
    assert "Faites cette action avec le bouton prévu sur sa page." in html
    assert menu(html)[0] == "Tableau de bord"  # inside the staff shell
    assert f'<a href="{back}">Retour à la page de l\'action</a>' in html


def test_the_role_is_checked_before(as_user, anonymous, agent_nord):
    # Signed out: the sign-in page, as for any staff address; wrong role: refused.
    assert anonymous.get("/gestion/tirage/geler/")["Location"].startswith("/gestion/connexion/")
    assert as_user(agent_nord).get("/gestion/tirage/geler/").status_code == 403


def test_the_post_still_does_the_action(as_user, coordinator):
    # The view itself runs: here it finds no such meeting.
    response = as_user(coordinator).post("/gestion/conseil/reunions/999999/presences/clore/")
    assert response.status_code == 404


def test_the_sign_out_address_opened_by_get_is_explained_not_blank(as_user, anonymous, coordinator):
    """``/gestion/deconnexion/`` typed or bookmarked: Django's LogoutView answered an empty 405."""
    client = as_user(coordinator)
    response = client.get("/gestion/deconnexion/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    html = response.text
    assert "<h1>Action à lancer depuis sa page</h1>" in html
    assert menu(html)[0] == "Tableau de bord"
    assert '<a href="/gestion/">Retour à la page de l\'action</a>' in html
    assert client.get("/gestion/").status_code == 200  # still signed in: a GET did nothing
    assert client.post("/gestion/deconnexion/").status_code == 302
    assert client.get("/gestion/").status_code == 302  # signed out
    # Nobody signed in: the sign-in page.
    assert anonymous.get("/gestion/deconnexion/")["Location"] == "/gestion/connexion/"
