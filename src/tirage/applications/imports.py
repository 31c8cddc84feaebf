"""Import applications from a spreadsheet (CSV or XLSX).

Columns (first row; case, accents, spaces and underscores do not matter)::

    genre             femme | homme | autre (also F, H, M)           required
    nom                                                               required
    prénom                                                            required
    date_naissance    JJ/MM/AAAA, AAAA-MM-JJ or an Excel date          required
    numéro            house number (12, 12 bis)
    voie              street name                                     required
    complément        address complement
    code_postal       5 digits                                        required
    commune                                                           required
    courriel
    téléphone
    motivation
    secteur           declared secteur code (nord, sud…), used only when the
                      street does not decide alone
    lieu_de_dépôt     office code (mdq-nord…); default: the office chosen for the import
    date_réception    day the paper form was handed in (same formats as dates);
                      required when importing after the closing date
    consentement      oui | non (the applicant read the information notice)  required
    atteste_résidence oui | non (the applicant lives in the city)            required

CSV: UTF-8 (with or without BOM) or Windows-1252; ``;`` or ``,`` separator
(detected from the header row). XLSX: the first sheet, read-only.

Every row is checked with ``forms_common.ApplicantForm`` (the online form's
rules) and created through ``services.submit_application`` (so duplicates are
flagged, never dropped, and ineligible applicants get their reason). Line
numbers are those of the spreadsheet (the header is line 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from tirage.applications.eligibility import fold
from tirage.applications.forms_common import DATE_INPUT_FORMATS, ApplicantForm
from tirage.applications.models import Application, Channel, Gender
from tirage.applications.services import CallClosed, submit_application
from tirage.audit.services import log_action
from tirage.calls.models import Call, Office
from tirage.geo.address import resolve_address

ALL_OR_NOTHING = "all_or_nothing"
VALID_ROWS = "valid_rows"
MODES = (ALL_OR_NOTHING, VALID_ROWS)
MAX_ROWS = 2000  # about 30 s of work in one web request

# Column header → form field (None: handled by the importer itself).
COLUMNS: dict[str, str] = {
    "genre": "gender",
    "nom": "family_name",
    "prénom": "given_name",
    "date_naissance": "birth_date",
    "numéro": "street_number",
    "voie": "street_name",
    "complément": "address_complement",
    "code_postal": "postcode",
    "commune": "commune",
    "courriel": "email",
    "téléphone": "phone",
    "motivation": "motivation",
    "secteur": "declared_secteur",
    "lieu_de_dépôt": "office",
    "date_réception": "received_on",
    "consentement": "consent_notice",
    "atteste_résidence": "attests_residence",
}
REQUIRED_COLUMNS = (
    "genre", "nom", "prénom", "date_naissance", "voie", "code_postal", "commune",
    "consentement", "atteste_résidence",
)  # fmt: skip
# Other spellings met in real files.
ALIASES = {
    "sexe": "genre",
    "nom de famille": "nom",
    "date de naissance": "date_naissance",
    "numero de voie": "numéro",
    "n": "numéro",
    "no": "numéro",
    "rue": "voie",
    "adresse": "voie",
    "complement d adresse": "complément",
    "cp": "code_postal",
    "ville": "commune",
    "email": "courriel",
    "e mail": "courriel",
    "mail": "courriel",
    "telephone portable": "téléphone",
    "tel": "téléphone",
    "lieu de depot": "lieu_de_dépôt",
    "date de reception": "date_réception",
}
GENDER_WORDS = {
    "femme": "femme", "f": "femme", "feminin": "femme",
    "homme": "homme", "h": "homme", "m": "homme", "masculin": "homme",
    "autre": "autre", "a": "autre",
}  # fmt: skip
YES = {"oui", "o", "x", "1", "vrai", "yes", "y", "true"}
NO = {"non", "n", "0", "faux", "no", "false", ""}
DATE_COLUMNS = ("date_naissance", "date_réception")


def _key(header: str) -> str:
    return fold(str(header or ""))


_CANONICAL = {_key(name): name for name in COLUMNS} | {_key(a): c for a, c in ALIASES.items()}


def template_csv() -> bytes:
    """The header row of an import file (CSV, UTF-8 with BOM, ``;``): a model for staff."""
    return ("\ufeff" + ";".join(COLUMNS) + "\r\n").encode("utf-8")


class ImportFileError(ValueError):
    """The file cannot be read at all (message in French)."""


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (``column`` is the file's header) or one row (``column`` = "")."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"Ligne {self.line} : {self.message}"
        where = f"Ligne {self.line}, colonne « {self.column} »"
        if not self.value:
            return f"{where} : {self.message}"
        if self.message.lower().startswith("n'est"):
            return f"{where} : « {self.value} » n{self.message[1:]}"
        return f"{where} : {self.message} (valeur lue : « {self.value} »)"


@dataclass
class ImportReport:
    """What an import did (or would do).

    ``imported`` holds the created applications (in file order) with their
    line; ``errors`` every rejected cell; ``file_errors`` problems with the
    whole file (nothing imported then); ``unknown_headers`` ignored columns.
    """

    filename: str
    sha256: str
    mode: str
    rows: int = 0
    imported: list[tuple[int, Application]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def valid_count(self) -> int:
        return self.rows - len(self.rejected_lines)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def duplicates(self) -> list[tuple[int, Application]]:
        return [(line, app) for line, app in self.imported if app.duplicate_of_id]

    def messages(self) -> list[str]:
        return list(self.file_errors) + [str(e) for e in self.errors]


class _Rollback(Exception):
    pass


# -- reading ------------------------------------------------------------------
# An XLSX file is a zip archive: a small file can expand to gigabytes (a « zip bomb »).
# Its entries' announced sizes are checked before anything is decompressed.
MAX_XLSX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_XLSX_ENTRIES = 500
# Blank lines are skipped but still read: a bound on them too.
MAX_BLANK_LINES = 1000


def read_table(content: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> list[list[Any]]:
    """Rows of the file (header first) as lists of cell values, read as a stream.

    Reading stops after ``max_rows + 2`` non-blank rows (the header, ``max_rows``
    rows and one more, which says the file is too long) without reading the rest.
    Raises ``ImportFileError`` (French message) for an unreadable, truncated,
    unsupported or over-expanding file, or more than ``MAX_BLANK_LINES`` blank lines.
    """
    name = (filename or "").lower()
    if content[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return _bounded(_xlsx_rows(content), max_rows)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise ImportFileError(
            "Ancien format Excel (.xls) non pris en charge : "
            "enregistrez le fichier en .xlsx ou en .csv."
        )
    return _bounded(_csv_rows(content), max_rows)


def _bounded(rows: Iterator[list[Any]], max_rows: int) -> list[list[Any]]:
    kept: list[list[Any]] = []
    blank = 0
    for row in rows:
        if any(_cell_text(c, "") for c in row):
            kept.append(row)
            if len(kept) > max_rows + 1:
                break  # one row too many: enough to say so, the rest is not read
        else:
            blank += 1
            if blank > MAX_BLANK_LINES:
                raise ImportFileError(
                    f"Le fichier contient plus de {MAX_BLANK_LINES} lignes vides : "
                    "supprimez-les, puis envoyez-le à nouveau."
                )
            kept.append(row)
    return kept


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(
            f"Fichier CSV illisible à la ligne {reader.line_num} : {exc}."
        ) from exc


def _check_archive(content: bytes) -> None:
    """Refuse a damaged archive, or one whose entries would expand beyond the bound."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ImportFileError(
            "Fichier Excel tronqué ou abîmé : il n'a pas pu être ouvert. Ouvrez-le dans "
            "votre tableur, enregistrez-le à nouveau au format .xlsx, puis envoyez-le."
        ) from exc
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ImportFileError(
            f"Ce fichier Excel contient {len(entries)} éléments internes "
            f"({MAX_XLSX_ENTRIES} au plus) : enregistrez-le en .csv et envoyez ce fichier."
        )
    expanded = sum(entry.file_size for entry in entries)
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise ImportFileError(
            f"Ce fichier Excel occuperait {expanded // (1024 * 1024)} Mo une fois décompressé "
            f"({MAX_XLSX_EXPANDED_BYTES // (1024 * 1024)} Mo au plus) : découpez-le en "
            "plusieurs fichiers, ou enregistrez-le en .csv."
        )


def _size_from_the_head(sheet) -> None:
    """openpyxl's read-only ``_get_size``, stopped at ``<sheetData>``.

    openpyxl (3.1) looks for a sheet's ``<dimension>`` with « end » events, so when
    the tag is missing it parses the whole sheet before the first row is read (a small
    file of a million rows: tens of seconds). The tag comes before ``<sheetData>``
    (ECMA-376), so the « start » events up to there are enough.
    """
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dimensions = SheetDimension(ref=element.get("ref")).boundaries
                if dimensions is not None:
                    (sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row) = (
                        dimensions
                    )
                return
            if element.tag == DATA_TAG:
                return


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # heavy: only XLSX files need it
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    _check_archive(content)
    ReadOnlyWorksheet._get_size = _size_from_the_head
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(
            "Fichier Excel illisible : est-ce bien un fichier .xlsx ? Ouvrez-le dans votre "
            "tableur, enregistrez-le à nouveau au format .xlsx, puis envoyez-le."
        ) from exc
    line = 0
    try:
        if not workbook.worksheets:
            raise ImportFileError("Ce fichier Excel ne contient aucune feuille.")
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            line += 1
            yield list(row)
    except ImportFileError:
        raise
    except Exception as exc:  # truncated XML, bad CRC, broken archive entry…
        raise ImportFileError(
            f"Fichier Excel tronqué ou abîmé : lecture impossible après la ligne {line}. "
            "Ouvrez-le dans votre tableur, enregistrez-le à nouveau au format .xlsx, "
            "puis envoyez-le."
        ) from exc
    finally:
        workbook.close()


def _cell_text(value: Any, column: str) -> str:
    """A cell as the text a person would type (dates as JJ/MM/AAAA, 59100.0 as 59100)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        if column in DATE_COLUMNS and 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if column == "téléphone" and isinstance(value, int) and len(str(value)) == 9:
            return f"0{value}"  # a spreadsheet took 0612345678 for a number
        return str(value)
    return str(value).strip()


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# -- one row ------------------------------------------------------------------
@dataclass
class _Row:
    line: int
    data: dict[str, Any]
    office: Office | None
    received_on: dt.date | None
    errors: list[RowError]


def _validate_row(
    line, cells, headers, *, call, channel, offices, default_office, forced_office, now
) -> _Row:
    raw: dict[str, str] = {}
    for column, value in zip(headers, cells, strict=False):
        if column is not None:
            raw[column] = _cell_text(value, column)
    errors: list[RowError] = []

    def err(column: str, message: str) -> None:
        errors.append(RowError(line, column, raw.get(column, ""), message))

    form_data: dict[str, Any] = {}
    reported: set[str] = set()
    for column, fieldname in COLUMNS.items():
        if fieldname in ("office", "received_on", "declared_secteur"):
            continue
        value = raw.get(column, "")
        if fieldname == "gender":
            by_label = {fold(label): key for key, label in Gender.choices}
            value = GENDER_WORDS.get(fold(value)) or by_label.get(fold(value), value)
        elif fieldname in ("consent_notice", "attests_residence"):
            answer = fold(value)
            if answer not in YES | NO:
                err(column, "Répondez « oui » ou « non ».")
                reported.add(fieldname)
                continue
            value = "on" if answer in YES else ""
        form_data[fieldname] = value
    form = ApplicantForm(data=form_data)
    valid = form.is_valid()
    labels = {f: c for c, f in COLUMNS.items()}
    for fieldname, problems in form.errors.as_data().items():
        if fieldname in reported:
            continue
        column = labels.get(fieldname, "")
        for problem in problems:
            if fieldname == "birth_date" and problem.code == "invalid":
                err(column, "N'est pas une date valide.")
            else:
                err(column, " ".join(problem.messages))

    office = default_office
    code = raw.get("lieu_de_dépôt", "")
    if code:
        office = next(
            (o for o in offices if fold(o.code) == fold(code) or fold(o.name) == fold(code)),
            None,
        )
        if office is None:
            codes = ", ".join(o.code for o in offices)
            err("lieu_de_dépôt", f"Lieu de dépôt inconnu (codes possibles : {codes}).")
        elif forced_office is not None and office != forced_office:
            err("lieu_de_dépôt", f"Vous ne pouvez importer que pour {forced_office.name}.")
    elif office is None and channel == Channel.PAPER:
        errors.append(
            RowError(
                line,
                "lieu_de_dépôt",
                "",
                "Indiquez la mairie de quartier où le formulaire papier a été remis.",
            )
        )

    declared = fold(raw.get("secteur", ""))
    codes = call.secteur_codes
    if declared and declared not in codes:
        err("secteur", f"Secteur inconnu (possibles : {', '.join(codes)}).")

    received_on = None
    text = raw.get("date_réception", "")
    if text:
        received_on = _parse_date(text)
        if received_on is None:
            err("date_réception", "N'est pas une date valide.")
        elif received_on > call.closing_date:
            err(
                "date_réception",
                f"Formulaire reçu après la clôture du {call.closing_date:%d/%m/%Y} : "
                "il ne peut pas être enregistré.",
            )
        elif received_on > timezone.localdate(now):
            err("date_réception", "Cette date est dans le futur.")
    elif call.is_closed(now):
        errors.append(
            RowError(
                line,
                "date_réception",
                "",
                "Obligatoire après la clôture : indiquez le jour où le formulaire a été remis.",
            )
        )

    # Errors in the order of the file's columns.
    position = {c: i for i, c in enumerate(headers) if c is not None}
    errors.sort(key=lambda e: position.get(e.column, len(position)))
    data: dict[str, Any] = {}
    if valid and not errors:
        data = dict(form.cleaned_data)
        match = resolve_address(
            data["street_number"],
            data["street_name"],
            data["postcode"],
            data["commune"],
            secteur=declared,
            territory=call,
        )
        data.update(match.fields())
    return _Row(line, data, office, received_on, errors)


# -- import -------------------------------------------------------------------
def import_applications(
    call: Call,
    file: IO[bytes] | bytes,
    *,
    filename: str,
    agent=None,
    mode: str = ALL_OR_NOTHING,
    channel: str = Channel.IMPORT,
    office: Office | None = None,
    restrict_office: bool = False,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import the applications of ``file`` (CSV or XLSX bytes, or a binary file object).

    ``mode``: ``all_or_nothing`` (one transaction: nothing is imported when any
    row is invalid) or ``valid_rows`` (valid rows imported, others listed).
    ``channel``: ``Channel.IMPORT`` or ``Channel.PAPER`` (paper forms typed
    in a spreadsheet; ``office`` is the default place of deposit, each row may
    name its own with ``lieu_de_dépôt`` unless ``restrict_office``).
    ``dry_run``: validate only, create nothing.
    Each created application is audited (``application.imported``) with the
    file's SHA-256 and its line; the call gets one ``call.applications_imported``
    entry. Raises ``ValueError`` for a bad ``mode``/``channel``; file problems are
    reported in ``ImportReport.file_errors``.
    """
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    if channel not in (Channel.IMPORT, Channel.PAPER):
        raise ValueError(f"imports use the import or paper channel, not {channel!r}")
    now = now or timezone.now()
    content = file if isinstance(file, bytes) else file.read()
    digest = hashlib.sha256(content).hexdigest()
    report = ImportReport(filename=filename, sha256=digest, mode=mode, dry_run=dry_run)

    try:
        table = read_table(content, filename)
    except ImportFileError as exc:
        report.file_errors.append(str(exc))
        return report
    while table and not any(_cell_text(c, "") for c in table[0]):
        table.pop(0)
    if not table:
        report.file_errors.append("Le fichier est vide.")
        return report

    headers: list[str | None] = []
    for cell in table[0]:
        text = _cell_text(cell, "")
        canonical = _CANONICAL.get(_key(text))
        if canonical is None or canonical in headers:
            headers.append(None)
            if text:
                report.unknown_headers.append(text)
        else:
            headers.append(canonical)
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        report.file_errors.append(
            "Colonnes obligatoires absentes : " + ", ".join(f"« {c} »" for c in missing) + "."
        )
        return report

    if sum(1 for cells in table[1:] if any(_cell_text(c, "") for c in cells)) > MAX_ROWS:
        report.file_errors.append(
            f"Le fichier compte plus de {MAX_ROWS} lignes : découpez-le en plusieurs fichiers."
        )
        return report
    forced = office if restrict_office else None
    offices = list(call.offices.all())
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        if not any(_cell_text(c, "") for c in cells):
            continue  # blank line
        rows.append(
            _validate_row(
                index,
                cells,
                headers,
                call=call,
                channel=channel,
                offices=offices,
                default_office=office,
                forced_office=forced,
                now=now,
            )
        )
    report.rows = len(rows)
    for row in rows:
        report.errors.extend(row.errors)
    if report.rows == 0:
        report.file_errors.append("Le fichier ne contient aucune ligne de candidature.")
        return report
    if dry_run or (mode == ALL_OR_NOTHING and report.errors):
        return report

    try:
        with transaction.atomic():
            for row in rows:
                if row.errors:
                    continue
                try:
                    with transaction.atomic():
                        submission = submit_application(
                            call,
                            row.data,
                            channel=channel,
                            office=row.office,
                            agent=agent,
                            received_on=row.received_on,
                            now=now,
                        )
                except CallClosed as exc:
                    report.errors.append(RowError(row.line, "", "", str(exc)))
                    continue
                application = submission.application
                log_action(
                    application,
                    "application.imported",
                    actor=agent,
                    actor_label="import",
                    data={"filename": filename, "sha256": digest, "line": row.line, "mode": mode},
                )
                report.imported.append((row.line, application))
            if mode == ALL_OR_NOTHING and report.errors:
                raise _Rollback
            log_action(
                call,
                "call.applications_imported",
                actor=agent,
                actor_label="import",
                data={
                    "filename": filename,
                    "sha256": digest,
                    "mode": mode,
                    "channel": channel,
                    "office": office.code if office else None,
                    "rows": report.rows,
                    "imported": len(report.imported),
                    "rejected_lines": report.rejected_lines,
                },
            )
    except _Rollback:
        report.imported = []
    report.errors.sort(key=lambda e: e.line)
    return report
