"""The staff import page: upload, errors row by row, « Importer les lignes valides »."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.applications.intake_helpers import csv_bytes, row
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.applications.models import Application, Channel
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(settings):
    # Open today so that rows without a reception date are accepted.
    return roubaix_call(open_on=dt.date.today())


def upload(content: bytes, name="candidatures.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_coordinator_sees_errors_then_imports_the_valid_rows(client, call):
    client.force_login(make_staff("coord", COORDINATOR))
    url = reverse("applications_staff:import")
    assert client.get(url).status_code == 200
    content = csv_bytes([row(nom="Bon"), row(nom="Mauvais", code_postal="ABC")])
    response = client.post(
        url,
        {
            "file": upload(content),
            "mode": "all_or_nothing",
            "channel": Channel.IMPORT,
            "import": "1",
        },
    )
    page = response.content.decode()
    assert "Aucune candidature importée" in page
    assert "Ligne 3, colonne « code_postal »" in page
    assert "Importer les lignes valides (1)" in page
    assert Application.objects.count() == 0

    pending = re.search(r'name="pending" value="([0-9a-f]{64})"', page).group(1)
    response = client.post(
        url,
        {"pending": pending, "pending_name": "candidatures.csv", "mode": "valid_rows",
         "channel": Channel.IMPORT, "office": ""},
    )  # fmt: skip
    assert "1 candidature importée" in response.content.decode()
    assert list(Application.objects.values_list("family_name", flat=True)) == ["Bon"]


def test_verify_only_creates_nothing(client, call):
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.post(
        reverse("applications_staff:import", kwargs={"slug": call.slug}),
        {"file": upload(csv_bytes([row()])), "mode": "all_or_nothing", "channel": Channel.PAPER,
         "office": call.offices.first().pk, "verify": "1"},
    )  # fmt: skip
    assert "Le fichier est correct : 1 ligne prête à importer" in response.content.decode()
    assert Application.objects.count() == 0


def test_counter_agent_imports_paper_forms_for_their_office(client, call):
    office = call.offices.get(code="mdq-est")
    client.force_login(make_staff("agent", COUNTER_AGENT, office=office))
    response = client.post(
        reverse("applications_staff:import"),
        {"file": upload(csv_bytes([row()])), "mode": "all_or_nothing", "channel": Channel.IMPORT,
         "office": call.offices.get(code="mdq-nord").pk, "import": "1"},
    )  # fmt: skip
    assert "1 candidature importée" in response.content.decode()
    app = Application.objects.get()
    assert (app.channel, app.office, app.received_by.username) == (Channel.PAPER, office, "agent")


def test_agent_without_office_and_observer_are_refused(client, call):
    client.force_login(make_staff("agent", COUNTER_AGENT))
    assert client.get(reverse("applications_staff:import")).status_code == 403
    client.force_login(make_staff("obs", OBSERVER))
    assert client.get(reverse("applications_staff:import")).status_code == 403


def test_template_file_has_the_import_columns_and_reimports_empty(client, call):
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.get(reverse("applications_staff:import_template"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").strip().split(";")
    assert header[:4] == ["genre", "nom", "prénom", "date_naissance"]
    assert header[-2:] == ["consentement", "atteste_résidence"]
    response = client.post(
        reverse("applications_staff:import"),
        {"file": upload(response.content), "mode": "all_or_nothing", "channel": Channel.IMPORT,
         "import": "1"},
    )  # fmt: skip
    assert "Le fichier ne contient aucune ligne de candidature." in response.content.decode()
