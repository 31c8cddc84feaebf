"""Table Schemas shipped with Tirage (nothing is downloaded at run time).

Layout: ``schemas/<owner>/<name>/<version>/schema.json``, the owner and name being those
of schema.data.gouv.fr (``LaMednum/standard-mediation-num``), each folder with a
``PROVENANCE.md`` (source, commit, licence). Tirage's own schemas live under
``tirage/``.

Public API::

    shipped_schema(name, version="") -> ShippedSchema | None
    shipped_schemas() -> list[ShippedSchema]
    INDICATORS_SCHEMA -> the name of Tirage's indicator file schema
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).resolve().parent
INDICATORS_SCHEMA = "tirage/indicateurs-services-numeriques"
_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_VERSION = re.compile(r"^[0-9A-Za-z_.-]+$")


@dataclass(frozen=True, slots=True)
class ShippedSchema:
    """A schema file in the repository: its name, version, path and parsed descriptor."""

    name: str
    version: str
    path: Path
    descriptor: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title", self.name))

    @property
    def owner(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def short_name(self) -> str:
        return self.name.split("/", 1)[1]

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.descriptor.get("fields", [])]

    @property
    def required_fields(self) -> list[str]:
        return [
            field["name"]
            for field in self.descriptor.get("fields", [])
            if field.get("constraints", {}).get("required")
        ]


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.-]", version))


@cache
def _load(name: str, version: str) -> ShippedSchema | None:
    path = SCHEMAS_DIR / name / version / "schema.json"
    if not path.is_file():
        return None
    return ShippedSchema(name, version, path, json.loads(path.read_text(encoding="utf-8")))


def shipped_schema(name: str, version: str = "") -> ShippedSchema | None:
    """The shipped schema ``name`` at ``version`` (or its latest shipped version if blank).

    Returns ``None`` when Tirage does not ship it (or the name is not ``owner/name``).
    """
    name, version = name.strip(), version.strip().removeprefix("v")
    if not _NAME.match(name) or (version and not _VERSION.match(version)):
        return None
    if version:
        return _load(name, version)
    folder = SCHEMAS_DIR / name
    if not folder.is_dir():
        return None
    versions = sorted((p.name for p in folder.iterdir() if p.is_dir()), key=_version_key)
    return _load(name, versions[-1]) if versions else None


def shipped_schemas() -> list[ShippedSchema]:
    """Every shipped schema at every version, sorted by name then version."""
    found = []
    for path in sorted(SCHEMAS_DIR.glob("*/*/*/schema.json")):
        version_dir = path.parent
        name = f"{version_dir.parent.parent.name}/{version_dir.parent.name}"
        schema = _load(name, version_dir.name)
        if schema is not None:
            found.append(schema)
    return found
