"""The registry of everything Tirage publishes as open data.

A *public resource* is one table (one CSV file, one JSON file, one entry of the Data
Package, one ``dcat:Dataset``, one API endpoint). Adding one is one small function that
returns a :class:`PublicResource`, decorated with :func:`public_resource`::

    @public_resource
    def meetings() -> PublicResource:
        return PublicResource(
            name="reunions",
            title="Réunions du conseil",
            description="…",
            fields=(Field("date", "date", "Date"), …),
            rows=lambda: ({"date": m.starts_on, …} for m in Meeting.objects.published()),
        )

Builders are called lazily (:func:`resources`), never at import, so no query runs when
Django starts. ``opendata`` comes after ``council``, ``meetings`` and ``opinions`` in the
import chain, so builders for their data live in :mod:`tirage.opendata.resources` and
import those apps; those apps never import ``opendata``. Rows must hold public data only:
no address, e-mail, phone or birth date, names only with consent.

Public API::

    Field, PublicResource, public_resource, resources(), resource(name)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Table Schema types a field may have.
TYPES = frozenset({"string", "integer", "number", "date", "datetime", "boolean", "yearmonth"})
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Field:
    """One column: its name (file header), Table Schema ``type``, title and description.

    ``enum`` restricts the values; ``required`` forbids empty cells.
    """

    name: str
    type: str
    title: str
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name!r}: unknown Table Schema type {self.type!r}")

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title}
        if self.description:
            out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True, slots=True)
class PublicResource:
    """One published table.

    ``name`` is a lower-case slug used for file names (``<name>.csv``), the Data Package and
    the API path. ``rows`` returns mappings from field name to a Python value (``str``,
    ``int``, ``Decimal``, ``date``, ``datetime``, ``bool`` or ``None``). ``conforms_to``
    names a standard the table follows (a schema URL or name), published as
    ``dct:conformsTo``.
    """

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[Mapping[str, Any]]]
    keywords: tuple[str, ...] = ()
    conforms_to: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"resource name {self.name!r} must be a lower-case slug")

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]

    def table_schema(self) -> dict[str, Any]:
        """The resource's Table Schema (Frictionless) as a dict."""
        return {"fields": [field.descriptor() for field in self.fields], "missingValues": [""]}


_BUILDERS: dict[str, Callable[[], PublicResource]] = {}


def public_resource(builder: Callable[[], PublicResource]) -> Callable[[], PublicResource]:
    """Register ``builder`` (keyed by its qualified name; registering it again replaces it)."""
    _BUILDERS[f"{builder.__module__}.{builder.__qualname__}"] = builder
    return builder


def resources() -> list[PublicResource]:
    """Every registered resource, in registration order; names are unique (else ``ValueError``)."""
    built = [builder() for builder in _BUILDERS.values()]
    names = [r.name for r in built]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"two public resources share a name: {duplicates}")
    return built


def resource(name: str) -> PublicResource:
    """The registered resource called ``name``; ``KeyError`` if none."""
    for candidate in resources():
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def registered_builders() -> dict[str, Callable[[], PublicResource]]:
    """A copy of the registry (for tests that add and then restore a builder)."""
    return dict(_BUILDERS)


def restore_builders(saved: dict[str, Callable[[], PublicResource]]) -> None:
    _BUILDERS.clear()
    _BUILDERS.update(saved)
