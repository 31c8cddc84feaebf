"""The import page in a real browser: upload, errors, « Importer les lignes valides », axe."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.applications.intake_helpers import csv_bytes, row
from tests.browser.conftest import assert_no_axe_violations
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.applications.models import Application
from tirage.backoffice.roles import COORDINATOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str, role: str) -> None:
    client = Client()
    client.force_login(make_staff(username, role))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_coordinator_imports_the_valid_rows_after_seeing_the_errors(
    live_server, page, axe, tmp_path
):
    roubaix_call(open_on=dt.date.today())
    log_in(page, live_server, "coord", COORDINATOR)
    upload = tmp_path / "candidatures.csv"
    upload.write_bytes(
        csv_bytes([row(nom="Bon"), row(nom="Mauvais", date_naissance="31/02/1990")], bom=True)
    )

    page.goto(f"{live_server.url}/gestion/candidatures/importer/")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Fichier (.csv ou .xlsx)").set_input_files(str(upload))
    page.get_by_label("Autre fichier de candidatures").check()
    page.get_by_role("button", name="Importer", exact=True).click()

    assert page.get_by_role("alert").first.inner_text() == "Aucune candidature importée"
    assert (
        "Ligne 3, colonne « date_naissance » : « 31/02/1990 » n'est pas une date valide."
        in page.content()
    )
    assert_no_axe_violations(axe, page)
    assert Application.objects.count() == 0

    page.get_by_role("button", name="Importer les lignes valides (1)").click()
    assert page.get_by_role("status").inner_text() == "1 candidature importée"
    assert list(Application.objects.values_list("family_name", flat=True)) == ["Bon"]


def test_export_page_downloads_the_xlsx(live_server, page, axe):
    roubaix_call(open_on=dt.date.today())
    log_in(page, live_server, "coord", COORDINATOR)
    page.goto(f"{live_server.url}/gestion/candidatures/exporter/")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Statut").select_option("eligible")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger en Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.suggested_filename.startswith("candidatures-roubaix-cln-2025-")
