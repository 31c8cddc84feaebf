"""Interchangeable people ("types") and the integer model of a panel over types.

The engine's one grouping of the pool: the feasibility check, the solvers,
the LEGACY baseline and the expansion to people all work on this model.

Two pool members are *interchangeable* when they have the same value for every
feature and neither is linked to anybody by a household. Any panel stays valid
when one is swapped for the other, so every symmetric fairness objective
(LEXIMIN, maximin, Goldilocks) has an optimal distribution giving them the same
selection probability (average any optimal distribution over the permutations
of each type: the objective is concave/convex and symmetric). The solvers
therefore work over *types*: a panel is an integer vector ``c`` with
``0 <= c[t] <= size[t]`` and a type's selection probability is
``E[c[t]] / size[t]``. Flanigan et al. (Nature 2021, Methods) use the same
reduction.

People who share a household with someone else in the pool each form their own
type (size 1) and the household becomes a constraint ``sum(c[t] for t in h) <= 1``.

This module is pure Python + numpy; the solvers live in ``pricing`` and the
column-generation modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tirage.sortition.model import Instance

__all__ = ["QuotaRow", "TypeModel", "build_type_model"]


class QuotaRow(NamedTuple):
    """One quota over types: ``label`` (``"feature=value"``, normalised), the indices of
    the types having that value, and the bounds ``min``/``max`` (seats)."""

    label: str
    types: tuple[int, ...]
    min: int
    max: int


@dataclass(frozen=True)
class TypeModel:
    """The instance seen over types.

    * ``members[t]``: ids of the people of type ``t`` (sorted); types are ordered by
      their first member id, so the model is the same for the same input.
    * ``values[t]``: the feature values of type ``t``, in ``instance.features`` order.
    * ``sizes``: ``int64`` array of shape ``(T,)``.
    * ``quota_rows``: one ``QuotaRow`` per (feature, value), in ``Instance.quota_items`` order.
    * ``households``: type-index tuples; at most one of each on a panel.
    * ``instance``: the instance grouped (its ``panel_violations`` are the panel rules).
    """

    members: tuple[tuple[str, ...], ...]
    values: tuple[tuple[str, ...], ...]
    sizes: npt.NDArray[np.int64]
    quota_rows: tuple[QuotaRow, ...]
    households: tuple[tuple[int, ...], ...]
    instance: Instance = field(repr=False, compare=False)

    @property
    def seats(self) -> int:
        return self.instance.seats

    @property
    def n_types(self) -> int:
        return len(self.members)

    @property
    def pool_size(self) -> int:
        return int(self.sizes.sum())

    @cached_property
    def quota_matrix(self) -> npt.NDArray[np.int64]:
        """``int64`` array of shape ``(Q, T)``: 1 when type ``t`` has the value of quota row ``q``.

        For type counts ``c`` (shape ``(T,)``), ``quota_matrix @ c`` is the number of
        panel members per quota row.
        """
        matrix = np.zeros((len(self.quota_rows), self.n_types), dtype=np.int64)
        for q, row in enumerate(self.quota_rows):
            matrix[q, list(row.types)] = 1
        return matrix

    @cached_property
    def quota_bounds(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The ``min`` and ``max`` of every quota row, two ``int64`` arrays of shape ``(Q,)``."""
        lower = np.array([row.min for row in self.quota_rows], dtype=np.int64)
        upper = np.array([row.max for row in self.quota_rows], dtype=np.int64)
        return lower, upper

    @cached_property
    def household_of(self) -> npt.NDArray[np.int64]:
        """``int64`` array of shape ``(T,)``: index in ``households`` of each type, -1 if none."""
        result = np.full(self.n_types, -1, dtype=np.int64)
        for h, types in enumerate(self.households):
            result[list(types)] = h
        return result

    def type_of(self) -> dict[str, int]:
        """Map person id -> type index."""
        return {pid: t for t, ids in enumerate(self.members) for pid in ids}

    def panel_of(self, counts: npt.NDArray[np.int64]) -> tuple[str, ...]:
        """A panel of people with these type counts: the first ``counts[t]`` members of
        each type, sorted. ``counts`` must be within ``[0, sizes]``."""
        chosen = [pid for t in np.flatnonzero(counts) for pid in self.members[t][: counts[t]]]
        return tuple(sorted(chosen))

    def counts_violations(self, counts: npt.NDArray[np.int64]) -> list[str]:
        """Why the integer type-count vector ``counts`` (shape ``(T,)``) is not a panel.

        Interchangeable people make any panel with these counts equally valid, so
        the rules are checked once, by ``Instance.panel_violations``, on ``panel_of``.
        """
        c = np.asarray(counts, dtype=np.int64)
        if c.shape != self.sizes.shape or (c < 0).any() or (c > self.sizes).any():
            return ["type count outside [0, size]"]
        return self.instance.panel_violations(self.panel_of(c))


def build_type_model(instance: Instance) -> TypeModel:
    """Group ``instance.people`` into types (see module docstring).

    Runs in O(n * features + quotas * types). Deterministic: does not depend on
    the pool's order. Never raises for a valid ``Instance``.
    """
    household_size: dict[str, int] = {}
    for p in instance.people:
        if p.household:
            household_size[p.household] = household_size.get(p.household, 0) + 1
    groups: dict[tuple[tuple[str, ...], str], list[str]] = {}
    linked: list[tuple[str, str]] = []  # (household, id)
    for p in instance.people:
        vector = tuple(p.values[f.name] for f in instance.features)
        if p.household and household_size[p.household] > 1:
            key = (vector, "\x00household " + p.id)
            linked.append((p.household, p.id))
        else:
            key = (vector, "")
        groups.setdefault(key, []).append(p.id)
    type_list = sorted((sorted(ids), key[0]) for key, ids in groups.items())
    members = tuple(tuple(ids) for ids, _ in type_list)
    vectors = tuple(vec for _, vec in type_list)
    sizes = np.array([len(ids) for ids in members], dtype=np.int64)
    index_of_id = {pid: t for t, ids in enumerate(members) for pid in ids}
    rows = []
    for fi, feature in enumerate(instance.features):
        for value, quota in feature.quotas.items():
            idx = tuple(t for t, vec in enumerate(vectors) if vec[fi] == value)
            rows.append(QuotaRow(f"{feature.name}={value}", idx, quota.min, quota.max))
    by_household: dict[str, list[int]] = {}
    for household, pid in linked:
        by_household.setdefault(household, []).append(index_of_id[pid])
    households = tuple(tuple(sorted(v)) for _, v in sorted(by_household.items()) if len(v) > 1)
    return TypeModel(members, vectors, sizes, tuple(rows), households, instance)
