"""Each bad answer gets its French message on the field concerned, and in the summary."""

import re

import pytest

from tests.applications.online import open_call, step1
from tirage.applications.models import Application

pytestmark = pytest.mark.django_db


def errors_of(response) -> dict[str, list[str]]:
    return {
        name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"gender": None}, "gender", "Choisissez votre genre : femme, homme ou autre."),
        ({"gender": "x"}, "gender", None),
        ({"family_name": "  "}, "family_name", "Indiquez votre nom."),
        ({"given_name": ""}, "given_name", "Indiquez votre prénom."),
        ({"birth_day": ""}, "birth_day", "Indiquez le jour de votre naissance."),
        (
            {"birth_day": "", "birth_month": "", "birth_year": ""},
            "birth_day",
            "Indiquez votre date de naissance.",
        ),
        ({"birth_day": "32"}, "birth_day", "Le jour doit être un nombre entre 1 et 31."),
        ({"birth_month": "13"}, "birth_month", "Le mois doit être un nombre entre 1 et 12."),
        (
            {"birth_year": "85"},
            "birth_year",
            "L'année doit comporter 4 chiffres, par exemple 1985.",
        ),
        ({"birth_year": "1850"}, "birth_year", "Vérifiez l'année de naissance."),
        (
            {"birth_day": "31", "birth_month": "2"},
            "birth_day",
            "Cette date n'existe pas : vérifiez le jour et le mois.",
        ),
        (
            {"street_name": ""},
            "street_name",
            "Indiquez le nom de votre rue (ou avenue, boulevard…).",
        ),
        (
            {"postcode": "591"},
            "postcode",
            "Le code postal doit comporter 5 chiffres, par exemple 59100.",
        ),
        (
            {"postcode": "59000", "commune": "Lille"},
            "postcode",
            "Ce code postal n'est pas celui de Roubaix (59100). "
            "Seuls les habitants de Roubaix peuvent candidater.",
        ),
        (
            {"commune": "Tourcoing"},
            "commune",
            "Indiquez Roubaix : seuls les habitants de Roubaix peuvent candidater.",
        ),
        (
            {"email": "amelie@"},
            "email",
            "Indiquez une adresse de courriel valide, par exemple nom@exemple.fr.",
        ),
        (
            {"phone": "12"},
            "phone",
            "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78.",
        ),
        (
            {"consent_notice": None},
            "consent_notice",
            "Cochez cette case pour confirmer que vous avez lu la notice d'information.",
        ),
        (
            {"attests_residence": None},
            "attests_residence",
            "Cochez cette case pour attester que vous habitez Roubaix.",
        ),
    ],
)
def test_error_is_on_the_field_concerned(client, overrides, field, message):
    open_call()
    response = client.post("/candidater/", step1(**overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
    page = response.content.decode()
    anchor = "id_gender_0" if field == "gender" else f"id_{field}"
    # The summary links to the field; the field says it is invalid and points to its message.
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert f'href="#{anchor}"' in summary
    assert "Il y a 1 erreur à corriger" in summary
    assert page.index('class="error-summary"') < page.index("<h1>")
    assert "<title>Erreur : " in page
    assert Application.objects.count() == 0


def test_field_error_is_linked_by_aria(client):
    open_call()
    page = client.post("/candidater/", step1(family_name="")).content.decode()
    tag = re.search(r'<input[^>]*name="family_name"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_family_name_error"' in tag
    assert 'id="id_family_name_error"' in page


def test_birth_date_errors_are_linked_on_all_three_inputs(client):
    open_call()
    page = client.post("/candidater/", step1(birth_day="31", birth_month="2")).content.decode()
    for name in ("birth_day", "birth_month", "birth_year"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-describedby="birth_date_hint birth_date_error"' in tag
        assert 'aria-invalid="true"' in tag
        assert f'autocomplete="bday-{name.split("_")[1]}"' in tag


def test_hints_are_linked_before_any_error(client):
    open_call()
    page = client.get("/candidater/").content.decode()
    email = re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    assert 'aria-describedby="id_email_helptext"' in email
    assert 'autocomplete="email"' in email
    assert "aria-invalid" not in email
    day = re.search(r'<input[^>]*name="birth_day"[^>]*>', page).group(0)
    assert 'aria-describedby="birth_date_hint"' in day


def test_several_errors_are_counted_in_page_order(client):
    open_call()
    response = client.post("/candidater/", step1(family_name="", postcode="", consent_notice=None))
    links = response.context["form"].error_links()
    assert [anchor for anchor, _ in links] == ["id_family_name", "id_postcode", "id_consent_notice"]
    assert "Il y a 3 erreurs à corriger" in response.content.decode()


def test_address_line_typed_with_its_number_is_split(client):
    open_call()
    client.post("/candidater/", step1(street_number="", street_name="12 bis rue Imaginaire"))
    answers = client.session["application_draft"]["answers"]
    assert (answers["street_number"], answers["street_name"]) == ("12 bis", "rue Imaginaire")
