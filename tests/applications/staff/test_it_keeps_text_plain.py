"""Control characters are refused at every way in, and exports survive those already stored."""

from __future__ import annotations

import io
import unicodedata

import pytest
from openpyxl import load_workbook

from tests.applications.intake_helpers import csv_bytes, row
from tests.applications.online import step1
from tests.applications.staff.test_it_enters_at_counter import form_data
from tests.factories import applicant
from tirage.applications.imports import VALID_ROWS, import_applications
from tirage.applications.models import Application
from tirage.applications.services import submit_application

pytestmark = pytest.mark.django_db

BELL = "Ann\x07e"


def test_the_online_form_names_the_field_with_a_control_character(client):
    response = client.post("/candidater/", step1(given_name=BELL))
    assert response.status_code == 200
    assert (
        "Le champ « Prénom » contient un caractère invisible non autorisé (U+0007)" in response.text
    )
    # A right-to-left override (text shown in another order than stored) too.
    response = client.post("/candidater/", step1(family_name="Dupont\u202eevil"))
    assert "Le champ « Nom » contient un caractère invisible non autorisé (U+202E)" in response.text


def test_the_online_form_stores_names_in_nfc(client):
    decomposed = unicodedata.normalize("NFD", "Amélie")
    assert len(decomposed) == 7
    client.post("/candidater/", step1(given_name=decomposed, street_name="Boulevard de Fourmies"))
    draft = client.session["application_draft"]
    assert draft["answers"]["given_name"] == "Amélie" and len("Amélie") == 6


def test_the_counter_refuses_it_and_keeps_line_breaks_in_the_motivation(as_user, agent_nord):
    client = as_user(agent_nord)
    response = client.post("/gestion/saisie/", form_data(family_name="Mar\x1btin"))
    assert response.status_code == 400
    assert "Le champ « Nom » contient un caractère invisible non autorisé (U+001B)" in response.text
    assert not Application.objects.exists()
    response = client.post("/gestion/saisie/", form_data(motivation="Ligne 1\r\nLigne 2"))
    assert response.status_code == 302
    assert Application.objects.get().motivation == "Ligne 1\r\nLigne 2"


def test_the_import_names_the_row_and_the_field(call):
    content = csv_bytes([row(), row(nom="Dur\x00and", prénom="Zoé"), row(prénom=BELL)])
    report = import_applications(call, content, filename="c.csv", mode=VALID_ROWS)
    messages = [str(e) for e in report.errors]
    assert any(m.startswith("Ligne 4") and "« Prénom »" in m and "U+0007" in m for m in messages)
    assert any(m.startswith("Ligne 3") for m in messages)
    assert report.rejected_lines == [3, 4]


def test_exports_survive_a_control_character_already_stored(as_user, coordinator, call):
    stored = submit_application(call, applicant(given_name="Léa")).application
    Application.objects.filter(pk=stored.pk).update(given_name=BELL, motivation="=1+1\x0c")
    client = as_user(coordinator)
    response = client.get("/gestion/candidatures/exporter/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert "Ann\ufffde" in values and "=1+1\ufffd" in values
    response = client.get("/gestion/candidatures/exporter/?format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Ann\ufffde" in text and "\x07" not in text and "'=1+1\ufffd" in text
