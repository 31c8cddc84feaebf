import pytest

pytestmark = pytest.mark.django_db


def url(app):
    return f"/gestion/candidatures/{app.pk}/"


@pytest.mark.parametrize(
    "who, office, status",
    [
        ("coordinator", "mdq-sud", 200),
        ("agent_sud", "mdq-sud", 200),
        ("agent_nord", "mdq-sud", 403),  # another mairie's paper form
        ("observer", "mdq-sud", 403),
    ],
)
def test_who_may_see_a_paper_application(request, as_user, paper_app, who, office, status):
    app = paper_app(office)
    assert as_user(request.getfixturevalue(who)).get(url(app)).status_code == status


def test_anonymous_goes_to_login(as_user, paper_app):
    response = as_user(None).get(url(paper_app("mdq-sud")))
    assert response.status_code == 302 and response["Location"].startswith("/gestion/connexion/")


def test_detail_shows_fields_secteur_source_history_and_twins(
    as_user, coordinator, online_app, paper_app
):
    first = online_app(given_name="Amélie", secteur="sud", area_source="address")
    twin = paper_app("mdq-nord", given_name="AMELIE", family_name="dupont")
    text = as_user(coordinator).get(url(twin)).text
    assert "DUPONT" in text and "AMELIE" in text and "14/03/1980" in text
    assert "Sud" in text and "déduit de l&#x27;adresse" in text
    assert f'href="/gestion/candidatures/{first.pk}/"' in text  # link to the probable twin
    assert "application.created" in text and "application.duplicate_suspected" in text
    assert "Doublon probable de " + first.receipt_code in text


def test_agent_sees_twin_code_but_no_link_outside_their_mairie(
    as_user, agent_nord, online_app, paper_app
):
    first = online_app(given_name="Amélie")
    twin = paper_app("mdq-nord", given_name="Amélie")
    text = as_user(agent_nord).get(url(twin)).text
    assert first.receipt_code in text
    assert f'href="/gestion/candidatures/{first.pk}/"' not in text
    assert "Décider" not in text  # decisions are the coordinators'


def test_refusal_is_explained_in_french(as_user, agent_nord, paper_app):
    response = as_user(agent_nord).get(url(paper_app("mdq-sud")))
    assert response.status_code == 403
    assert "Accès refusé" in response.text


def test_history_details_are_words_not_raw_data(as_user, coordinator, online_app):
    app = online_app()
    text = as_user(coordinator).get(url(app)).text
    # The status change reads « avant : reçue ; après : recevable », not a Python dict.
    assert "avant : reçue ; après : recevable" in text
    assert "{&#x27;from&#x27;" not in text and "{'from'" not in text
