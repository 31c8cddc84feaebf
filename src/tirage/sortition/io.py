"""Read a sortition instance (quotas + pool) from CSV files or in-memory rows.

Three layouts are recognised from the header of the features (quotas) file;
``docs/sortition-formats.md`` describes them with examples:

* **Tirage** — features ``feature,value,min,max[,label]``; people with an
  ``id`` column.
* **Sortition Foundation** (``sortition-algorithms``, stratification-app) —
  features ``feature,value,min,max[,min_flex,max_flex]`` (older files:
  ``category,name,...``); people id column ``id`` or ``nationbuilder_id``, or
  the one named by ``id_column``.
* **Nature replication** (Flanigan et al. 2021,
  github.com/pgoelz/citizensassemblies-replication) — ``category,feature,min,max``
  where *category* is the feature and *feature* the value; respondents have no
  id column: a person's id is their 1-based data-row number as a string
  (first respondent = ``"1"``), unless an ``id``/``id_column`` column exists.

Decoding: UTF-8 (with or without BOM), else Windows-1252 (which also reads
Latin-1 text). Separator ``,``, ``;`` or tab, detected on the header line (most
frequent wins, ties go to ``,``). Cells are trimmed and NFC-normalised; feature
names and values are compared with ``model.normalise_key`` and the first
spelling met in the features file is kept as the display label.

Privacy: only the id, the feature values and a household key are kept; other
personal columns (names, e-mails, phone numbers, raw addresses) are dropped.

Every problem with the input raises ``errors.InputError`` with a stable
``code`` and ``params`` ``file``, ``row`` (1-based line in the file, header =
line 1; for in-memory rows, index + 2 as if a header preceded them),
``column`` and ``value``. Codes: ``unreadable``, ``empty_file``,
``undecodable``, ``bad_csv``, ``bad_row``, ``missing_column``,
``duplicate_column``, ``empty_cell``, ``bad_number``, ``bad_quota``,
``duplicate_quota``, ``unknown_value``, ``empty_id``, ``duplicate_id``,
``empty_pool``, ``bad_seats``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from os import PathLike
from pathlib import Path
from typing import Any

from tirage.sortition.errors import InputError
from tirage.sortition.households import household_keys
from tirage.sortition.model import Feature, Instance, Person, Quota, normalise_key

__all__ = [
    "Layout",
    "read_instance",
    "read_features",
    "read_people",
    "instance_from_rows",
    "detect_layout",
]

PathType = str | PathLike[str]

ID_COLUMNS = ("id", "nationbuilder_id")

# C0 controls except tab/newline/carriage return, DEL and C1 controls: not text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Layout(StrEnum):
    """Layout of a features (quotas) file, detected from its header."""

    TIRAGE = "tirage"
    SORTITION_FOUNDATION = "sortition_foundation"
    NATURE = "nature"


# ---------------------------------------------------------------------------
# Errors


def _error(
    code: str,
    detail: str,
    *,
    file: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> InputError:
    where = file
    if row is not None:
        where += f", line {row}"
    if column is not None:
        where += f", column {column!r}"
    return InputError(code, f"{where}: {detail}", file=file, row=row, column=column, value=value)


# ---------------------------------------------------------------------------
# Tables


@dataclass(frozen=True, slots=True)
class _Table:
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
            raise _error(
                "duplicate_column",
                f"column {column!r} appears {len(found)} times in the header",
                file=self.name,
                row=self.header_line,
                column=column,
            )
        if not found:
            if required:
                raise _error(
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
        raise _error(
            "undecodable",
            "this looks like a spreadsheet (xlsx/xls), not a CSV text file; export it as CSV",
            file=name,
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _error("undecodable", f"invalid UTF-16 text ({exc.reason})", file=name) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                byte = raw[exc.start : exc.start + 1].hex()
                raise _error(
                    "undecodable",
                    f"byte 0x{byte} is neither UTF-8 nor Windows-1252 text",
                    file=name,
                    row=line,
                    value=f"0x{byte}",
                ) from None
    control = _CONTROL.search(text)
    if control:
        code = f"U+{ord(control.group()):04X}"
        raise _error(
            "undecodable",
            f"control character {code} in the text (binary file?)",
            file=name,
            row=text.count("\n", 0, control.start()) + 1,
            value=code,
        )
    return text


def _detect_separator(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts.values())
    if best == 0:
        return ","
    return next(sep for sep in (",", ";", "\t") if counts[sep] == best)


def _parse_text(text: str, name: str) -> _Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_separator(text))
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
        raise _error("bad_csv", f"malformed CSV ({exc})", file=name, row=previous + 1) from None
    if header is None:
        raise _error("empty_file", "the file is empty", file=name)
    return _Table(name, header, header_line, tuple(rows))


def _fit(cells: tuple[str, ...], header: tuple[str, ...], name: str, line: int) -> tuple[str, ...]:
    if len(cells) > len(header):
        if any(cells[len(header) :]):
            raise _error(
                "bad_row",
                f"{len(cells)} cells but the header has {len(header)} columns "
                "(a separator inside an unquoted value?)",
                file=name,
                row=line,
                value=cells[len(header)],
            )
        return cells[: len(header)]
    return cells + ("",) * (len(header) - len(cells))


def _load(path: PathType) -> _Table:
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise _error("unreadable", f"cannot read the file ({exc.strerror})", file=name) from None
    if not raw.strip():
        raise _error("empty_file", "the file is empty", file=name)
    return _parse_text(_decode(raw, name), name)


def _table_from_rows(rows: Sequence[Mapping[str, Any]], name: str) -> _Table:
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
    return _Table(name, tuple(_clean(h) for h in header), 1, tuple(data))


# ---------------------------------------------------------------------------
# Features


def detect_layout(header: Sequence[str]) -> Layout | None:
    """Layout of a features file from its header cells (any case), or None if unknown.

    ``category`` + ``feature`` (and no ``value``) → Nature; ``feature``/``category``
    + ``value``/``name`` with ``min_flex``/``max_flex`` or with ``category,name``
    → Sortition Foundation; ``feature,value`` → Tirage.
    """
    keys = {normalise_key(h) for h in header}
    if {"category", "feature"} <= keys and "value" not in keys:
        return Layout.NATURE
    if {"feature", "value"} <= keys:
        if keys & {"min_flex", "max_flex"}:
            return Layout.SORTITION_FOUNDATION
        return Layout.TIRAGE
    if "category" in keys and keys & {"name", "value"}:
        return Layout.SORTITION_FOUNDATION
    return None


def _parse_int(text: str, *, table: _Table, line: int, column: str) -> int:
    body = text.replace(" ", "").replace("\u00a0", "")
    sign = -1 if body.startswith("-") else 1
    digits = body.lstrip("+-")
    if not digits.isascii() or not digits.isdigit() or len(body) - len(digits) > 1:
        what = "is empty" if not text else f"{text!r} is not a whole number"
        raise _error(
            "bad_number", f"{column} {what}", file=table.name, row=line, column=column, value=text
        )
    return sign * int(digits)


def _optional_int(
    table: _Table, cells: tuple[str, ...], index: int | None, line: int, column: str
) -> int | None:
    """An optional whole number (flex columns): None when the column or the cell is empty."""
    if index is None or not cells[index]:
        return None
    return _parse_int(cells[index], table=table, line=line, column=column)


def _parse_features(table: _Table) -> tuple[tuple[Feature, ...], Layout]:
    layout = detect_layout(table.header)
    if layout is None:
        keys = table.keys()
        missing = next(c for c in ("feature", "value") if c not in keys)
        raise _error(
            "missing_column",
            f"no column {missing!r}: a features file needs the columns feature,value,min,max "
            "(or category,feature,min,max)",
            file=table.name,
            row=table.header_line,
            column=missing,
        )
    keys = table.keys()
    if layout is Layout.NATURE:
        name_col, value_col = "category", "feature"
    else:
        name_col = "feature" if "feature" in keys else "category"
        value_col = "value" if "value" in keys else "name"
    i_name = table.index(name_col)
    i_value = table.index(value_col)
    i_min = table.index("min")
    i_max = table.index("max")
    i_min_flex = table.index("min_flex", required=False)
    i_max_flex = table.index("max_flex", required=False)
    i_label = table.index("label", required=False) if layout is Layout.TIRAGE else None
    if not table.rows:
        raise _error("empty_file", "no quota rows under the header", file=table.name)

    order: list[str] = []
    labels: dict[str, str] = {}
    quotas: dict[str, dict[str, Quota]] = {}
    value_labels: dict[str, dict[str, str]] = {}
    first_line: dict[tuple[str, str], int] = {}
    for line, cells in table.rows:
        raw_name, raw_value = cells[i_name], cells[i_value]  # type: ignore[index]
        for column, raw in ((name_col, raw_name), (value_col, raw_value)):
            if not raw:
                raise _error(
                    "empty_cell", f"{column} is empty", file=table.name, row=line, column=column
                )
        name, value = normalise_key(raw_name), normalise_key(raw_value)
        if (name, value) in first_line:
            raise _error(
                "duplicate_quota",
                f"{raw_name}={raw_value} already has a quota on line {first_line[(name, value)]}",
                file=table.name,
                row=line,
                column=value_col,
                value=raw_value,
            )
        first_line[(name, value)] = line

        low = _parse_int(cells[i_min], table=table, line=line, column="min")  # type: ignore[index]
        high = _parse_int(cells[i_max], table=table, line=line, column="max")  # type: ignore[index]
        low_flex = _optional_int(table, cells, i_min_flex, line, "min_flex")
        high_flex = _optional_int(table, cells, i_max_flex, line, "max_flex")
        _check_quota(table, line, f"{raw_name}={raw_value}", low, high, low_flex, high_flex)
        if name not in quotas:
            order.append(name)
            labels[name] = raw_name
            quotas[name] = {}
            value_labels[name] = {}
        quotas[name][value] = Quota(low, high, low_flex, high_flex)
        label = cells[i_label] if i_label is not None and cells[i_label] else raw_value
        value_labels[name][value] = label
    features = tuple(
        Feature(name, quotas[name], label=labels[name], value_labels=value_labels[name])
        for name in order
    )
    return features, layout


def _check_quota(
    table: _Table,
    line: int,
    what: str,
    low: int,
    high: int,
    low_flex: int | None,
    high_flex: int | None,
) -> None:
    def bad(column: str, value: int, detail: str) -> InputError:
        return _error(
            "bad_quota",
            f"{what}: {detail}",
            file=table.name,
            row=line,
            column=column,
            value=str(value),
        )

    for column, value in (("min", low), ("max", high), ("min_flex", low_flex)):
        if value is not None and value < 0:
            raise bad(column, value, f"{column} {value} is negative")
    if low > high:
        raise bad("min", low, f"min {low} is greater than max {high}")
    if low_flex is not None and low_flex > low:
        raise bad("min_flex", low_flex, f"min_flex {low_flex} is greater than min {low}")
    if high_flex is not None and high_flex < high:
        raise bad("max_flex", high_flex, f"max_flex {high_flex} is less than max {high}")


def read_features(path: PathType) -> tuple[Feature, ...]:
    """Read a features (quotas) file in any of the three layouts.

    Returns the features in order of first appearance, each with its values in
    file order and their ``Quota`` (seat counts; ``min_flex``/``max_flex`` when
    the file has them and the cell is not empty). Raises ``InputError``
    (``empty_file``, ``undecodable``, ``missing_column``, ``empty_cell``,
    ``bad_number``, ``bad_quota``, ``duplicate_quota``, ...).
    """
    return _parse_features(_load(path))[0]


# ---------------------------------------------------------------------------
# People


def _parse_people(
    table: _Table,
    features: Sequence[Feature],
    *,
    id_column: str | None,
    household_columns: Sequence[str],
    row_ids: bool,
) -> tuple[Person, ...]:
    if id_column is not None:
        i_id = table.index(id_column, what=" (the id column given)")
    else:
        i_id = next(
            (i for c in ID_COLUMNS if (i := table.index(c, required=False)) is not None), None
        )
        if i_id is None and not row_ids:
            raise _error(
                "missing_column",
                "no id column: expected 'id' or 'nationbuilder_id' (or name it with id_column)",
                file=table.name,
                row=table.header_line,
                column="id",
            )
    feature_columns = [
        (feature, table.index(feature.label or feature.name, what=" (a feature of the quotas)"))
        for feature in features
    ]
    house_columns = [(c, table.index(c, what=" (household column)")) for c in household_columns]
    if not table.rows:
        raise _error("empty_pool", "no people under the header", file=table.name)

    people: list[tuple[str, dict[str, str]]] = []
    first_line: dict[str, int] = {}
    house_rows: list[dict[str, str]] = []
    id_name = table.header[i_id] if i_id is not None else "id"
    for number, (line, cells) in enumerate(table.rows, start=1):
        if i_id is None:
            pid = str(number)
        else:
            pid = cells[i_id]
            if not pid:
                raise _error(
                    "empty_id", "the id is empty", file=table.name, row=line, column=id_name
                )
        if pid in first_line:
            raise _error(
                "duplicate_id",
                f"id {pid!r} already used on line {first_line[pid]}",
                file=table.name,
                row=line,
                column=id_name,
                value=pid,
            )
        first_line[pid] = line
        values: dict[str, str] = {}
        for feature, index in feature_columns:
            raw = cells[index]  # type: ignore[index]
            value = normalise_key(raw)
            if value not in feature.quotas:
                known = ", ".join(feature.value_labels.get(v, v) for v in feature.values)
                detail = "is empty" if not raw else f"{raw!r} has no quota"
                raise _error(
                    "unknown_value",
                    f"value {detail} for feature {feature.label or feature.name!r} "
                    f"(known values: {known})",
                    file=table.name,
                    row=line,
                    column=table.header[index],  # type: ignore[index]
                    value=raw,
                )
            values[feature.name] = value
        people.append((pid, values))
        house_rows.append({c: cells[i] for c, i in house_columns})  # type: ignore[index]
    keys = household_keys(house_rows, [c for c, _ in house_columns])
    return tuple(
        Person(pid, values, household=key) for (pid, values), key in zip(people, keys, strict=True)
    )


def read_people(
    path: PathType,
    features: Sequence[Feature],
    *,
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
    row_ids: bool = False,
) -> tuple[Person, ...]:
    """Read the pool: one ``Person`` per data row, in file order.

    ``features``: from ``read_features``; each must be a column of the people
    file (matched case-insensitively). Id column: ``id_column`` if given, else
    ``id``, else ``nationbuilder_id``; with ``row_ids=True`` (Nature layout) and
    none of these, the id is the 1-based data-row number as a string.
    ``household_columns``: address columns, first = street address, combined
    by ``households.household_keys``. Other columns are dropped.

    Raises ``InputError``: ``missing_column``, ``duplicate_column``,
    ``empty_id``, ``duplicate_id``, ``unknown_value``, ``empty_pool``,
    ``empty_file``, ``undecodable``, ``bad_row``.
    """
    return _parse_people(
        _load(path),
        features,
        id_column=id_column,
        household_columns=household_columns,
        row_ids=row_ids,
    )


def _check_seats(seats: int) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise InputError(
            "bad_seats", f"seats must be a whole number >= 1, got {seats!r}", value=str(seats)
        )


def read_instance(
    features_path: PathType,
    people_path: PathType,
    *,
    seats: int,
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
) -> Instance:
    """Read quotas and pool files into an ``Instance`` with ``seats`` (panel size k).

    The layout is detected from the features header (see module docstring);
    a Nature-layout pool without id column gets row-number ids ``"1"``,
    ``"2"``... ``household_columns`` (e.g. ``("address", "postcode")``) turns
    on the one-person-per-household rule. Raises ``InputError`` for any bad
    input (codes listed in the module docstring), never another exception.
    """
    _check_seats(seats)
    table = _load(features_path)
    features, layout = _parse_features(table)
    people = _parse_people(
        _load(people_path),
        features,
        id_column=id_column,
        household_columns=household_columns,
        row_ids=layout is Layout.NATURE,
    )
    return Instance(people, features, seats)


def instance_from_rows(
    features_rows: Sequence[Mapping[str, Any]],
    people_rows: Sequence[Mapping[str, Any]],
    *,
    seats: int,
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
    features_name: str = "features",
    people_name: str = "people",
) -> Instance:
    """Build an ``Instance`` from in-memory rows (e.g. from the web app's database).

    ``features_rows``: mappings with the keys of one features layout, e.g.
    ``{"feature": "secteur", "value": "Nord", "min": 2, "max": 3}`` (numbers may
    be ints or strings). ``people_rows``: mappings column → value, with an id
    column as for files. The same checks and ``InputError`` codes as
    ``read_instance`` apply; ``row`` in errors is the row index + 2 (as if a
    header line preceded the rows) and ``file`` is ``features_name`` /
    ``people_name``.
    """
    _check_seats(seats)
    f_table = _table_from_rows(features_rows, features_name)
    if not f_table.header:
        raise _error("empty_file", "no quota rows", file=features_name)
    features, layout = _parse_features(f_table)
    p_table = _table_from_rows(people_rows, people_name)
    if not p_table.header:
        raise _error("empty_pool", "no people", file=people_name)
    people = _parse_people(
        p_table,
        features,
        id_column=id_column,
        household_columns=household_columns,
        row_ids=layout is Layout.NATURE,
    )
    return Instance(people, features, seats)
