"""Synthetic national-scale pools for the engine's scale benchmark (issue 13).

Reproducible: every pool comes from ``numpy.random.default_rng(SEED + n)``, so
the same ``n`` gives the same instance on every machine; nothing is committed
but this script. Pools model the respondents of a national invitation letter:
the population's marginals (``POPULATION``, roughly France's) skewed by
self-selection (older, more educated and urban people answer more:
``RESPONSE_BIAS``), and quotas set on the population's shares of the panel,
``round(k * share) ± slack`` (tight, as national assemblies set them).

    uv run python benchmarks/synthetic_pools.py 1500 --out var/synthetic/1500

writes ``features.csv`` and ``people.csv`` (Tirage layout) that the CLI reads;
``benchmarks/leximin_scale.py`` builds the same instances in memory.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from tirage.sortition.model import Feature, Instance, Person, Quota

__all__ = ["SIZES", "SEED", "make_instance"]

SEED = 20261206

# name: [(value, population share)], shares summing to 1
POPULATION: dict[str, list[tuple[str, float]]] = {
    "gender": [("female", 0.515), ("male", 0.475), ("other", 0.01)],
    "age": [
        ("16-24", 0.12),
        ("25-34", 0.15),
        ("35-44", 0.16),
        ("45-54", 0.17),
        ("55-64", 0.17),
        ("65+", 0.23),
    ],
    "region": [
        ("idf", 0.185),
        ("ara", 0.12),
        ("naq", 0.09),
        ("occ", 0.09),
        ("hdf", 0.09),
        ("ges", 0.085),
        ("pac", 0.08),
        ("pdl", 0.06),
        ("bre", 0.05),
        ("nor", 0.05),
        ("bfc", 0.04),
        ("cvl", 0.04),
        ("cor-om", 0.02),
    ],
    "education": [("none", 0.2), ("secondary", 0.42), ("bachelor", 0.2), ("master+", 0.18)],
    "area": [("urban", 0.48), ("suburban", 0.3), ("rural", 0.22)],
    "occupation": [
        ("worker", 0.2),
        ("employee", 0.27),
        ("intermediate", 0.23),
        ("executive", 0.18),
        ("self-employed", 0.12),
    ],
}
# multiplicative response propensity per value (self-selection of respondents)
RESPONSE_BIAS: dict[str, dict[str, float]] = {
    "age": {"16-24": 0.6, "25-34": 0.8, "55-64": 1.3, "65+": 1.5},
    "education": {"none": 0.5, "bachelor": 1.3, "master+": 1.8},
    "area": {"rural": 0.8},
    "occupation": {"worker": 0.6, "executive": 1.6},
}
# n: (seats, features used, quota slack in seats per feature)
SIZES: dict[int, tuple[int, tuple[str, ...], tuple[int, ...]]] = {
    1500: (60, ("gender", "age", "region", "education", "area"), (1, 1, 1, 1, 1)),
    5000: (100, ("gender", "age", "region", "education", "area"), (1, 1, 1, 1, 1)),
    30000: (150, ("gender", "age", "region", "education", "occupation"), (1, 1, 1, 2, 2)),
}


def make_instance(n: int) -> Instance:
    """The synthetic instance of ``n`` people (``n`` a key of ``SIZES``); deterministic."""
    seats, names, slacks = SIZES[n]
    rng = np.random.default_rng(SEED + n)
    columns: dict[str, np.ndarray] = {}
    features = []
    for name, slack in zip(names, slacks, strict=True):
        values = [v for v, _ in POPULATION[name]]
        shares = np.array([s for _, s in POPULATION[name]])
        bias = np.array([RESPONSE_BIAS.get(name, {}).get(v, 1.0) for v in values])
        respond = shares * bias / (shares * bias).sum()
        columns[name] = rng.choice(len(values), size=n, p=respond)
        quotas = {}
        for v, share in zip(values, shares, strict=True):
            target = seats * share
            quotas[v] = Quota(max(0, round(target) - slack), round(target) + slack)
        features.append(Feature(name, quotas, label=name, value_labels={v: v for v in values}))
    people = tuple(
        Person(
            f"p{i:05d}",
            {name: features[j].values[int(columns[name][i])] for j, name in enumerate(names)},
        )
        for i in range(n)
    )
    return Instance(people, tuple(features), seats)


def write_csv(instance: Instance, folder: Path) -> None:
    """``features.csv`` and ``people.csv`` of ``instance`` in the Tirage layout."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "features.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["feature", "value", "min", "max"])
        for name, value, quota in instance.quota_items():
            w.writerow([name, value, quota.min, quota.max])
    names = [f.name for f in instance.features]
    with (folder / "people.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", *names])
        for p in instance.people:
            w.writerow([p.id, *(p.values[n] for n in names)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, choices=sorted(SIZES))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    instance = make_instance(args.n)
    write_csv(instance, args.out)
    print(f"{args.out}: {instance.n} people, {instance.seats} seats")


if __name__ == "__main__":
    main()
