"""CSV text to a table of trimmed cells with line numbers (used by ``io``).

Decoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252),
separator detection (``,``, ``;``, tab, or Excel's ``sep=`` line), cleaning
(trim, NFC) and the ``InputError`` wording shared by the readers. Internal
module: the public entry points are in ``tirage.sortition.io``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from tirage.sortition.errors import InputError
from tirage.sortition.model import normalise_key

__all__ = ["PathType", "Table", "input_error", "load_table", "table_from_rows"]

PathType = str | PathLike[str]

# C0 controls except tab/newline/carriage return, DEL and C1 controls: not text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# ---------------------------------------------------------------------------
# Errors


def input_error(
    code: str,
    detail: str,
    *,
    file: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> InputError:
    """An ``InputError`` whose message starts with "file, line N, column 'c': "."""
    where = file
    if row is not None:
        where += f", line {row}"
    if column is not None:
        where += f", column {column!r}"
    return InputError(code, f"{where}: {detail}", file=file, row=row, column=column, value=value)


# ---------------------------------------------------------------------------
# Tables


@dataclass(frozen=True, slots=True)
class Table:
    """A parsed CSV: trimmed header cells and data rows as (line, cells)."""

    name: str
    header: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def index(self, column: str, *, required: bool = True, what: str = "") -> int | None:
        """Index of ``column`` (``normalise_key`` comparison); None if absent and optional."""
        wanted = normalise_key(column)
        found = [i for i, cell in enumerate(self.header) if normalise_key(cell) == wanted]
        if len(found) > 1:
            raise input_error(
                "duplicate_column",
                f"column {column!r} appears {len(found)} times in the header",
                file=self.name,
                row=self.header_line,
                column=column,
            )
        if not found:
            if required:
                raise input_error(
                    "missing_column",
                    f"no column {column!r} in the header{what}",
                    file=self.name,
                    row=self.header_line,
                    column=column,
                )
            return None
        return found[0]

    def keys(self) -> set[str]:
        return {normalise_key(cell) for cell in self.header}


def _clean(cell: Any) -> str:
    if cell is None:
        return ""
    return unicodedata.normalize("NFC", str(cell)).strip()


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise input_error(
            "undecodable",
            "this looks like a spreadsheet (xlsx/xls), not a CSV text file; export it as CSV",
            file=name,
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise input_error(
                "undecodable", f"invalid UTF-16 text ({exc.reason})", file=name
            ) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as not_utf8:
            # "é" in UTF-8 (c3 a9) read as Windows-1252 is "Ã©": a file that has it and
            # bytes that are not UTF-8 mixes two encodings (rows pasted from elsewhere).
            mixed = _UTF8_LATIN.search(raw)
            if mixed:
                line = raw[: not_utf8.start].count(b"\n") + 1
                utf8_line = raw[: mixed.start()].count(b"\n") + 1
                byte = raw[not_utf8.start : not_utf8.start + 1].hex()
                raise input_error(
                    "undecodable",
                    f"the file mixes encodings: line {utf8_line} is UTF-8 but byte "
                    f"0x{byte} here is not; save the whole file as UTF-8",
                    file=name,
                    row=line,
                    value=f"0x{byte}",
                ) from None
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                byte = raw[exc.start : exc.start + 1].hex()
                raise input_error(
                    "undecodable",
                    f"byte 0x{byte} is neither UTF-8 nor Windows-1252 text",
                    file=name,
                    row=line,
                    value=f"0x{byte}",
                ) from None
    control = _CONTROL.search(text)
    if control:
        code = f"U+{ord(control.group()):04X}"
        raise input_error(
            "undecodable",
            f"control character {code} in the text (binary file?)",
            file=name,
            row=text.count("\n", 0, control.start()) + 1,
            value=code,
        )
    return text


_UTF8_LATIN = re.compile(rb"\xc3[\x80-\xbf]")  # À…ÿ encoded in UTF-8

_EXCEL_SEP = re.compile(r"\A(\s*)sep=([,;\t|])[ \t]*(?=\r?\n|\Z)", re.IGNORECASE)


def _detect_separator(text: str) -> tuple[str, str]:
    """(separator, text): Excel's ``sep=;`` first line wins and is blanked (line numbers kept)."""
    hint = _EXCEL_SEP.match(text)
    if hint:
        return hint.group(2), hint.group(1) + text[hint.end() :]
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts.values())
    if best == 0:
        return ",", text
    return next(sep for sep in (",", ";", "\t") if counts[sep] == best), text


def _parse_text(text: str, name: str) -> Table:
    separator, text = _detect_separator(text)
    # strict: a quote never closed is an error, not a cell swallowing the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    header: tuple[str, ...] | None = None
    header_line = 1
    rows: list[tuple[int, tuple[str, ...]]] = []
    previous = 0
    try:
        for cells in reader:
            line = previous + 1
            previous = reader.line_num
            cleaned = tuple(_clean(c) for c in cells)
            if not any(cleaned):
                continue
            if header is None:
                header, header_line = cleaned, line
                continue
            rows.append((line, _fit(cleaned, header, name, line)))
    except csv.Error as exc:
        detail = (
            "a quote opened on this line is never closed"
            if "unexpected end of data" in str(exc)
            else f"malformed CSV ({exc}; a quote inside a quoted value must be doubled)"
        )
        raise input_error("bad_csv", detail, file=name, row=previous + 1) from None
    if header is None:
        raise input_error("empty_file", "the file is empty", file=name)
    return Table(name, header, header_line, tuple(rows))


def _fit(cells: tuple[str, ...], header: tuple[str, ...], name: str, line: int) -> tuple[str, ...]:
    if len(cells) > len(header):
        if any(cells[len(header) :]):
            raise input_error(
                "bad_row",
                f"{len(cells)} cells but the header has {len(header)} columns "
                "(a separator inside an unquoted value?)",
                file=name,
                row=line,
                value=cells[len(header)],
            )
        return cells[: len(header)]
    return cells + ("",) * (len(header) - len(cells))


def load_table(path: PathType) -> Table:
    """Read and parse a CSV file. Raises ``InputError``: ``unreadable``, ``empty_file``,
    ``undecodable``, ``bad_csv``, ``bad_row``."""
    name = Path(path).name or str(path)  # "." or "/" have no name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise input_error(
            "unreadable", f"cannot read the file ({exc.strerror})", file=name
        ) from None
    if not raw.strip():
        raise input_error("empty_file", "the file is empty", file=name)
    return _parse_text(_decode(raw, name), name)


def table_from_rows(rows: Sequence[Mapping[str, Any]], name: str) -> Table:
    """A table from in-memory rows: header = keys in first-seen order, row i on "line" i + 2."""
    header: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                header.append(key)
    data = []
    for index, row in enumerate(rows):
        cells = tuple(_clean(row.get(column)) for column in header)
        if any(cells):
            data.append((index + 2, cells))
    return Table(name, tuple(_clean(h) for h in header), 1, tuple(data))
