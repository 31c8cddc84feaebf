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
frequent wins, ties go to ``,``), or given by Excel's ``sep=;`` first line.
Cells are trimmed and NFC-normalised; feature names and values are compared
with ``model.normalise_key`` and the first spelling met in the features file
is kept as the display label.

Privacy: only the id, the feature values and a household key are kept; other
personal columns (names, e-mails, phone numbers, addresses) are dropped. The
household key is opaque: ``"h1"``, ``"h2"``... numbered by first appearance,
equal for people whose addresses normalise alike (``households.household_keys``).

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

import numbers
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from tirage.sortition.csvtable import PathType, Table, input_error, load_table, table_from_rows
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

ID_COLUMNS = ("id", "nationbuilder_id")
# Quota bounds above this are refused: the solvers work with 64-bit integers and
# HiGHS reads 1e20 as infinity; a panel of a billion seats is not a council.
MAX_NUMBER = 10**9


class Layout(StrEnum):
    """Layout of a features (quotas) file, detected from its header."""

    TIRAGE = "tirage"
    SORTITION_FOUNDATION = "sortition_foundation"
    NATURE = "nature"


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


def _parse_int(text: str, *, table: Table, line: int, column: str) -> int:
    body = text.replace(" ", "").replace("\u00a0", "")
    sign = -1 if body.startswith("-") else 1
    digits = body.lstrip("+-")
    if not digits.isascii() or not digits.isdigit() or len(body) - len(digits) > 1:
        what = "is empty" if not text else f"{text!r} is not a whole number"
        raise input_error(
            "bad_number", f"{column} {what}", file=table.name, row=line, column=column, value=text
        )
    if len(digits.lstrip("0")) > 10 or int(digits) > MAX_NUMBER:
        raise input_error(
            "bad_number",
            f"{column} {text!r} is too large (at most {MAX_NUMBER})",
            file=table.name,
            row=line,
            column=column,
            value=text,
        )
    return sign * int(digits)


def _optional_int(
    table: Table, cells: tuple[str, ...], index: int | None, line: int, column: str
) -> int | None:
    """An optional whole number (flex columns): None when the column or the cell is empty."""
    if index is None or not cells[index]:
        return None
    return _parse_int(cells[index], table=table, line=line, column=column)


def _parse_features(table: Table) -> tuple[tuple[Feature, ...], Layout]:
    layout = detect_layout(table.header)
    if layout is None:
        keys = table.keys()
        missing = next(c for c in ("feature", "value") if c not in keys)
        raise input_error(
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
        raise input_error("empty_file", "no quota rows under the header", file=table.name)

    order: list[str] = []
    labels: dict[str, str] = {}
    quotas: dict[str, dict[str, Quota]] = {}
    value_labels: dict[str, dict[str, str]] = {}
    first_line: dict[tuple[str, str], int] = {}
    for line, cells in table.rows:
        raw_name, raw_value = cells[i_name], cells[i_value]  # type: ignore[index]
        for column, raw in ((name_col, raw_name), (value_col, raw_value)):
            if not raw:
                raise input_error(
                    "empty_cell", f"{column} is empty", file=table.name, row=line, column=column
                )
        name, value = normalise_key(raw_name), normalise_key(raw_value)
        if (name, value) in first_line:
            raise input_error(
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
    table: Table,
    line: int,
    what: str,
    low: int,
    high: int,
    low_flex: int | None,
    high_flex: int | None,
) -> None:
    def bad(column: str, value: int, detail: str) -> InputError:
        return input_error(
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
    return _parse_features(load_table(path))[0]


# ---------------------------------------------------------------------------
# People


def _parse_people(
    table: Table,
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
            raise input_error(
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
        raise input_error("empty_pool", "no people under the header", file=table.name)

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
                raise input_error(
                    "empty_id", "the id is empty", file=table.name, row=line, column=id_name
                )
        if pid in first_line:
            raise input_error(
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
                raise input_error(
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
    keys = _opaque(household_keys(house_rows, [c for c, _ in house_columns]))
    return tuple(
        Person(pid, values, household=key) for (pid, values), key in zip(people, keys, strict=True)
    )


def _opaque(keys: Sequence[str | None]) -> list[str | None]:
    """Replace normalised addresses by ``"h1"``, ``"h2"``... in order of first appearance.

    The ``Instance`` may be published with a draw: it must say who shares a
    household, not where anyone lives.
    """
    numbers: dict[str, str] = {}
    return [
        None if key is None else numbers.setdefault(key, f"h{len(numbers) + 1}") for key in keys
    ]


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
        load_table(path),
        features,
        id_column=id_column,
        household_columns=household_columns,
        row_ids=row_ids,
    )


def _check_seats(seats: int) -> int:
    """``seats`` as an ``int`` (numpy integers accepted); ``InputError("bad_seats")`` otherwise."""
    if not isinstance(seats, bool) and isinstance(seats, numbers.Integral) and seats >= 1:
        return int(seats)
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
    seats = _check_seats(seats)
    table = load_table(features_path)
    features, layout = _parse_features(table)
    people = _parse_people(
        load_table(people_path),
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
    seats = _check_seats(seats)
    f_table = table_from_rows(features_rows, features_name)
    if not f_table.header:
        raise input_error("empty_file", "no quota rows", file=features_name)
    features, layout = _parse_features(f_table)
    p_table = table_from_rows(people_rows, people_name)
    if not p_table.header:
        raise input_error("empty_pool", "no people", file=people_name)
    people = _parse_people(
        p_table,
        features,
        id_column=id_column,
        household_columns=household_columns,
        row_ids=layout is Layout.NATURE,
    )
    return Instance(people, features, seats)
