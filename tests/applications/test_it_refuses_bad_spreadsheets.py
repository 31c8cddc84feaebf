"""Spreadsheets that are too long, over-expanding, truncated or damaged: a French message,
read as a stream and stopped early, never a 500 (generated bad files)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.applications.intake_helpers import HEADER, row
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.applications import imports
from tirage.applications.imports import ImportFileError, import_applications, read_table
from tirage.applications.models import Application, Channel
from tirage.backoffice.roles import COORDINATOR

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet(content: bytes, sheet_xml: bytes) -> bytes:
    """``content`` (an XLSX file) with its first sheet's XML replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = sheet_xml if entry.filename == SHEET else source.read(entry)
            target.writestr(entry.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def many_rows_sheet(count: int) -> bytes:
    cells = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>femme</t></is></c></row>'
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER)
    )
    body = "".join(cells.format(n=n) for n in range(2, count + 2))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    ).encode()


def test_a_small_file_of_200000_rows_is_refused_after_reading_2002():
    content = with_sheet(xlsx([]), many_rows_sheet(200_000))
    assert len(content) < 1_500_000  # compresses well: the trap of the issue
    table = read_table(content, "c.xlsx")
    assert len(table) == imports.MAX_ROWS + 2  # the header, the limit, and one more (streamed)
    report = import_applications(roubaix_call(), content, filename="c.xlsx")
    assert report.file_errors == [
        "Le fichier compte plus de 2000 lignes : découpez-le en plusieurs fichiers."
    ]


def test_an_archive_that_would_expand_beyond_the_bound_is_refused_unopened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(SHEET, b"\0" * (imports.MAX_XLSX_EXPANDED_BYTES + 1024 * 1024))
    content = out.getvalue()
    assert len(content) < 200_000
    with pytest.raises(ImportFileError) as raised:
        read_table(content, "bombe.xlsx")
    assert str(raised.value).startswith(
        "Ce fichier Excel occuperait 101 Mo une fois décompressé (100 Mo au plus)"
    )


def test_a_truncated_file_names_the_problem():
    content = xlsx([row()])
    with pytest.raises(ImportFileError) as raised:
        read_table(content[: len(content) // 2], "coupé.xlsx")
    assert str(raised.value).startswith(
        "Fichier Excel tronqué ou abîmé : il n'a pas pu être ouvert"
    )


def test_a_sheet_cut_in_the_middle_says_after_which_line():
    sheet = many_rows_sheet(50)
    cut = sheet[: sheet.index(b'<row r="31">') + 20]  # inside line 31
    content = with_sheet(xlsx([]), cut)
    with pytest.raises(ImportFileError) as raised:
        read_table(content, "coupé.xlsx")
    assert str(raised.value).startswith(
        "Fichier Excel tronqué ou abîmé : lecture impossible après la ligne 30."
    )


def test_thousands_of_blank_lines_are_refused():
    content = ("\n".join([";".join(HEADER)] + [";" * 5] * 5000)).encode()
    with pytest.raises(ImportFileError) as raised:
        read_table(content, "vide.csv")
    assert "plus de 1000 lignes vides" in str(raised.value)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("coupé.xlsx", xlsx([row()])[:3000], "Fichier Excel tronqué ou abîmé"),
        ("faux.xlsx", b"PK\x03\x04 pas une archive", "Fichier Excel tronqué ou abîmé"),
        ("long.xlsx", with_sheet(xlsx([]), many_rows_sheet(3000)), "plus de 2000 lignes"),
    ],
)
def test_the_import_page_shows_the_message_not_a_500(client, name, content, message):
    call = roubaix_call()
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.post(
        reverse("applications_staff:import", kwargs={"slug": call.slug}),
        {
            "file": SimpleUploadedFile(name, content),
            "mode": "all_or_nothing",
            "channel": Channel.PAPER,
            "office": call.offices.first().pk,
            "verify": "1",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Application.objects.count() == 0
