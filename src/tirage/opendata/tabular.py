"""Read a table from a CSV, XLSX or JSON file as people send them.

CSV: UTF-8 (with or without BOM) or, failing that, Windows-1252; the separator is
whichever of ``;``, ``,`` or tab the header line uses. XLSX: the first sheet, read with
openpyxl in read-only (streaming) mode; the first non-empty row is the header. JSON: a
list of objects, an object holding such a list under ``data`` (Tirage's own files) or
``results`` (Opendatasoft exports), or a GeoJSON ``FeatureCollection`` (its features'
``properties``).

Every row keeps the number a person sees: the line in the CSV file (header = line 1),
the row in the spreadsheet, or the position of the element in the JSON list. Unreadable
files raise :class:`TableError` with a French message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

CSV = "csv"
XLSX = "xlsx"
JSON = "json"
GEOJSON = "geojson"
HTML = "html"
UNKNOWN = "unknown"

FORMAT_LABELS = {
    CSV: "CSV",
    XLSX: "tableur XLSX",
    JSON: "JSON",
    GEOJSON: "GeoJSON",
    HTML: "page web (HTML)",
    UNKNOWN: "format non reconnu",
}


class TableError(Exception):
    """The file cannot be read as a table; the message (French) says why."""


@dataclass
class Table:
    """Columns in file order and rows as ``(number, {column: value})``.

    ``row_word`` names a row for messages (« ligne », « élément »). ``encoding`` and
    ``delimiter`` are set for CSV only.
    """

    format: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    row_word: str = "ligne"


def detect_format(content: bytes) -> str:
    """Guess the format from the bytes themselves (never from the name or a header).

    Returns one of ``csv``, ``xlsx``, ``json``, ``geojson``, ``html``, ``unknown``.
    """
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if any(name.startswith("xl/") for name in archive.namelist()):
                    return XLSX
        except zipfile.BadZipFile:
            return UNKNOWN
        return UNKNOWN
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return UNKNOWN
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return GEOJSON
        return JSON
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return HTML
    if b"\x00" in content[:4096]:
        return UNKNOWN
    return CSV if content.strip() else UNKNOWN


def decode_text(content: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (BOM dropped) or else Windows-1252."""
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise TableError(
            "Le fichier n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en « CSV UTF-8 »."
        ) from exc


def read_table(content: bytes, *, fmt: str | None = None) -> Table:
    """Read ``content`` as a table (format detected unless ``fmt`` is given)."""
    fmt = fmt or detect_format(content)
    if fmt == CSV:
        return _read_csv(content)
    if fmt == XLSX:
        return _read_xlsx(content)
    if fmt in (JSON, GEOJSON):
        return _read_json(content)
    raise TableError(
        f"Le fichier n'est pas un tableau lisible ({FORMAT_LABELS.get(fmt, fmt)}) : "
        "formats acceptés CSV, XLSX et JSON."
    )


def _read_csv(content: bytes) -> Table:
    text, encoding = decode_text(content)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    delimiter = max(counts, key=lambda sep: counts[sep])
    if counts[delimiter] == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for record in reader:
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue
                header = [cell.strip() for cell in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            rows.append((reader.line_num, dict(zip(header, record, strict=False))))
    except csv.Error as exc:
        raise TableError(f"Ligne {reader.line_num} : CSV mal formé ({exc}).") from exc
    if header is None:
        raise TableError("Le fichier est vide : aucune ligne d'en-tête.")
    return Table(CSV, header, rows, encoding=encoding, delimiter=delimiter)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _read_xlsx(content: bytes) -> Table:
    # Imported here: openpyxl is heavy and only XLSX files need it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(f"Le tableur XLSX est illisible ({exc.__class__.__name__}).") from exc
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(value not in (None, "") for value in record):
                continue
            if header is None:
                header = ["" if value is None else str(value).strip() for value in record]
                continue
            values = {name: _cell(value) for name, value in zip(header, record, strict=False)}
            rows.append((number, values))
    finally:
        workbook.close()
    if header is None:
        raise TableError("Le tableur est vide : aucune ligne d'en-tête.")
    while header and not header[-1]:
        header.pop()
    return Table(XLSX, header, rows)


def _read_json(content: bytes) -> Table:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise TableError("Le fichier JSON doit être en UTF-8.") from exc
    except ValueError as exc:
        raise TableError(f"JSON mal formé : {exc}.") from exc
    fmt = JSON
    if isinstance(data, dict):
        if data.get("type") == "FeatureCollection":
            fmt = GEOJSON
            data = [(feature or {}).get("properties") or {} for feature in data.get("features", [])]
        elif isinstance(data.get("data"), list):
            data = data["data"]
        elif isinstance(data.get("results"), list):
            data = data["results"]
    if not isinstance(data, list):
        raise TableError(
            "Le JSON doit être une liste d'objets (ou un objet avec une liste « data »)."
        )
    columns: list[str] = []
    seen: set[str] = set()
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise TableError(f"Élément n° {number} : un objet {{…}} est attendu.")
        for key in item:
            if key not in seen:
                seen.add(key)
                columns.append(key)
        rows.append((number, item))
    return Table(fmt, columns, rows, row_word="élément")
