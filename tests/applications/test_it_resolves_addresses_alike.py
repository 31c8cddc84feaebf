"""One address, one answer: the online form, the counter entry and the import agree.

The same table of addresses (a street in one secteur, a typo, a street across
secteurs with and without a choice, an unknown street with and without a declared
secteur, a street known only by its name, an address outside the city) goes
through the three channels as a person would use them; each gives the same
secteur, quartier, origin, review flag and review note (``tirage.geo.address``).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.applications.intake_helpers import csv_bytes
from tests.applications.online import review_key, step1
from tests.factories import roubaix_call
from tirage.applications.imports import import_applications
from tirage.applications.models import Application, Channel, Status
from tirage.calls.models import Office

pytestmark = pytest.mark.django_db

LANNOY = "Voie située dans plusieurs secteurs (Est, Sud, Centre) : secteur à choisir."
LILAS = "Voie « Rue Imaginaire des Lilas » non trouvée"
OUTSIDE = "Adresse hors du territoire de l'appel : à vérifier."

# (number, street, postcode, commune, declared secteur or "" for « je ne sais pas »)
#   → (secteur, quartier, area_source, needs_review, review_note)
TABLE = [
    (("12", "Rue de l'Épeule", "59100", "Roubaix", ""), ("ouest", "Q05", "address", False, "")),
    (("3", "rue de l'homelet", "59100", "Roubaix", ""), ("nord", "Q04", "address", False, "")),
    (
        ("100", "Rue de Lannoy", "59100", "Roubaix", "centre"),
        ("centre", "Q06", "applicant", False, ""),
    ),
    (("100", "Rue de Lannoy", "59100", "Roubaix", ""), ("", "", "", True, LANNOY)),
    (
        ("1", "Rue Imaginaire des Lilas", "59100", "Roubaix", "ouest"),
        ("ouest", "", "applicant", True, f"{LILAS} : secteur Ouest déclaré, à vérifier."),
    ),
    (
        ("1", "Rue Imaginaire des Lilas", "59100", "Roubaix", ""),
        ("", "", "", True, f"{LILAS} : secteur à déterminer."),
    ),
    (
        ("8", "Avenue du Onze Novembre", "59100", "Roubaix", "est"),
        (
            "est",
            "",
            "applicant",
            True,
            "Voie « Avenue du Onze Novembre » sans secteur connu : secteur Est déclaré, à vérifier.",
        ),
    ),
]
DONT_KNOW = "je-ne-sais-pas"


@pytest.fixture
def call(db):
    return roubaix_call(open_on=timezone.localdate())


def _outcome(app: Application) -> tuple:
    return (app.secteur, app.quartier, app.area_source, app.needs_review, app.review_note)


def online(name: str, address: tuple) -> Application | Client:
    number, street, postcode, commune, declared = address
    client = Client()
    response = client.post(
        "/candidater/",
        step1(
            family_name=name,
            street_number=number,
            street_name=street,
            postcode=postcode,
            commune=commune,
        ),
    )
    if response.status_code == 200:  # refused on the form
        return response
    if response["Location"] == "/candidater/secteur/":
        client.post("/candidater/secteur/", {"secteur": declared or DONT_KNOW})
    client.post("/candidater/verifier/", {"submission_key": review_key(client)})
    return Application.objects.get(family_name=name)


def counter(client: Client, name: str, address: tuple) -> Application:
    number, street, postcode, commune, declared = address
    response = client.post(
        "/gestion/saisie/",
        {
            "family_name": name,
            "given_name": "Amélie",
            "gender": "femme",
            "birth_date": "14/03/1980",
            "street_number": number,
            "street_name": street,
            "postcode": postcode,
            "commune": commune,
            "consent_notice": "on",
            "attests_residence": "on",
            "office": str(Office.objects.get(code="mdq-nord").pk),
            "received_on": f"{timezone.localdate():%d/%m/%Y}",
            "secteur": declared or DONT_KNOW,
            "submission_key": f"key-{name}",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return Application.objects.get(family_name=name)


def imported(call, name: str, address: tuple) -> Application:
    number, street, postcode, commune, declared = address
    header = [
        "genre", "nom", "prénom", "date_naissance", "numéro", "voie", "code_postal", "commune",
        "secteur", "consentement", "atteste_résidence",
    ]  # fmt: skip
    line = ["femme", name, "Amélie", "14/03/1980", number, street, postcode, commune, declared]
    content = csv_bytes([[*line, "oui", "oui"]], header=header)
    report = import_applications(call, content, filename="table.csv", channel=Channel.IMPORT)
    assert not report.errors and not report.file_errors, report.errors
    return Application.objects.get(family_name=name)


@pytest.mark.parametrize(("address", "expected"), TABLE, ids=[f"{a[1]}|{a[4]}" for a, _ in TABLE])
def test_the_three_channels_give_the_same_secteur_quartier_flag_and_note(
    call, as_user, agent_nord, address, expected
):
    staff = as_user(agent_nord)
    results = {
        "en ligne": online("Enligne", address),
        "guichet": counter(staff, "Guichet", address),
        "import": imported(call, "Import", address),
    }
    outcomes = {channel: _outcome(app) for channel, app in results.items()}
    assert outcomes == {channel: expected for channel in results}
    assert len({app.street_id for app in results.values()}) == 1
    assert {app.status for app in results.values()} == {Status.ELIGIBLE}


def test_an_address_outside_the_city_is_refused_online_and_flagged_alike_elsewhere(
    call, as_user, agent_nord
):
    address = ("3", "Rue Nationale", "59200", "Tourcoing", "")
    refused = online("Enligne", address)
    assert refused.context["form"].errors["postcode"] == [
        "Ce code postal n'est pas celui de Roubaix (59100). "
        "Seuls les habitants de Roubaix peuvent candidater."
    ]
    assert not Application.objects.filter(family_name="Enligne").exists()
    at_counter = counter(as_user(agent_nord), "Guichet", address)
    from_file = imported(call, "Import", address)
    for app in (at_counter, from_file):
        assert _outcome(app) == ("", "", "", True, OUTSIDE)
        assert app.status == Status.INELIGIBLE
        assert app.status_reason == "Code postal 59200 hors du territoire (59100)."
