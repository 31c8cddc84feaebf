"""Interchangeable people ("types") and the integer model of a panel over types.

Two pool members are *interchangeable* when they have the same value for every
feature and neither is linked to anybody by a household. Any panel stays valid
when one is swapped for the other, so every symmetric fairness objective
(LEXIMIN, maximin, Goldilocks) has an optimal distribution giving them the same
selection probability (average any optimal distribution over the permutations
of each type: the objective is concave/convex and symmetric). The solvers
therefore work over *types*: a panel is an integer vector ``c`` with
``0 <= c[t] <= size[t]`` and a type's selection probability is
``E[c[t]] / size[t]``.

People who share a household with someone else in the pool each form their own
type (size 1) and the household becomes a constraint ``sum(c[t] for t in h) <= 1``.

This module is pure Python + numpy; the solvers live in ``pricing`` and the
column-generation modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tirage.sortition.model import Instance

__all__ = ["TypeModel", "build_type_model"]


@dataclass(frozen=True)
class TypeModel:
    """The instance seen over types.

    * ``members[t]``: ids of the people of type ``t`` (sorted); types are ordered by
      their first member id, so the model is the same for the same input.
    * ``sizes``: ``int64`` array of shape ``(T,)``.
    * ``quota_rows``: list of ``(label, type_indices, min, max)``, one per (feature, value).
    * ``households``: list of type-index tuples; at most one of each on a panel.
    * ``seats``: k.
    """

    members: tuple[tuple[str, ...], ...]
    sizes: np.ndarray
    quota_rows: tuple[tuple[str, tuple[int, ...], int, int], ...]
    households: tuple[tuple[int, ...], ...]
    seats: int

    @property
    def n_types(self) -> int:
        return len(self.members)

    @property
    def pool_size(self) -> int:
        return int(self.sizes.sum())

    def type_of(self) -> dict[str, int]:
        """Map person id -> type index."""
        return {pid: t for t, ids in enumerate(self.members) for pid in ids}

    def counts_violations(self, counts: np.ndarray) -> list[str]:
        """Why the integer type-count vector ``counts`` (shape ``(T,)``) is not a panel."""
        problems = []
        c = np.asarray(counts)
        if int(c.sum()) != self.seats:
            problems.append(f"panel has {int(c.sum())} members, {self.seats} seats")
        if (c < 0).any() or (c > self.sizes).any():
            problems.append("type count outside [0, size]")
        for label, idx, lo, hi in self.quota_rows:
            v = int(c[list(idx)].sum()) if idx else 0
            if not lo <= v <= hi:
                problems.append(f"{label}: {v} not in [{lo}, {hi}]")
        for hh in self.households:
            if int(c[list(hh)].sum()) > 1:
                problems.append("two members of one household")
        return problems


def build_type_model(instance: Instance) -> TypeModel:
    """Group ``instance.people`` into types (see module docstring).

    Runs in O(n * features). Deterministic: does not depend on the pool's order.
    """
    household_size: dict[str, int] = {}
    for p in instance.people:
        if p.household:
            household_size[p.household] = household_size.get(p.household, 0) + 1
    groups: dict[tuple, list[str]] = {}
    linked: list[tuple[str, str]] = []  # (household, id)
    for p in instance.people:
        vector = tuple(p.values[f.name] for f in instance.features)
        if p.household and household_size[p.household] > 1:
            key = (vector, "\x00household", p.id)
            linked.append((p.household, p.id))
        else:
            key = (vector,)
        groups.setdefault(key, []).append(p.id)
    type_list = sorted((sorted(ids), key[0]) for key, ids in groups.items())
    members = tuple(tuple(ids) for ids, _ in type_list)
    vectors = [vec for _, vec in type_list]
    sizes = np.array([len(ids) for ids in members], dtype=np.int64)
    index_of_id = {pid: t for t, ids in enumerate(members) for pid in ids}
    rows = []
    for fi, feature in enumerate(instance.features):
        for value, quota in feature.quotas.items():
            idx = tuple(t for t, vec in enumerate(vectors) if vec[fi] == value)
            rows.append((f"{feature.name}={value}", idx, quota.min, quota.max))
    by_household: dict[str, list[int]] = {}
    for household, pid in linked:
        by_household.setdefault(household, []).append(index_of_id[pid])
    households = tuple(tuple(sorted(v)) for _, v in sorted(by_household.items()) if len(v) > 1)
    return TypeModel(members, sizes, tuple(rows), households, instance.seats)
