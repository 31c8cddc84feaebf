"""Hand-made and random tiny instances (<= 10 people, k <= 4) for the solver tests."""

from __future__ import annotations

from tirage.sortition.model import Feature, Instance, Person, Quota


def make(rows, quotas, seats, households=None) -> Instance:
    """``rows``: list of value tuples (one per person, ids p0..); ``quotas``:
    list of (feature, {value: (min, max)}); ``households``: optional list of keys."""
    features = tuple(
        Feature(name, {v: Quota(lo, hi) for v, (lo, hi) in q.items()}) for name, q in quotas
    )
    people = tuple(
        Person(
            f"p{i}",
            {f.name: row[j] for j, f in enumerate(features)},
            (households[i] if households else None),
        )
        for i, row in enumerate(rows)
    )
    return Instance(people, features, seats)


def rare_profile() -> Instance:
    """One woman among six men, at least one woman on a panel of 3: she gets probability 1."""
    rows = [("f",)] + [("m",)] * 6
    return make(rows, [("gender", {"f": (1, 2), "m": (0, 3)})], 3)


def two_features() -> Instance:
    rows = [
        ("f", "young"),
        ("f", "old"),
        ("f", "old"),
        ("m", "young"),
        ("m", "young"),
        ("m", "old"),
        ("f", "young"),
        ("m", "old"),
        ("m", "old"),
    ]
    return make(
        rows,
        [("gender", {"f": (2, 2), "m": (2, 2)}), ("age", {"young": (1, 3), "old": (1, 2)})],
        4,
    )


def with_households() -> Instance:
    rows = [("a",), ("a",), ("a",), ("b",), ("b",), ("b",), ("b",), ("c",)]
    households = [None, "h1", "h1", None, "h2", "h2", None, None]
    return make(rows, [("zone", {"a": (1, 2), "b": (1, 2), "c": (0, 1)})], 3, households)


def unbalanced() -> Instance:
    """Quotas that force very unequal chances (some people at exactly their maximin)."""
    rows = [
        ("x", "1"),
        ("x", "2"),
        ("y", "1"),
        ("y", "1"),
        ("y", "2"),
        ("z", "2"),
        ("z", "2"),
        ("z", "1"),
    ]
    return make(
        rows,
        [("f1", {"x": (1, 1), "y": (0, 2), "z": (1, 2)}), ("f2", {"1": (2, 2), "2": (1, 2)})],
        4,
    )


TINY = {
    "rare_profile": rare_profile,
    "two_features": two_features,
    "with_households": with_households,
    "unbalanced": unbalanced,
}
