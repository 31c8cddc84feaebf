"""Figures shown to staff and the public about a prepared lottery (no personal data).

For each feature value: pool count, quota, expected seats (sum of selection
probabilities) and the mean probability — and, for secteurs, the share of the
city's population where the reference data has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from tirage.draws.models import Draw


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


def value_rows(draw: Draw, population: dict[str, float] | None = None) -> list[ValueRow]:
    """One row per (feature, value) of the call, from the draw's stored selections."""
    selections: dict[str, int] = draw.summary.get("probabilities", {})
    m = draw.panels
    members = list(draw.pool.members.values_list("receipt_code", "values"))
    rows: list[ValueRow] = []
    for feature in draw.pool.call.features.prefetch_related("values"):
        for value in feature.values.all():
            probs = [
                Fraction(selections.get(code, 0), m) for code, values in members
                if values.get(feature.key) == value.key
            ]
            share = None
            if population and feature.source == "secteur":
                share = population.get(value.key)
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
