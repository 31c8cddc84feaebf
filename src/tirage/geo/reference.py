"""Reference tables of Roubaix: secteurs, mairies de quartier, quartiers, IRIS, population.

Plain Python (no database, no Django models): every loader reads a file shipped in
``tirage/geo/data/`` once and caches the result (``functools.cache``); the returned
tuples and frozen dataclasses are immutable, so callers can share them.

Codes (stable, used across the product):

* secteur: ``nord``, ``sud``, ``est``, ``ouest``, ``centre`` (one per *mairie de quartier*);
* quartier: ``Q01`` … ``Q13`` (one per INSEE *grand quartier*, digits 6–7 of the IRIS code);
* IRIS: INSEE 9-digit code, e.g. ``595120101``.

Sources (see ``data/PROVENANCE.md``): the IRIS → quartier → secteur table of the
Médiathèque de Roubaix; mairie addresses from local press pages; INSEE census
pages for the population. The secteurs are an **IRIS-level approximation** of the
mairie-de-quartier areas: two quartiers (Q07, Q12) are split between two secteurs.

Missing files raise :class:`FileNotFoundError`; a malformed file raises
:class:`ValueError` or :class:`KeyError` at first load.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SECTEUR_CODES: tuple[str, ...] = ("nord", "sud", "est", "ouest", "centre")
QUARTIER_CODES: tuple[str, ...] = tuple(f"Q{i:02d}" for i in range(1, 14))
INSEE_COMMUNE = "59512"
POSTCODE = "59100"
COMMUNE_LABEL = "Roubaix"


@dataclass(frozen=True, slots=True)
class Secteur:
    """A secteur, i.e. the area of one *mairie de quartier*.

    ``mairie_address`` is free text, as precise as the sources allow (see
    :func:`mairies` for its confidence).
    """

    code: str
    label: str
    mairie_label: str
    mairie_address: str


@dataclass(frozen=True, slots=True)
class Mairie:
    """A *mairie de quartier*: its secteur, address and how sure the address is.

    ``address_confidence`` is ``"haute"``, ``"moyenne"`` or ``"basse"``; ``sources``
    names the pages the address comes from.
    """

    secteur: str
    label: str
    address: str
    address_confidence: str
    sources: str


@dataclass(frozen=True, slots=True)
class Quartier:
    """A quartier (INSEE grand quartier) with the secteur(s) its IRIS belong to.

    ``secteurs`` has two codes for the split quartiers Q07 and Q12, one otherwise.
    ``iris`` lists its IRIS codes in INSEE order. ``source_name`` is the uppercase
    label of the source table.
    """

    code: str
    label: str
    secteurs: tuple[str, ...]
    iris: tuple[str, ...]
    source_name: str = ""


@dataclass(frozen=True, slots=True)
class Iris:
    """An IRIS: INSEE code, INSEE name (uppercase, INSEE spelling), quartier, secteur."""

    code: str
    name: str
    quartier: str
    secteur: str


@dataclass(frozen=True, slots=True)
class PopulationRow:
    """One count of the INSEE commune-level population file (persons)."""

    source_table: str
    census_year: int
    geography_date: str
    sex: str  # "ensemble", "hommes", "femmes"
    age_band: str  # e.g. "15-19", "80+", "total_1+"
    population: int
    derivation: str  # "published" or "ensemble_minus_hommes"


def _data_text(name: str) -> str:
    return resources.files("tirage.geo").joinpath("data", name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_data_text(name).splitlines()))


def load_json(name: str) -> Any:
    """Parse a JSON file shipped in ``tirage/geo/data/`` (not cached)."""
    return json.loads(_data_text(name))


@cache
def secteurs() -> tuple[Secteur, ...]:
    """The 5 secteurs, in the order nord, sud, est, ouest, centre (``data/secteurs.csv``)."""
    rows = {r["code"]: r for r in _csv_rows("secteurs.csv")}
    if set(rows) != set(SECTEUR_CODES):
        raise ValueError(f"secteurs.csv has codes {sorted(rows)}")
    return tuple(
        Secteur(c, rows[c]["label"], rows[c]["mairie_label"], rows[c]["mairie_address"])
        for c in SECTEUR_CODES
    )


@cache
def mairies() -> tuple[Mairie, ...]:
    """The 5 mairies de quartier with address confidence and sources (``data/secteurs.csv``)."""
    rows = {r["code"]: r for r in _csv_rows("secteurs.csv")}
    return tuple(
        Mairie(
            c,
            rows[c]["mairie_label"],
            rows[c]["mairie_address"],
            rows[c]["address_confidence"],
            rows[c]["sources"],
        )
        for c in SECTEUR_CODES
    )


@cache
def iris_table() -> tuple[Iris, ...]:
    """The 38 IRIS of Roubaix in code order (``data/iris.csv``)."""
    out = tuple(
        Iris(r["code"], r["name"], r["quartier"], r["secteur"])
        for r in sorted(_csv_rows("iris.csv"), key=lambda r: r["code"])
    )
    for i in out:
        if i.secteur not in SECTEUR_CODES or i.quartier not in QUARTIER_CODES:
            raise ValueError(f"bad IRIS row {i}")
    return out


@cache
def iris_by_code() -> dict[str, Iris]:
    """IRIS code → :class:`Iris` (do not mutate the shared dict)."""
    return {i.code: i for i in iris_table()}


@cache
def quartiers() -> tuple[Quartier, ...]:
    """The 13 quartiers Q01…Q13 (``data/quartiers.csv``).

    Raises :class:`ValueError` if the file disagrees with ``iris.csv``.
    """
    by_iris = iris_by_code()
    out = []
    for r in _csv_rows("quartiers.csv"):
        q = Quartier(
            code=r["code"],
            label=r["label"],
            secteurs=tuple(r["secteurs"].split(";")),
            iris=tuple(r["iris_codes"].split(";")),
            source_name=r["source_name"],
        )
        expected = {by_iris[c].secteur for c in q.iris}
        if set(q.secteurs) != expected or any(by_iris[c].quartier != q.code for c in q.iris):
            raise ValueError(f"quartiers.csv disagrees with iris.csv for {q.code}")
        out.append(q)
    if tuple(q.code for q in out) != QUARTIER_CODES:
        raise ValueError("quartiers.csv must list Q01…Q13 in order")
    return tuple(out)


@cache
def quartier_by_code() -> dict[str, Quartier]:
    """Quartier code → :class:`Quartier` (do not mutate the shared dict)."""
    return {q.code: q for q in quartiers()}


@cache
def secteur_by_code() -> dict[str, Secteur]:
    """Secteur code → :class:`Secteur` (do not mutate the shared dict)."""
    return {s.code: s for s in secteurs()}


@cache
def commune_population() -> tuple[PopulationRow, ...]:
    """INSEE population counts for the whole commune (``data/population_commune.csv``).

    The file has **commune-level rows only** (RP2021 by sex and age band, table
    MIG1; RP2018 population aged 15+, table POP5; RP2020 by age, table POP T0), no
    IRIS rows, so there is no population by secteur or quartier in the shipped data:
    that needs INSEE's ``base-ic-evol-struct-pop`` IRIS file (not available yet).
    """
    return tuple(
        PopulationRow(
            r["source_table"],
            int(r["millesime_rp"]),
            r["geographie_au"],
            r["sexe"],
            r["tranche_age"],
            int(r["population"]),
            r["derivation"],
        )
        for r in _csv_rows("population_commune.csv")
    )
