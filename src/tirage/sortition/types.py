"""People grouped into *types*: identical feature vectors.

Two people of one type are interchangeable for every quota, so an integer
program over counts per type (how many of each type sit on the panel) replaces
one binary variable per person. Flanigan et al. (Nature 2021, Methods) use the
same reduction. Households are **ignored** here: a solver that enforces the
one-person-per-household rule must work per person, or split types by
household itself.

Shared by the feasibility check and the LEXIMIN solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tirage.sortition.model import Instance

__all__ = ["PersonType", "TypeTable", "group_types"]


@dataclass(frozen=True, slots=True)
class PersonType:
    """One type: ``values[j]`` is the value of ``instance.features[j]``;
    ``members`` are the ids of its people in pool order; ``count == len(members)``."""

    values: tuple[str, ...]
    members: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class TypeTable:
    """All types of an instance and their incidence with the quotas.

    * ``types``: ``T`` types, ordered by the first appearance of a member in the pool;
    * ``columns``: the ``Q`` (feature, value) pairs, in ``Instance.quota_items`` order;
    * ``incidence``: ``uint8`` array of shape ``(T, Q)``, 1 when the type has that value;
    * ``counts``: ``int64`` array of shape ``(T,)``, people per type;
    * ``mins`` / ``maxs``: ``int64`` arrays of shape ``(Q,)``, the quota bounds (seats);
    * ``type_of``: person id → type index.

    For a vector ``y`` of people chosen per type (shape ``(T,)``), the number
    of panel members per (feature, value) is ``y @ incidence``.
    """

    types: tuple[PersonType, ...]
    columns: tuple[tuple[str, str], ...]
    incidence: np.ndarray
    counts: np.ndarray
    mins: np.ndarray
    maxs: np.ndarray
    type_of: dict[str, int]

    def __len__(self) -> int:
        return len(self.types)

    def column(self, feature: str, value: str) -> int:
        """Index of the normalised ``feature``/``value`` pair in ``columns``; KeyError if absent."""
        try:
            return self.columns.index((feature, value))
        except ValueError:
            raise KeyError((feature, value)) from None


def group_types(instance: Instance) -> TypeTable:
    """Group the pool of ``instance`` into types (deterministic, pool order).

    Runs in O(n · features). Never raises for a valid ``Instance``.
    """
    names = [feature.name for feature in instance.features]
    columns = tuple((f, v) for f, v, _ in instance.quota_items())
    column_index = {pair: j for j, pair in enumerate(columns)}
    members: dict[tuple[str, ...], list[str]] = {}
    for person in instance.people:
        key = tuple(person.values[name] for name in names)
        members.setdefault(key, []).append(person.id)
    types = tuple(PersonType(key, tuple(ids)) for key, ids in members.items())
    incidence = np.zeros((len(types), len(columns)), dtype=np.uint8)
    for t, ptype in enumerate(types):
        for name, value in zip(names, ptype.values, strict=True):
            incidence[t, column_index[(name, value)]] = 1
    type_of = {pid: t for t, ptype in enumerate(types) for pid in ptype.members}
    quotas = [q for _, _, q in instance.quota_items()]
    return TypeTable(
        types=types,
        columns=columns,
        incidence=incidence,
        counts=np.array([p.count for p in types], dtype=np.int64),
        mins=np.array([q.min for q in quotas], dtype=np.int64),
        maxs=np.array([q.max for q in quotas], dtype=np.int64),
        type_of=type_of,
    )
