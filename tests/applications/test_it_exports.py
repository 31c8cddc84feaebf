"""Export of applications (coordinators) and anonymous statistics (observers too)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import applicant, roubaix_call
from tests.roles import make_staff
from tirage.applications.models import Channel, Status
from tirage.applications.services import submit_application
from tirage.audit.models import AuditEntry
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def call():
    call = roubaix_call()
    submit_application(call, applicant(family_name="Hénin", given_name="Zoé"), now=NOW)
    submit_application(
        call, applicant(family_name="Nguyen", given_name="Minh", gender="homme", secteur="nord",
                        motivation="=HYPERLINK(\"http://x\")", birth_date=dt.date(2009, 6, 7)),
        channel=Channel.PAPER, office=call.offices.get(code="mdq-nord"),
        received_on=dt.date(2025, 6, 1), now=NOW,
    )  # fmt: skip
    return call


def test_csv_has_bom_semicolons_french_headers_and_dates(client, call):
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.get(
        reverse("applications_staff:export", kwargs={"slug": call.slug}), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8")), delimiter=";"))
    header = rows[0]
    assert header[:7] == [
        "récépissé",
        "statut",
        "motif",
        "genre",
        "nom",
        "prénom",
        "date_naissance",
    ]
    assert "téléphone" in header and "lieu_de_dépôt" in header
    by_name = {r[header.index("nom")]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_name["Hénin"]["date_naissance"] == "14/03/1980"
    assert by_name["Hénin"]["statut"] == "recevable"
    assert by_name["Nguyen"]["statut"] == "irrecevable"
    assert by_name["Nguyen"]["lieu_de_dépôt"] == "mdq-nord"
    assert by_name["Nguyen"]["date_réception"] == "01/06/2025"
    # A formula typed by an applicant is neutralised.
    assert by_name["Nguyen"]["motivation"] == '\'=HYPERLINK("http://x")'
    assert AuditEntry.objects.filter(action="call.applications_exported").count() == 1


def test_filters_select_rows(client, call):
    client.force_login(make_staff("coord", COORDINATOR))
    url = reverse("applications_staff:export", kwargs={"slug": call.slug})
    response = client.get(url, {"format": "csv", "status": Status.INELIGIBLE})
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 2 and "Nguyen" in lines[1]
    response = client.get(url, {"format": "csv", "channel": Channel.ONLINE, "secteur": "sud"})
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 2 and "Hénin" in lines[1]


def test_xlsx_opens_with_bold_frozen_header_and_the_rows(client, call):
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.get(reverse("applications_staff:export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    header = [c.value for c in sheet[1]]
    values = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    assert [v["nom"] for v in values] == ["Hénin", "Nguyen"]
    assert values[0]["date_naissance"] == dt.datetime(1980, 3, 14)
    assert values[1]["âge"] == 15
    # The applicant's text as typed, stored as text: no formula, no added apostrophe.
    motivation = sheet.cell(row=3, column=header.index("motivation") + 1)
    assert (motivation.value, motivation.data_type) == ('=HYPERLINK("http://x")', "s")


def test_observer_cannot_export_personal_data_but_gets_statistics(client, call):
    client.force_login(make_staff("obs", OBSERVER))
    assert client.get(reverse("applications_staff:export"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("applications_staff:export")).status_code == 403
    response = client.get(reverse("applications_staff:export_stats", kwargs={"slug": call.slug}))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    for personal in (
        "Hénin",
        "Nguyen",
        "1980",
        "Boulevard",
        call.applications.first().receipt_code,
    ):
        assert personal not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "critère",
        "valeur",
        "reçue",
        "recevable",
        "irrecevable",
        "doublon",
        "retirée",
        "hors délai",
        "total",
    ]
    table = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert table[("ensemble", "toutes les candidatures")] == ["0", "1", "1", "0", "0", "0", "2"]
    assert table[("Secteur (mairie de quartier)", "Sud")] == ["0", "1", "0", "0", "0", "0", "1"]
    assert table[("Secteur (mairie de quartier)", "Nord")] == ["0", "0", "1", "0", "0", "0", "1"]
    assert table[("Genre", "Homme")] == ["0", "0", "1", "0", "0", "0", "1"]
    assert table[("canal", "formulaire papier")][-1] == "1"


def test_counter_agent_cannot_export_personal_data(client, call):
    client.force_login(make_staff("agent", COUNTER_AGENT, office=call.offices.first()))
    assert client.get(reverse("applications_staff:export"), {"format": "xlsx"}).status_code == 403


def test_an_exported_file_can_be_imported_into_another_call(call):
    from tirage.applications.exports import applications_csv
    from tirage.applications.imports import VALID_ROWS, import_applications
    from tirage.calls.callfile import load_call, read_call_file

    data = read_call_file()
    data["slug"] = "autre-appel"
    other = load_call(data)
    content = applications_csv(call.applications.order_by("id"))
    report = import_applications(other, content, filename="export.csv", mode=VALID_ROWS, now=NOW)
    assert report.ok, report.messages()
    assert "récépissé" in report.unknown_headers and "nom" not in report.unknown_headers
    copied = [
        (a.family_name, a.birth_date, a.office_id, a.received_on)
        for a in other.applications.order_by("id")
    ]
    original = [
        (a.family_name, a.birth_date, a.office_id, a.received_on)
        for a in call.applications.order_by("id")
    ]
    assert copied == original


def test_statistics_count_age_bands_on_the_reference_date(call):
    from tirage.applications.exports import statistics_rows
    from tirage.calls.models import Feature, FeatureValue

    feature = Feature.objects.create(call=call, key="age", label="Âge", source="age_band", order=9)
    FeatureValue.objects.create(
        feature=feature, key="jeunes", label="16–24 ans", min=0, max=20, age_min=16, age_max=24
    )
    FeatureValue.objects.create(
        feature=feature, key="adultes", label="25 ans et plus", min=0, max=20, age_min=25
    )
    # 24 on 06/06/2025 (25 the day after); Hénin is 45; Nguyen is 15: in no band.
    submit_application(call, applicant(given_name="Jeune", birth_date=dt.date(2000, 6, 7)), now=NOW)
    rows = {(r[0], r[1]): r[-1] for r in statistics_rows(call)}
    assert rows[("Âge", "16–24 ans")] == 1
    assert rows[("Âge", "25 ans et plus")] == 1
    assert rows[("Âge", "non déterminé")] == 1
