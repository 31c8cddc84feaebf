"""Figures shown to staff and the public about a prepared lottery (no personal data).

For each feature value: pool count, quota, expected seats (sum of selection
probabilities) and the mean probability — and the share of the city's
population where the reference data has it. ``tirage.geo.reference`` ships
INSEE counts for the whole commune only (by sex and age band): the population
share is known for gender (residents aged 15 and over), not for secteurs.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from tirage.draws.models import Draw
from tirage.geo import reference


@dataclass(frozen=True)
class ValueRow:
    feature: str
    feature_label: str
    value: str
    label: str
    pool: int
    quota_min: int
    quota_max: int
    expected_seats: float  # sum of members' probabilities
    mean_probability: float
    min_probability: float
    max_probability: float
    population_share: float | None = None  # of the city's population, if known


def value_rows(draw: Draw, population: dict[str, dict[str, float]] | None = None) -> list[ValueRow]:
    """One row per (feature, value) of the call, from the draw's stored selections.

    ``population`` maps feature key → value key → share (0..1) of the city's
    population, for the values where it is known (see ``population_shares``).
    """
    selections: dict[str, int] = draw.summary.get("probabilities", {})
    m = draw.panels
    members = list(draw.pool.members.values_list("receipt_code", "values"))
    rows: list[ValueRow] = []
    for feature in draw.pool.call.features.prefetch_related("values"):
        for value in feature.values.all():
            probs = [
                Fraction(selections.get(code, 0), m)
                for code, values in members
                if values.get(feature.key) == value.key
            ]
            share = (population or {}).get(feature.key, {}).get(value.key)
            rows.append(
                ValueRow(
                    feature=feature.key,
                    feature_label=feature.label,
                    value=value.key,
                    label=value.label,
                    pool=len(probs),
                    quota_min=value.min,
                    quota_max=value.max,
                    expected_seats=float(sum(probs)),
                    mean_probability=float(sum(probs) / len(probs)) if probs else 0.0,
                    min_probability=float(min(probs)) if probs else 0.0,
                    max_probability=float(max(probs)) if probs else 0.0,
                    population_share=share,
                )
            )
    return rows


def probability_of(draw: Draw, receipt_code: str) -> Fraction | None:
    """The selection probability (count/m, exact) of ``receipt_code`` in ``draw``, or None."""
    selections: dict[str, int] = draw.summary.get("probabilities", {})
    if receipt_code not in selections:
        return None
    return Fraction(selections[receipt_code], draw.panels)


INSEE_SEX = {"femme": "femmes", "homme": "hommes"}
POPULATION_SOURCE = "INSEE, recensement 2021 (table MIG1), habitants de 15 ans et plus"


def population_shares(call) -> dict[str, dict[str, float]]:
    """Share of the city's residents aged 15+ per gender value, when the city is the one shipped in ``geo``.

    Returns ``{feature key: {value key: share}}``; empty for other cities.
    Secteurs are absent: the shipped data has no population below the commune.
    """
    if call.city_name != reference.COMMUNE_LABEL:
        return {}
    counts = {"femmes": 0, "hommes": 0}
    for row in reference.commune_population():
        if (
            row.source_table.startswith("MIG1")
            and row.sex in counts
            and row.age_band not in {"01-14", "total_1+"}
        ):
            counts[row.sex] += row.population
    total = sum(counts.values())
    shares: dict[str, dict[str, float]] = {}
    for feature in call.features.filter(source="gender").prefetch_related("values"):
        shares[feature.key] = {
            v.key: counts[INSEE_SEX[v.key]] / total
            for v in feature.values.all()
            if v.key in INSEE_SEX
        }
    return shares
