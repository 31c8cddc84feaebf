"""Parse an indicator file (CSV, XLSX or JSON) into values, or refuse it with French errors.

The columns are those of Tirage's Table Schema ``tirage/indicateurs-services-numeriques``
(shipped in :mod:`tirage.opendata.schemas`): ``service``, ``periode``, ``indicateur``,
``valeur`` are required, ``secteur`` is optional; extra columns are ignored; names are
matched without case or accents (« Période » is ``periode``).

Every row is checked and **every** error is reported (up to :data:`MAX_ERRORS`, then a
count), each naming the row, the column, the value and the rule: unknown service,
indicator or secteur, a month that is not a month, is in the future or before 2000, a value that is not
a number, out of bounds (a percentage above 100 by how many points), not whole where a count
is expected, a secteur where the indicator has none, the same (service, month, indicator,
secteur) twice. :func:`parse` returns values only for a file without any error; it never
touches the database (:func:`tirage.opendata.services.import_indicators` saves).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tirage.opendata import tabular
from tirage.opendata.indicators import INDICATORS, Indicator, format_value
from tirage.opendata.schemas import INDICATORS_SCHEMA, shipped_schema
from tirage.opendata.verification import fold

MAX_ERRORS = 50
MAX_BYTES = 10 * 1024 * 1024
#: No digital service of a city was measured before this month: an earlier one is a typo.
EARLIEST_PERIOD = dt.date(2000, 1, 1)
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(-\d{1,2})?$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^\d{1,2}/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class ImportRefused(Exception):
    """The file is refused; ``errors`` lists French messages (nothing was saved)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One value of the file: where it was and what it says."""

    row: int
    service: str
    period: dt.date
    indicator: str
    secteur: str
    value: Decimal

    @property
    def key(self) -> tuple[str, dt.date, str, str]:
        return (self.service, self.period, self.indicator, self.secteur)


@dataclass
class Parsed:
    table: tabular.Table
    values: list[ParsedValue]


def month_label(day: dt.date) -> str:
    """``2026-03-01`` → « mars 2026 »."""
    return f"{MONTHS_FR[day.month - 1]} {day.year}"


def required_columns() -> list[str]:
    """Required columns, read from the shipped Table Schema."""
    schema = shipped_schema(INDICATORS_SCHEMA)
    assert schema is not None, "Tirage's indicator schema is shipped with the package"
    return schema.required_fields


def parse_month(raw: Any) -> dt.date | None:
    """The first day of the month ``raw`` names (``2026-03``, ``03/2026``, a date), or ``None``."""
    if isinstance(raw, dt.datetime):
        return raw.date().replace(day=1)
    if isinstance(raw, dt.date):
        return raw.replace(day=1)
    text = str(raw).strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match["y"]), int(match["m"])
            if 1 <= month <= 12 and 1900 < year < 2200:
                return dt.date(year, month, 1)
    return None


def parse_number(raw: Any) -> Decimal | None:
    """A number from a cell: ``71,5``, ``71.5``, ``1 234``, ``71,5 %``, 71.5; ``None`` if not one."""
    if isinstance(raw, bool):
        return Decimal(int(raw))
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = _SPACES.sub("", str(raw)).removesuffix("%")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _bounds_error(value: Decimal, ind: Indicator) -> str | None:
    shown = format_value(value, ind) if not ind.boolean else str(value)
    if ind.boolean:
        if value not in (0, 1):
            return f"« {shown} » n'est pas permis pour « {ind.label} » : mettez 1 (oui) ou 0 (non)."
        return None
    if ind.integer and value != value.to_integral_value():
        plain = f"{value.normalize():f}".replace(".", ",")
        return f"« {plain} » n'est pas un nombre entier (« {ind.label} » se compte en unités)."
    if ind.minimum is not None and value < ind.minimum:
        return f"{shown} est négatif : « {ind.label} » ne peut pas être inférieur à {ind.minimum}."
    if ind.maximum is not None and value > ind.maximum:
        excess = format_value(value - ind.maximum, ind).replace("\u00a0%", "")
        if ind.is_percentage:
            return f"{shown} dépasse 100 % (de {excess} point{'s' if value - ind.maximum >= 2 else ''}) pour « {ind.label} »."
        return (
            f"{shown} dépasse le maximum de {format_value(ind.maximum, ind)} pour « {ind.label} »."
        )
    return None


def parse(
    content: bytes,
    *,
    services: dict[str, str],
    secteurs: dict[str, str],
    today: dt.date,
) -> Parsed:
    """Read and check an indicator file.

    ``services`` maps service codes (slugs) to names; ``secteurs`` maps secteur codes to
    labels (a secteur may be given by code or label). Values for months after ``today``'s
    month are refused. Returns :class:`Parsed`; raises :class:`ImportRefused` with every
    error otherwise.
    """
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            [f"Le fichier fait plus de {MAX_BYTES // (1024 * 1024)} Mo : découpez-le par année."]
        )
    try:
        table = tabular.read_table(content)
    except tabular.TableError as exc:
        raise ImportRefused([str(exc)]) from exc
    by_fold = {fold(column): column for column in table.columns}
    required = required_columns()
    missing = [name for name in required if fold(name) not in by_fold]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise ImportRefused(
            [
                f"Colonne{plural} absente{plural} : {', '.join(f'« {m} »' for m in missing)}. "
                f"Le fichier doit avoir les colonnes {', '.join(required)} (et secteur si besoin) ; "
                f"colonnes trouvées : {', '.join(f'« {c} »' for c in table.columns) or 'aucune'}."
            ]
        )
    if not table.rows:
        raise ImportRefused(["Le fichier ne contient aucune ligne de données."])
    column = {name: by_fold.get(name, "") for name in (*required, "secteur")}
    secteur_by_fold = {fold(code): code for code in secteurs} | {
        fold(label): code for code, label in secteurs.items()
    }
    current_month = today.replace(day=1)
    errors: list[str] = []
    values: list[ParsedValue] = []
    first_row: dict[tuple, int] = {}
    word = table.row_word.capitalize()

    for number, record in table.rows:

        def cell(name: str, record: dict[str, Any] = record) -> Any:
            raw = record.get(column[name]) if column[name] else None
            return "" if raw is None else raw

        def error(name: str, text: str, number: int = number) -> None:
            errors.append(f"{word} {number}, colonne « {column[name] or name} » : {text}")

        row_ok = True
        service = str(cell("service")).strip().lower()
        if not service:
            error("service", "le code du service est vide.")
            row_ok = False
        elif service not in services:
            known = ", ".join(sorted(services)) or "aucun"
            error("service", f"service « {service} » inconnu (services suivis : {known}).")
            row_ok = False
        raw_period = cell("periode")
        period = parse_month(raw_period)
        if period is None:
            shown = str(raw_period).strip() or "vide"
            error(
                "periode",
                f"« {shown} » n'est pas un mois (attendu AAAA-MM, par exemple 2026-03).",
            )
            row_ok = False
        elif period > current_month:
            error(
                "periode",
                f"{month_label(period)} est dans le futur (nous sommes en {month_label(current_month)}).",
            )
            row_ok = False
        elif period < EARLIEST_PERIOD:
            error(
                "periode",
                f"{month_label(period)} est trop ancien : les indicateurs commencent en "
                f"{month_label(EARLIEST_PERIOD)} au plus tôt (vérifiez l'année).",
            )
            row_ok = False
        code = str(cell("indicateur")).strip().lower()
        ind = INDICATORS.get(code)
        if ind is None:
            error(
                "indicateur",
                f"indicateur « {code or 'vide'} » inconnu (indicateurs : {', '.join(INDICATORS)}).",
            )
            row_ok = False
        raw_secteur = str(cell("secteur")).strip() if column["secteur"] else ""
        secteur = ""
        if raw_secteur:
            found = secteur_by_fold.get(fold(raw_secteur))
            if found is None:
                error(
                    "secteur",
                    f"secteur « {raw_secteur} » inconnu (secteurs : {', '.join(secteurs)} ; "
                    "vide pour toute la ville).",
                )
                row_ok = False
            elif ind is not None and not ind.by_secteur:
                error(
                    "secteur",
                    f"« {ind.label} » ne se donne pas par secteur : laissez la colonne vide.",
                )
                row_ok = False
            else:
                secteur = found
        raw_value = cell("valeur")
        value = parse_number(raw_value)
        if isinstance(raw_value, str) and not raw_value.strip():
            error("valeur", "la valeur est vide.")
            row_ok = False
        elif value is None:
            if ind is not None and ind.boolean and fold(str(raw_value)) in ("oui", "non"):
                value = Decimal(1 if fold(str(raw_value)) == "oui" else 0)
            else:
                error("valeur", f"« {raw_value} » n'est pas un nombre.")
                row_ok = False
        if value is not None and ind is not None:
            problem = _bounds_error(value, ind)
            if problem:
                error("valeur", problem)
                row_ok = False
        if not row_ok or value is None or period is None or ind is None:
            continue
        parsed = ParsedValue(number, service, period, ind.code, secteur, value)
        if parsed.key in first_row:
            errors.append(
                f"{word} {number} : même service, mois, indicateur et secteur que la "
                f"{table.row_word} {first_row[parsed.key]} ({service}, {period:%Y-%m}, {ind.code}, "
                f"{secteurs.get(secteur, secteur) if secteur else 'toute la ville'})."
            )
            continue
        first_row[parsed.key] = number
        values.append(parsed)

    if errors:
        listed = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            listed.append(f"… et {len(errors) - MAX_ERRORS} autres erreurs.")
        raise ImportRefused(listed)
    return Parsed(table, values)
