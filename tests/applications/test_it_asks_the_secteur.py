"""Address → secteur: unknown streets are flagged, streets across secteurs ask the applicant."""

import pytest

from tests.applications.online import open_call, review_key, step1
from tirage.applications.models import Application, AreaSource
from tirage.geo.lookup import lookup_street

pytestmark = pytest.mark.django_db


def submit(client):
    client.post("/candidater/verifier/", {"submission_key": review_key(client)})
    return Application.objects.get()


def test_unknown_street_asks_the_secteur_and_is_flagged(client):
    open_call()
    response = client.post("/candidater/", step1(street_name="Rue Qui N'existe Pas"))
    assert response["Location"] == "/candidater/secteur/"
    page = client.get("/candidater/secteur/").content.decode()
    assert "Dans quel secteur habitez-vous ?" in page
    assert "Je ne sais pas" in page
    for office in ("Nord", "Sud", "Est", "Ouest", "Centre"):
        assert f"Mairie des quartiers {office}" in page
    # A quartier across two secteurs is listed under both, and says so.
    assert page.count("Fraternité – Linné – Justice (partagé entre Est et Sud)") == 2
    client.post("/candidater/secteur/", {"secteur": "ouest"})
    app = submit(client)
    assert (app.secteur, app.area_source) == ("ouest", AreaSource.APPLICANT)
    assert app.needs_review
    assert app.review_note == (
        "Voie « Rue Qui N'existe Pas » non trouvée : secteur Ouest déclaré, à vérifier."
    )


def test_unknown_street_and_i_dont_know_leaves_the_secteur_blank(client):
    open_call()
    client.post("/candidater/", step1(street_name="Rue Qui N'existe Pas"))
    client.post("/candidater/secteur/", {"secteur": "je-ne-sais-pas"})
    page = client.get("/candidater/verifier/").content.decode()
    assert "Nos services la trouveront" in page
    app = submit(client)
    assert (app.secteur, app.area_source) == ("", "")
    assert app.needs_review
    assert app.review_note == "Voie « Rue Qui N'existe Pas » non trouvée : secteur à déterminer."


def test_the_secteur_step_requires_an_answer(client):
    open_call()
    client.post("/candidater/", step1(street_name="Rue Qui N'existe Pas"))
    response = client.post("/candidater/secteur/", {})
    assert response.status_code == 200
    assert response.context["form"].errors["secteur"] == ["Choisissez votre mairie de quartier."]
    assert 'href="#id_secteur_0"' in response.content.decode()
    # The review page is not reachable before the choice.
    assert client.get("/candidater/verifier/")["Location"] == "/candidater/secteur/"


def test_street_across_several_secteurs_asks_to_choose_among_them(client):
    street = "Rue de l'Alma"
    match = lookup_street(street, postcode="59100", commune="Roubaix")
    assert match.status == "multiple"
    open_call()
    response = client.post("/candidater/", step1(street_name=street))
    assert response["Location"] == "/candidater/secteur/"
    response = client.get("/candidater/secteur/")
    page = response.content.decode()
    assert "Votre rue traverse plusieurs secteurs : choisissez votre mairie de quartier" in page
    offered = [code for code, _ in response.context["form"].fields["secteur"].choices]
    assert offered[-1] == "je-ne-sais-pas"
    assert set(offered[:-1]) == set(match.secteurs)
    client.post("/candidater/secteur/", {"secteur": "nord"})
    app = submit(client)
    assert (app.secteur, app.area_source) == ("nord", AreaSource.APPLICANT)
    assert app.quartier == "Q02"  # the part of the street in the Nord secteur
    assert app.street_id == match.street_id and not app.needs_review


def test_street_across_several_secteurs_and_i_dont_know_is_flagged_not_guessed(client):
    open_call()
    client.post("/candidater/", step1(street_name="Rue de Lannoy"))
    client.post("/candidater/secteur/", {"secteur": "je-ne-sais-pas"})
    page = client.get("/candidater/verifier/").content.decode()
    assert "Nos services la trouveront" in page
    assert "Modifier votre mairie de quartier</a>" in page  # the visible link text is a sentence
    app = submit(client)
    assert (app.secteur, app.quartier, app.area_source) == ("", "", "")
    assert app.needs_review
    assert app.review_note == (
        "Voie située dans plusieurs secteurs (Est, Sud, Centre) : secteur à choisir."
    )


def test_street_in_one_secteur_goes_straight_to_review(client):
    street = "Rue de l'Épeule"
    match = lookup_street(street, postcode="59100", commune="Roubaix")
    assert match.status == "single"
    open_call()
    response = client.post("/candidater/", step1(street_name=street))
    assert response["Location"] == "/candidater/verifier/"
    app = submit(client)
    assert (app.secteur, app.quartier, app.area_source) == ("ouest", "Q05", AreaSource.ADDRESS)
    assert app.street_id == match.street_id and not app.needs_review


def test_unknown_street_suggests_close_names_and_uses_the_one_chosen(client):
    typed = "Rue Jean Jaures"
    match = lookup_street(typed, postcode="59100", commune="Roubaix")
    assert match.status == "unknown" and match.candidates[0].label == "Avenue Jean Jaurès"
    open_call()
    client.post("/candidater/", step1(street_name=typed))
    page = client.get("/candidater/secteur/").content.decode()
    assert "Vouliez-vous dire ?" in page
    assert "C'est ma rue : Avenue Jean Jaurès" in page
    response = client.post("/candidater/secteur/", {"street_candidate": "0"})
    avenue = lookup_street("Avenue Jean Jaurès", postcode="59100", commune="Roubaix")
    expected_next = "/candidater/verifier/" if avenue.status == "single" else "/candidater/secteur/"
    assert response["Location"] == expected_next
    if avenue.status != "single":
        client.post("/candidater/secteur/", {"secteur": avenue.secteurs[0]})
    app = submit(client)
    assert app.street_name == "Avenue Jean Jaurès" and app.street_id == avenue.street_id
    assert app.secteur == avenue.secteurs[0] and not app.needs_review


def test_a_forged_suggestion_index_changes_nothing(client):
    open_call()
    client.post("/candidater/", step1(street_name="Rue Jean Jaures"))
    response = client.post("/candidater/secteur/", {"street_candidate": "9"})
    assert response["Location"] == "/candidater/secteur/"
    assert client.session["application_draft"]["answers"]["street_name"] == "Rue Jean Jaures"


def test_another_city_without_street_data_gets_the_secteur_question(client):
    call = open_call()
    call.city_name, call.communes, call.postcodes = "Tourcoing", ["Tourcoing"], ["59200"]
    call.save()
    response = client.post(
        "/candidater/", step1(street_name="Rue de l'Alma", postcode="59200", commune="Tourcoing")
    )
    assert response["Location"] == "/candidater/secteur/"
    assert client.session["application_draft"]["area"]["status"] == "unknown"
