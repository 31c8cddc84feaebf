"""From a distribution over type-count panels to one over panels of people.

A type-count panel ``c`` with weight ``w`` says "``c[t]`` of the ``s = size[t]``
members of type ``t``", not which ones. We pick them by *cyclic blocks*: list
the members of ``t`` by id, ``m_0 .. m_{s-1}``; with ``d = gcd(s, c)`` and
``g = s / d``, block ``r`` (``0 <= r < g``) is ``{m_(r*c + j) mod s : j < c}``.
The ``g`` blocks cover every member exactly ``c / d`` times, so a uniformly
chosen block holds each member with probability ``c / s``: every member of a
type gets exactly the type's probability, whatever the other types do.

All types of one panel share a single uniform variable ``u`` in [0, 1): type
``t`` uses block ``floor(u * g_t)``. The person panels are the intervals
between consecutive breakpoints ``i / g_t`` (exact fractions), each weighted
``w`` times its length. **Support growth**: a type panel becomes at most
``1 + sum_t (g_t - 1)`` person panels, summed over the types with
``0 < c[t] < size[t]`` (types fully in or out need no rotation); identical person
panels from different type panels are merged. Deterministic: members sorted by
id, panels sorted by decreasing weight then members.
"""

from __future__ import annotations

from math import gcd

import numpy as np

from tirage.sortition.model import Distribution
from tirage.sortition.symmetry import TypeModel

__all__ = ["expand_to_people"]


def expand_to_people(model: TypeModel, columns: np.ndarray, weights: np.ndarray) -> Distribution:
    """Person-level ``Distribution`` with the same per-type marginals.

    ``columns``: ``int64 (m, T)``; ``weights``: ``(m,)`` summing to 1.
    Each person's marginal equals ``(weights @ columns)[t] / size[t]`` for their type
    (up to float rounding, ~1e-15). Breakpoints are handled as reduced integer
    fractions ``(a, b)``, so block indices are computed exactly.
    """
    merged: dict[tuple[str, ...], float] = {}
    sizes = model.sizes
    for counts, weight in zip(columns, weights, strict=True):
        fixed: list[str] = []
        rotating: list[tuple[tuple[str, ...], int, int, int]] = []  # (ids, s, c, g)
        points: set[tuple[int, int]] = {(0, 1), (1, 1)}
        for t in np.flatnonzero(counts):
            c, s = int(counts[t]), int(sizes[t])
            if c >= s:
                fixed.extend(model.members[t])
                continue
            g = s // gcd(s, c)
            rotating.append((model.members[t], s, c, g))
            for i in range(1, g):
                d = gcd(i, g)
                points.add((i // d, g // d))
        ordered = sorted(points, key=lambda ab: ab[0] / ab[1])
        for (a0, b0), (a1, b1) in zip(ordered, ordered[1:], strict=False):
            members = list(fixed)
            for ids, s, c, g in rotating:
                r = (a0 * g) // b0  # floor(u * g) on this piece
                start = r * c
                members.extend(ids[(start + j) % s] for j in range(c))
            panel = tuple(sorted(members))
            merged[panel] = merged.get(panel, 0.0) + float(weight) * (a1 / b1 - a0 / b0)
    items = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(w for _, w in items)
    return Distribution(
        panels=tuple(p for p, _ in items), weights=tuple(w / total for _, w in items)
    )
