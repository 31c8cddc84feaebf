"""Minimal private loaders for the shipped instances (tests and benchmarks only).

The engine's own reader (``tirage.sortition.io``) lives on another branch; this
helper reads just the three layouts in ``data/sortition`` so the solver can be
tested meanwhile. Households: people sharing ``address`` + ``postcode``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tirage.sortition.model import Feature, Instance, Person, Quota, normalise_key

DATA = Path(__file__).resolve().parents[2] / "data" / "sortition"

SEATS = {
    "citizensassemblies_example_small_20": 20,
    "citizensassemblies_example_large_200": 200,
    "sortition_algorithms_fixture_150": 22,
    "civic_synth_400_k20": 20,
}


def _quotas(path: Path, feature_col: str, value_col: str) -> dict[str, dict[str, Quota]]:
    feats: dict[str, dict[str, Quota]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name, value = normalise_key(row[feature_col]), normalise_key(row[value_col])
            feats.setdefault(name, {})[value] = Quota(int(row["min"]), int(row["max"]))
    return feats


def load(name: str, *, households: bool = True) -> Instance:
    """The instance ``data/sortition/<name>`` with its usual panel size."""
    folder = DATA / name
    if (folder / "categories.csv").exists():
        feats = _quotas(folder / "categories.csv", "category", "feature")
        people_path, id_col = folder / "respondents.csv", None
    else:
        feats = _quotas(folder / "features.csv", "feature", "value")
        if (folder / "candidates.csv").exists():
            people_path, id_col = folder / "candidates.csv", "nationbuilder_id"
        else:
            people_path, id_col = folder / "people.csv", "id"
    people = []
    with people_path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            values = {normalise_key(c): normalise_key(v) for c, v in row.items() if normalise_key(c) in feats}
            household = None
            if households and "address" in row:
                household = normalise_key(row["address"]) + "|" + normalise_key(row["postcode"])
            people.append(Person(row[id_col] if id_col else f"r{i:04d}", values, household))
    features = tuple(Feature(name, quotas) for name, quotas in feats.items())
    return Instance(tuple(people), features, SEATS[name])
