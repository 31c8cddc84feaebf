"""The annual report: figures from the sign-in sheets, a tagged PDF and a CSV, published once adopted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.meetings.helpers import at, hold, installed_council, plenary
from tests.roles import make_staff
from tests.space.helpers import sign_in
from tirage.audit.models import AuditEntry
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER
from tirage.reports.figures import figures_for
from tirage.reports.models import AnnualReport, ReportError, open_report

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 9, 1), dt.date(2026, 8, 31)


@pytest.fixture
def year():
    """Three plenaries held: 2 absent + 1 excused, then 1 excused, then everyone (60 sheet rows)."""
    council = installed_council()
    everyone = council.members
    first = plenary(council, at(2025, 10, 7))
    hold(first, absent=everyone[:2], excused=everyone[2:3], everyone=everyone)
    second = plenary(council, at(2025, 11, 4))
    hold(second, excused=everyone[3:4], everyone=everyone)
    third = plenary(council, at(2025, 12, 2))
    hold(third, everyone=everyone)
    cancelled = plenary(council, at(2026, 1, 13))
    cancelled.cancel(reason="Salle indisponible")
    report, created = open_report(call=council.call, period_start=START, period_end=END)
    assert created
    return council, report


def test_the_figures_come_from_the_sheets(year):
    council, _report = year
    figures = figures_for(council.call, START, END)
    assert (figures.plenaries_held, figures.meetings_cancelled) == (3, 1)
    assert (figures.sheet_rows, figures.attended) == (60, 56)
    assert (figures.excused, figures.absent) == (2, 2)
    # 56 / 60 = 93.33…: excused members do not attend (counting them would give 96,7 %).
    assert figures.attendance_rate_label == "93,3 %"
    assert figures.members_at_end == 20
    # A period without meetings has no rate, not 0 %.
    assert (
        figures_for(council.call, dt.date(2027, 1, 1), dt.date(2027, 6, 1)).attendance_rate_label
        == "—"
    )


def test_the_pdf_is_tagged_and_says_the_figures(year):
    from tirage.reports.documents import report_pdf

    _council, report = year
    report.edit(text="Une première année riche.\n\nMerci aux membres.")
    reader = PdfReader(io.BytesIO(report_pdf(report)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Rapport d'activité 2025-2026" in text
    assert "Une première année riche." in text and "Merci aux membres." in text
    assert "Séances plénières tenues 3" in text
    assert "Taux de présence (sur place ou à distance) 93,3 %" in text
    assert "Réunions annulées 1" in text
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in metadata  # the PDF/UA-1 identification (XMP)


def test_the_csv_lists_the_figures(year):
    from tirage.reports.documents import report_csv

    _council, report = year
    lines = report_csv(report).decode("utf-8-sig").splitlines()
    assert lines[:2] == ["indicateur;valeur", "période;2025-09-01/2026-08-31"]
    assert "Taux de présence (sur place ou à distance);93,3 %" in lines
    assert "Absences non excusées;2" in lines


def test_adoption_publishes_once_and_is_audited(year, client):
    _council, report = year
    with pytest.raises(ReportError, match="Écrivez d'abord le texte"):
        report.adopt()
    assert client.get(f"/conseil/rapports-activite/{report.pk}/rapport.pdf").status_code == 404
    coordinator = make_staff("coord", COORDINATOR)
    staff = Client()
    staff.force_login(coordinator)
    staff.post(f"/gestion/rapport-activite/{report.pk}/", {"text": "Le bilan de l'année."})
    answer = staff.post(f"/gestion/rapport-activite/{report.pk}/adopter/")
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.is_adopted and report.text == "Le bilan de l'année."
    entry = AuditEntry.objects.get(action="annual_report.adopted")
    assert entry.actor == coordinator and entry.object_id == str(report.pk)
    staff.post(f"/gestion/rapport-activite/{report.pk}/adopter/")  # double click
    assert AuditEntry.objects.filter(action="annual_report.adopted").count() == 1
    with pytest.raises(ReportError, match="ne change plus"):
        report.edit(text="Autre chose")
    public = client.get(f"/conseil/rapports-activite/{report.pk}/rapport.pdf")
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    assert "Rapport 2025-2026" in client.get("/conseil/rapports-activite/").content.decode()


def test_a_period_longer_than_a_year_is_refused(year):
    council, _report = year
    with pytest.raises(ReportError, match="cette période compte 730 jours"):
        open_report(call=council.call, period_start=START, period_end=dt.date(2027, 8, 31))


def test_who_may_reach_the_report_pages(year):
    council, report = year
    member = Client()
    sign_in(member, council.members[0])
    clients = {"anonymous": Client(), "member": member}
    for role in (COORDINATOR, COUNTER_AGENT, OBSERVER):
        clients[role] = Client()
        clients[role].force_login(make_staff(f"u{len(clients)}", role))
    staff_pages = [
        ("get", "/gestion/rapport-activite/"),
        ("get", f"/gestion/rapport-activite/{report.pk}/"),
        ("get", f"/gestion/rapport-activite/{report.pk}/apercu.pdf"),
        ("post", f"/gestion/rapport-activite/{report.pk}/adopter/"),
    ]
    expected = {
        "anonymous": 302,
        "member": 302,
        COORDINATOR: 200,
        COUNTER_AGENT: 403,
        OBSERVER: 403,
    }
    wrong = {}
    for method, path in staff_pages:
        for who, client in clients.items():
            status = getattr(client, method)(path).status_code
            want = expected[who]
            if method == "post" and who == COORDINATOR:
                want = 302  # back to the report, with a message (no text yet: not adopted)
            if status != want:
                wrong[(who, path)] = status
    assert wrong == {}
    # Public files: nobody before adoption, everybody after.
    for who, client in clients.items():
        assert (
            client.get(f"/conseil/rapports-activite/{report.pk}/indicateurs.csv").status_code == 404
        ), who
    AnnualReport.objects.filter(pk=report.pk).update(text="Bilan", state=AnnualReport.State.ADOPTED)
    for who, client in clients.items():
        assert (
            client.get(f"/conseil/rapports-activite/{report.pk}/indicateurs.csv").status_code == 200
        ), who
        assert client.get("/conseil/rapports-activite/").status_code == 200, who
