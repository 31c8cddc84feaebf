"""Export the applications of a call (staff) and anonymous statistics (observers).

* ``applications_csv`` / ``applications_xlsx``: one row per application with
  personal data — for coordinators only (the views check the role). CSV is
  what French spreadsheets open directly: UTF-8 with BOM, ``;``, dates
  JJ/MM/AAAA. The identity and address columns use the import headers, so an
  exported file can be re-imported into another call.
* ``statistics_rows`` / ``statistics_csv``: counts per feature value and
  status; no names, dates, addresses nor receipt codes.

Cells starting with ``=``, ``+``, ``-`` or ``@`` (applicants type free text)
are prefixed with an apostrophe so that a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tirage.applications.eligibility import age_on
from tirage.applications.models import Application, AreaSource, Channel, Status
from tirage.calls.models import Call

BOM = "\ufeff"

# (header, function of the application) — the order of the exported columns.
COLUMNS: list[tuple[str, Any]] = [
    ("récépissé", lambda a: a.receipt_code),
    ("statut", lambda a: a.get_status_display()),
    ("motif", lambda a: a.status_reason),
    ("genre", lambda a: a.gender),
    ("nom", lambda a: a.family_name),
    ("prénom", lambda a: a.given_name),
    ("date_naissance", lambda a: a.birth_date),
    ("âge", lambda a: a.age_on(a.call.age_date)),
    ("numéro", lambda a: a.street_number),
    ("voie", lambda a: a.street_name),
    ("complément", lambda a: a.address_complement),
    ("code_postal", lambda a: a.postcode),
    ("commune", lambda a: a.commune),
    ("secteur", lambda a: a.secteur),
    ("quartier", lambda a: a.quartier),
    ("origine_secteur", lambda a: AreaSource(a.area_source).label if a.area_source else ""),
    ("à_vérifier", lambda a: "oui" if a.needs_review else "non"),
    ("note_vérification", lambda a: a.review_note),
    ("doublon_de", lambda a: a.duplicate_of.receipt_code if a.duplicate_of_id else ""),
    ("courriel", lambda a: a.email),
    ("téléphone", lambda a: a.phone),
    ("motivation", lambda a: a.motivation),
    ("canal", lambda a: a.get_channel_display()),
    ("lieu_de_dépôt", lambda a: a.office.code if a.office_id else ""),
    ("date_réception", lambda a: a.received_on),
    ("saisie_le", lambda a: timezone.localtime(a.created_at).replace(microsecond=0, tzinfo=None)),
    ("consentement", lambda a: "oui" if a.consent_notice else "non"),
    ("atteste_résidence", lambda a: "oui" if a.attests_residence else "non"),
]
HEADERS = [name for name, _ in COLUMNS]


def filter_applications(
    call: Call,
    *,
    status: str = "",
    secteur: str = "",
    channel: str = "",
    office: str = "",
    needs_review: bool | None = None,
) -> QuerySet[Application]:
    """The call's applications, optionally filtered (empty string = no filter).

    ``office`` is an office code; ``secteur="-"`` selects applications without secteur.
    """
    qs = Application.objects.filter(call=call).select_related("call", "office", "duplicate_of")
    if status:
        qs = qs.filter(status=status)
    if secteur:
        qs = qs.filter(secteur="" if secteur == "-" else secteur)
    if channel:
        qs = qs.filter(channel=channel)
    if office:
        qs = qs.filter(office__code=office)
    if needs_review is not None:
        qs = qs.filter(needs_review=needs_review)
    return qs.order_by("created_at", "id")


# Characters a spreadsheet file cannot hold (XML 1.0 forbids them; openpyxl refuses them),
# which older data may still contain: each shows as « � » so that staff see something was there.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _writable(value: Any) -> Any:
    return _UNWRITABLE.sub("\ufffd", value) if isinstance(value, str) else value


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        if value[:1] == "+" and value[1:].replace(" ", "").isdigit():
            return value  # an international phone number
        return "'" + value
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return value.strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def application_rows(applications, *, safe: bool = True) -> list[list[Any]]:
    """Rows of typed values (dates stay dates), in ``HEADERS`` order.

    ``safe``: text that a spreadsheet would read as a formula gets a leading
    ``'`` (for CSV; the XLSX writer stores such text as text instead).
    """
    clean = _safe if safe else (lambda value: value)
    return [[clean(_writable(get(a))) for _, get in COLUMNS] for a in applications]


def _csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def _xlsx_bytes(headers: list[str], rows: list[list[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(row)
    for column_cells in sheet.iter_cols(min_row=2, max_row=sheet.max_row):
        for cell in column_cells:
            if hasattr(cell.value, "hour"):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif hasattr(cell.value, "strftime"):
                cell.number_format = "DD/MM/YYYY"
            elif cell.data_type == "f":  # typed by an applicant: text, never a formula
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def applications_csv(applications) -> bytes:
    """CSV bytes (UTF-8 with BOM, ``;``) of ``applications`` — personal data."""
    return _csv_bytes(HEADERS, application_rows(applications))


def applications_xlsx(applications) -> bytes:
    """XLSX bytes (bold, frozen header row; real dates) of ``applications`` — personal data."""
    return _xlsx_bytes(HEADERS, application_rows(applications, safe=False), title="Candidatures")


# -- anonymous statistics -------------------------------------------------------
STATS_STATUSES = [
    Status.RECEIVED,
    Status.ELIGIBLE,
    Status.INELIGIBLE,
    Status.DUPLICATE,
    Status.WITHDRAWN,
    Status.LATE,
]
STATS_HEADERS = ["critère", "valeur"] + [s.label for s in STATS_STATUSES] + ["total"]
UNKNOWN_VALUE = "non déterminé"


def statistics_rows(call: Call) -> list[list[Any]]:
    """Counts per feature value (and channel) and status: ``STATS_HEADERS`` rows.

    Reads only the status, secteur, quartier, gender, birth date and channel
    of each application; returns no personal data. The first row is the total.
    """
    records = list(
        Application.objects.filter(call=call).values_list(
            "status", "secteur", "quartier", "gender", "birth_date", "channel"
        )
    )
    age_date = call.age_date

    def row(label: str, value: str, counter: Counter) -> list[Any]:
        counts = [counter.get(s.value, 0) for s in STATS_STATUSES]
        return [label, value, *counts, sum(counts)]

    rows = [row("ensemble", "toutes les candidatures", Counter(r[0] for r in records))]
    for feature in call.features.prefetch_related("values"):
        values = list(feature.values.all())
        per_value: dict[str, Counter] = {v.key: Counter() for v in values}
        unknown: Counter = Counter()
        for status, secteur, quartier, gender, birth, _channel in records:
            if feature.source == "secteur":
                key = secteur
            elif feature.source == "quartier":
                key = quartier
            elif feature.source == "gender":
                key = gender
            else:
                age = age_on(birth, age_date)
                key = next(
                    (
                        v.key
                        for v in values
                        if (v.age_min is None or age >= v.age_min)
                        and (v.age_max is None or age <= v.age_max)
                    ),
                    "",
                )
            (per_value[key] if key in per_value else unknown)[status] += 1
        for value in values:
            rows.append(row(feature.label, value.label, per_value[value.key]))
        if sum(unknown.values()):
            rows.append(row(feature.label, UNKNOWN_VALUE, unknown))
    for channel in Channel:
        rows.append(
            row("canal", channel.label, Counter(r[0] for r in records if r[5] == channel.value))
        )
    return rows


def statistics_csv(call: Call) -> bytes:
    """Anonymous statistics as CSV (UTF-8 with BOM, ``;``)."""
    return _csv_bytes(STATS_HEADERS, statistics_rows(call))


__all__ = [
    "HEADERS",
    "STATS_HEADERS",
    "applications_csv",
    "applications_xlsx",
    "filter_applications",
    "statistics_csv",
    "statistics_rows",
]
