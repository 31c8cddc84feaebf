import datetime as dt

import pytest

from tests.factories import roubaix_call
from tirage.applications.models import Application, Channel, Status
from tirage.applications.staff_forms import CounterEntryForm
from tirage.calls.models import Office

pytestmark = pytest.mark.django_db

URL = "/gestion/saisie/"
STREET = "Rue Imaginaire des Essais"  # in no street table: the secteur is chosen by the agent


def form_data(**overrides):
    data = {
        "family_name": "Martin",
        "given_name": "Élodie",
        "gender": "femme",
        "birth_date": "14/03/1980",
        "street_number": "3",
        "street_name": STREET,
        "address_complement": "",
        "postcode": "59100",
        "commune": "Roubaix",
        "phone": "0320000000",
        "email": "",
        "motivation": "",
        "consent_notice": "on",
        "attests_residence": "on",
        "office": str(Office.objects.get(code="mdq-nord").pk),
        "received_on": dt.date.today().strftime("%d/%m/%Y"),
        "secteur": "nord",
        "quartier": "",
        "submission_key": "clef-1",
    }
    data.update(overrides)
    return data


def test_blank_form_is_ready_for_the_agent(as_user, agent_nord, today):
    response = as_user(agent_nord).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    nord = Office.objects.get(code="mdq-nord")
    assert form["office"].value() == nord.pk
    assert f'<option value="{nord.pk}" selected>Mairie des quartiers Nord</option>' in response.text
    assert form["received_on"].value() == today
    assert len(form["submission_key"].value()) == 32
    assert 'name="family_name"' in response.text and "autofocus" in response.text
    assert f'value="{today:%d/%m/%Y}"' in response.text


def test_save_gives_a_paper_application_and_a_cleared_form(as_user, agent_nord):
    client = as_user(agent_nord)
    response = client.post(URL, form_data(birth_date="14031980"))  # JJMMAAAA works too
    assert response.status_code == 302 and response["Location"] == URL
    app = Application.objects.get()
    assert (app.channel, app.office.code, app.received_by) == (
        Channel.PAPER,
        "mdq-nord",
        agent_nord,
    )
    assert app.birth_date == dt.date(1980, 3, 14) and app.status == Status.ELIGIBLE
    # The street is in no table: the secteur written on the form is kept, flagged.
    assert (app.secteur, app.area_source, app.needs_review) == ("nord", "applicant", True)
    assert app.review_note == (
        "Voie « Rue Imaginaire des Essais » non trouvée : secteur Nord déclaré, à vérifier."
    )
    page = client.get(URL)
    assert f'<p class="big-code">{app.receipt_code}</p>' in page.text
    assert f"/gestion/saisie/recepisse/{app.pk}/" in page.text
    assert page.context["form"]["family_name"].value() is None  # ready for the next one
    assert client.get(URL).context["last"] is None  # shown once


def test_unknown_street_needs_a_secteur_or_i_dont_know(as_user, agent_nord):
    client = as_user(agent_nord)
    response = client.post(URL, form_data(secteur=""))
    assert response.status_code == 400
    assert "Voie introuvable dans le référentiel" in response.text
    assert 'name="secteur"' in response.text
    assert response.context["form"].fields["secteur"].widget.attrs.get("autofocus") is True
    assert Application.objects.count() == 0
    # « Je ne sais pas », as online: saved without a secteur, flagged with the same note.
    assert client.post(URL, form_data(secteur="je-ne-sais-pas")).status_code == 302
    app = Application.objects.get()
    assert (app.secteur, app.area_source, app.needs_review) == ("", "", True)
    assert app.review_note == (
        "Voie « Rue Imaginaire des Essais » non trouvée : secteur à déterminer."
    )


def test_errors_are_in_french_on_each_field_and_nothing_is_saved(as_user, agent_nord):
    response = as_user(agent_nord).post(
        URL, form_data(family_name="", birth_date="31/02/1980", email="pas-un-courriel")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["family_name"] == ["Remplissez « Nom »."]
    assert errors["birth_date"] == ["Cette date n'existe pas : vérifiez le jour et le mois."]
    assert errors["email"] == ["Adresse de courriel non valide."]
    assert 'href="#id_birth_date"' in response.text  # error summary links to the field
    assert 'aria-describedby="id_birth_date-err"' in response.text
    assert '<p class="error" id="id_birth_date-err">' in response.text


def test_focus_goes_to_the_first_field_in_error(as_user, agent_nord):
    response = as_user(agent_nord).post(URL, form_data(birth_date="1980"))
    form = response.context["form"]
    assert form.fields["birth_date"].widget.attrs.get("autofocus") is True
    assert "autofocus" not in form.fields["family_name"].widget.attrs
    assert Application.objects.count() == 0


def test_double_submit_gives_one_application(as_user, agent_nord):
    client = as_user(agent_nord)
    client.post(URL, form_data(submission_key="same"))
    second = client.post(URL, form_data(submission_key="same"), follow=True)
    assert Application.objects.count() == 1
    assert "Ce formulaire était déjà enregistré (double envoi)" in second.text
    assert Application.objects.get().receipt_code in second.text


def test_after_the_deadline_received_before_is_accepted_after_stored_late(
    as_user, agent_nord, today
):
    call = roubaix_call(open_on=today - dt.timedelta(days=40))  # closed about 18 days ago
    closing = call.closing_date
    assert closing < today
    client = as_user(agent_nord)
    assert "L'appel est clos depuis le" in client.get(URL).text
    after = closing + dt.timedelta(days=1)
    late = client.post(URL, form_data(received_on=f"{after:%d/%m/%Y}"))
    assert late.status_code == 302
    stored = Application.objects.get()
    assert stored.status == Status.LATE and not stored.may_be_drawn
    assert stored.status_reason == (
        f"Formulaire reçu le {after:%d/%m/%Y}, après la clôture du {closing:%d/%m/%Y} : "
        "hors délai, il ne participe pas au tirage au sort."
    )
    page = client.get(URL).text
    assert "statut « hors délai »" in page
    assert "Cette candidature ne participe pas au tirage au sort." in page
    receipt = client.get(f"/gestion/saisie/recepisse/{stored.pk}/").text
    assert "elle ne participe pas au tirage au sort" in receipt
    assert "sera affiché lors du tirage au sort public" not in receipt
    on_time = client.post(
        URL, form_data(received_on=f"{closing:%d/%m/%Y}", submission_key="k2", given_name="Inès")
    )
    assert on_time.status_code == 302
    assert Application.objects.get(submission_key="k2").status == Status.ELIGIBLE


def test_received_date_cannot_be_in_the_future(as_user, agent_nord, today):
    response = as_user(agent_nord).post(
        URL, form_data(received_on=f"{today + dt.timedelta(days=1):%d/%m/%Y}")
    )
    assert response.context["form"].errors["received_on"] == [
        "La date de réception ne peut pas être dans le futur."
    ]


def test_real_street_in_one_secteur_is_derived(as_user, agent_nord):
    # Rue de l'Épeule lies in secteur Ouest (shipped geo data); the agent's choice is ignored.
    response = as_user(agent_nord).post(
        URL, form_data(street_name="rue de l'epeule", secteur="nord")
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert (app.secteur, app.quartier, app.area_source, app.needs_review) == (
        "ouest",
        "Q05",
        "address",
        False,
    )
    assert app.street_id


def test_real_street_crossing_secteurs_asks_which(as_user, agent_nord):
    # Rue de Lannoy crosses the Est, Sud and Centre secteurs.
    client = as_user(agent_nord)
    first = client.post(URL, form_data(street_name="Rue de Lannoy", secteur=""))
    assert first.status_code == 400
    assert (
        first.context["form"]
        .errors["secteur"][0]
        .startswith("Cette voie traverse plusieurs secteurs")
    )
    assert [c[0] for c in first.context["form"].fields["secteur"].choices] == [
        "",
        "sud",
        "est",
        "centre",
        "je-ne-sais-pas",
    ]
    assert (
        client.post(URL, form_data(street_name="Rue de Lannoy", secteur="nord")).status_code == 400
    )
    assert (
        client.post(URL, form_data(street_name="Rue de Lannoy", secteur="est")).status_code == 302
    )
    app = Application.objects.get()
    assert (app.secteur, app.area_source, app.needs_review) == ("est", "applicant", False)


def test_street_crossing_secteurs_offers_i_dont_know_like_the_online_form(as_user, agent_nord):
    client = as_user(agent_nord)
    response = client.post(URL, form_data(street_name="Rue de Lannoy", secteur="je-ne-sais-pas"))
    assert response.status_code == 302
    app = Application.objects.get()
    assert (app.secteur, app.quartier, app.area_source, app.needs_review) == ("", "", "", True)
    assert app.review_note == (
        "Voie située dans plusieurs secteurs (Est, Sud, Centre) : secteur à choisir."
    )


def test_street_crossing_secteurs_gives_the_quartier_of_the_part_chosen(call):
    form = CounterEntryForm(form_data(street_name="Rue de Lannoy", secteur="centre"), call=call)
    assert form.is_valid()
    form.apply_area()
    assert not form.errors
    data = form.applicant_data()
    assert (data["secteur"], data["quartier"], data["area_source"]) == (
        "centre",
        "Q06",
        "applicant",
    )
    assert data["street_id"] and not data["needs_review"]


def test_observer_cannot_type_in(as_user, observer):
    assert as_user(observer).get(URL).status_code == 403


def test_address_outside_the_city_is_saved_as_ineligible_with_its_reason(as_user, agent_nord):
    client = as_user(agent_nord)
    data = form_data(street_name="Rue Nationale", postcode="59000", commune="Lille", secteur="")
    assert client.post(URL, data).status_code == 302
    app = Application.objects.get()
    assert app.status == Status.INELIGIBLE
    assert app.status_reason == "Code postal 59000 hors du territoire (59100)."
    assert "Code postal 59000 hors du territoire" in client.get(URL).text


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("29/02/2001", "Cette date n'existe pas : vérifiez le jour et le mois."),
        ("31042000", "Cette date n'existe pas : vérifiez le jour et le mois."),
        (
            "14/13/1980",
            "Date non reconnue : tapez-la sous la forme JJ/MM/AAAA (par exemple 14/03/1980).",
        ),
        (
            "le 14 mars",
            "Date non reconnue : tapez-la sous la forme JJ/MM/AAAA (par exemple 14/03/1980).",
        ),
    ],
)
def test_an_impossible_date_is_told_apart_from_a_badly_typed_one(as_user, agent_nord, typed, error):
    response = as_user(agent_nord).post(URL, form_data(birth_date=typed))
    assert response.context["form"].errors["birth_date"] == [error]
    assert Application.objects.count() == 0
