"""Check that a published file is what the City promised.

:func:`inspect` takes the bytes of a file (fetched by :mod:`tirage.opendata.fetch` or
uploaded) and checks, in order:

1. the **format**, read from the bytes (a portal page in HTML where a CSV was promised is
   the most common fault);
2. the **columns** promised (the request's ``expected_columns``, plus the schema's
   required fields when a schema applies), compared without case or accents;
3. when the request names a schema from schema.data.gouv.fr that Tirage ships
   (:mod:`tirage.opendata.schemas`), **validation with frictionless** against that copy,
   columns matched by name (as Validata does). Errors are worded in French here; at most
   :data:`MAX_ERRORS` are kept, with the total count.

The result is a :class:`Report`; nothing here touches the database.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tirage.opendata import tabular
from tirage.opendata.schemas import ShippedSchema, shipped_schema

MAX_ERRORS = 20

OK = "ok"
WRONG_FORMAT = "wrong_format"
MISSING_COLUMNS = "missing_columns"
SCHEMA_INVALID = "schema_invalid"


@dataclass
class Report:
    """What :func:`inspect` found. ``outcome`` is a ``Verification.Outcome`` value."""

    outcome: str
    message: str
    errors: list[str] = field(default_factory=list)
    detected_format: str = ""
    columns: list[str] = field(default_factory=list)
    row_count: int | None = None
    schema_name: str = ""
    schema_version: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == OK


def fold(text: str) -> str:
    """Compare column names without case, accents or surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _compatible(expected: str, detected: str) -> bool:
    return expected == detected or (expected == tabular.JSON and detected == tabular.GEOJSON)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"« {name} »" for name in names)


def inspect(
    content: bytes,
    *,
    expected_format: str,
    expected_columns: list[str] | None = None,
    schema_name: str = "",
    schema_version: str = "",
) -> Report:
    """Check ``content`` against the promise; returns a :class:`Report` (never raises for bad data)."""
    detected = tabular.detect_format(content)
    if not _compatible(expected_format, detected):
        promised_label = tabular.FORMAT_LABELS.get(expected_format, expected_format)
        message = (
            f"Le format du fichier n'est pas reconnu ({promised_label} promis)."
            if detected == tabular.UNKNOWN
            else f"Le fichier est au format {tabular.FORMAT_LABELS.get(detected, detected)}, "
            f"pas {promised_label} comme promis."
        )
        return Report(WRONG_FORMAT, message, detected_format=detected)
    try:
        table = tabular.read_table(content, fmt=detected)
    except tabular.TableError as exc:
        return Report(WRONG_FORMAT, str(exc), detected_format=detected)
    schema = shipped_schema(schema_name, schema_version) if schema_name else None
    promised = list(expected_columns or [])
    if schema is not None:
        promised += [name for name in schema.required_fields if name not in promised]
    present = {fold(column) for column in table.columns}
    missing = [name for name in promised if fold(name) not in present]
    report = Report(
        OK,
        "",
        detected_format=detected,
        columns=table.columns,
        row_count=len(table.rows),
        schema_name=schema.name if schema else "",
        schema_version=schema.version if schema else "",
    )
    if missing:
        report.outcome = MISSING_COLUMNS
        plural = "s" if len(missing) > 1 else ""
        report.message = (
            f"Colonne{plural} promise{plural} absente{plural} : {_quoted(missing)}. "
            f"Colonnes du fichier : {_quoted(table.columns) or 'aucune'}."
        )
        return report
    notes = []
    if schema_name and schema is None:
        version = f" {schema_version}" if schema_version else ""
        notes.append(
            f"Le schéma {schema_name}{version} n'est pas fourni avec Tirage : seuls le format "
            "et les colonnes ont été vérifiés."
        )
    if schema is not None and detected in (tabular.CSV, tabular.XLSX):
        errors, total = validate_with_schema(content, detected, table, schema)
        if total:
            report.outcome = SCHEMA_INVALID
            report.errors = errors
            more = f" (les {len(errors)} premières sont listées)" if total > len(errors) else ""
            report.message = (
                f"{total} erreur{'s' if total > 1 else ''} au regard du schéma "
                f"{schema.name} {schema.version}{more}."
            )
            return report
        notes.insert(0, f"Conforme au schéma {schema.name} {schema.version}.")
    report.message = " ".join(
        [
            f"{tabular.FORMAT_LABELS[detected]} lisible : {len(table.rows)} "
            f"{table.row_word}{'s' if len(table.rows) != 1 else ''}, "
            f"{len(table.columns)} colonnes, colonnes promises présentes.",
            *notes,
        ]
    )
    return report


def validate_with_schema(
    content: bytes, fmt: str, table: tabular.Table, schema: ShippedSchema
) -> tuple[list[str], int]:
    """Validate with frictionless; returns (French messages, at most :data:`MAX_ERRORS`; total)."""
    # Imported here: frictionless loads many plugins; only a verification with a schema needs it.
    from frictionless import Dialect, Resource, Schema, system
    from frictionless.formats import CsvControl

    frictionless_schema = Schema.from_descriptor(str(schema.path))
    # Columns are matched by name, in any order; optional ones may be absent (frictionless
    # "superset": the schema's fields may be more than the file's). Required columns were
    # checked by name before, with a clearer message.
    frictionless_schema.fields_match = "superset"
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"fichier.{fmt}")
        with open(path, "wb") as handle:
            handle.write(content)
        options: dict[str, Any] = {}
        if fmt == tabular.CSV:
            options["encoding"] = table.encoding
            options["dialect"] = Dialect(controls=[CsvControl(delimiter=table.delimiter)])
        # trusted: the file is our own temporary copy (frictionless refuses absolute paths otherwise).
        with system.use_context(trusted=True):
            resource = Resource(path=path, format=fmt, schema=frictionless_schema, **options)
            report = resource.validate()
    errors = [error for task in report.tasks for error in task.errors]
    return [french_error(error, table.row_word) for error in errors[:MAX_ERRORS]], len(errors)


def french_error(error: Any, row_word: str = "ligne") -> str:
    """One frictionless error in French, naming the row, the column and the value."""
    kind = getattr(error, "type", "")
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None) or getattr(error, "label", None)
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    where = f"{row_word.capitalize()} {row}" if row else "En-tête"
    if column:
        where += f", colonne « {column} »"
    if kind == "type-error":
        return f"{where} : « {cell} » n'est pas du type attendu ({note})."
    if kind == "constraint-error":
        if note.startswith('constraint "required"'):
            return f"{where} : valeur obligatoire manquante."
        if note.startswith('constraint "enum"'):
            allowed = note.split(" is ", 1)[-1]
            return f"{where} : « {cell} » ne fait pas partie des valeurs permises {allowed}."
        if note.startswith('constraint "pattern"'):
            return f"{where} : « {cell} » n'a pas la forme attendue ({note.split(' is ', 1)[-1]})."
        return f"{where} : « {cell} » ne respecte pas une contrainte ({note})."
    if kind == "missing-label":
        return f"Colonne « {column} » absente de l'en-tête."
    if kind in ("extra-label", "incorrect-label", "blank-label", "duplicate-label"):
        labels = {
            "extra-label": "colonne en trop",
            "incorrect-label": "nom de colonne inattendu",
            "blank-label": "nom de colonne vide",
            "duplicate-label": "nom de colonne en double",
        }
        return f"{where} : {labels[kind]}."
    if kind == "missing-cell":
        return f"{where} : cellule manquante."
    if kind == "extra-cell":
        return f"{where} : cellule en trop (« {cell} »)."
    if kind == "blank-row":
        return f"{where} : ligne vide."
    if kind in ("unique-error", "primary-key"):
        return f"{where} : valeur en double ({note.replace('the same as in the row at position', 'comme la ligne')})."
    return f"{where} : {getattr(error, 'message', kind)}"
