import pytest

pytestmark = pytest.mark.django_db


def test_login_page_is_french_and_logs_in(as_user, agent_nord):
    client = as_user(None)
    page = client.get("/gestion/connexion/")
    assert page.status_code == 200
    assert "Connexion à la gestion" in page.text and 'autocomplete="current-password"' in page.text
    response = client.post(
        "/gestion/connexion/?next=/gestion/",
        {"username": "agent.nord", "password": "motdepasse-solide-42", "next": "/gestion/"},
    )
    assert response.status_code == 302 and response["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_a_coordinator_gives_a_second_factor_after_the_password(as_user, coordinator):
    """The two steps themselves: tests/accounts/."""
    response = as_user(None).post(
        "/gestion/connexion/",
        {"username": "coord", "password": "motdepasse-solide-42", "next": "/gestion/"},
    )
    assert response["Location"] == "/gestion/connexion/application/?next=%2Fgestion%2F"


def test_staff_sessions_end_with_the_browser_and_within_a_working_day(as_user, agent_nord):
    client = as_user(None)
    client.post(
        "/gestion/connexion/", {"username": "agent.nord", "password": "motdepasse-solide-42"}
    )
    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 8 * 3600


def test_wrong_password_says_so_in_french(as_user, coordinator):
    response = as_user(None).post("/gestion/connexion/", {"username": "coord", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text


@pytest.mark.parametrize("url", ["/gestion/", "/gestion/candidatures/liste/", "/gestion/saisie/"])
def test_anonymous_is_sent_to_login(as_user, call, url):
    response = as_user(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/connexion/?next={url}"


def test_logout_is_a_post(as_user, coordinator):
    client = as_user(coordinator)
    assert client.post("/gestion/deconnexion/").status_code == 302
    assert client.get("/gestion/").status_code == 302  # logged out: back to the login page
