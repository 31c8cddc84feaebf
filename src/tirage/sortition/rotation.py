"""Rounding at the level of types, then a published rotation of people (``docs/draw-protocol.md`` §1).

The solvers return a distribution over *type panels* (integer count vectors
``c`` over the types of ``symmetry.TypeModel``, weights summing to 1). A public
lottery needs ``m`` panels of people. Instead of expanding every type panel into
many panels of people and rounding that (``expand`` + ``rounding``: 819,380
panels for 30,000 people), Tirage:

1. **sorts** the type panels canonically: a type panel is written as the
   non-decreasing list of its seats' type indices (type ``t`` repeated ``c[t]``
   times; types numbered by their smallest member id, as ``TypeModel``), and
   lists are compared lexicographically;
2. **rounds** the weights to integer counts ``n_j`` with ``sum n_j = m``:
   largest remainder (ties to the canonical order), then a local search on the
   type-level slots ``N[t] = sum_j n_j c_j[t]`` (below);
3. **rotates** people through the slots: the ``m`` type panels are listed in
   canonical order, each ``n_j`` times; every type keeps a cursor (start 0) on
   its members sorted by id; a type panel needing ``c`` members of type ``t``
   takes the ``c`` members from the cursor on, cyclically, and moves the cursor
   on by ``c``. As ``c <= size[t]``, nobody is twice on a panel. Member ``i``
   (0-based, in id order) of a type of size ``s`` with ``N`` slots is on
   ``N // s + (1 if i < N % s else 0)`` panels: within a type, counts differ by
   at most one. The panels of people are then sorted (the bundle's canonical order).

Households: a person who shares a household with somebody else in the pool is a
type of their own (``symmetry``), and a type panel holds at most one type of each
household, so the rotation never puts two members of a household on one panel.

Per-person change. Let ``x[t] = m * p[t]`` (the target count of a member of type
``t``) and ``d_j = n_j - m w_j`` after the largest remainder (``|d_j| < 1``,
``sum d_j = 0``, ``D = sum of the positive d_j``). Then
``N[t] - m E[t] = sum_j d_j c_j[t] = sum_j d_j (c_j[t] - lo[t])``, so
``|N[t] - m E[t]| <= min(sum_j |d_j| c_j[t], D (hi[t] - lo[t]))`` where ``lo``/``hi``
are the smallest and largest ``c_j[t]`` on the support; a member's count is
``N[t] // s`` or that plus one, at most ``(s - 1) / s`` from ``N[t] / s``. Hence
every member of type ``t`` changes by at most

    bound[t] = ((s - 1) + min(sum_j |d_j| c_j[t], D (hi[t] - lo[t]))) / (s m)

(< 1/m plus the type's own rounding error spread over its ``s`` members; 0 for a
type that is on every panel or on none). The local search only accepts moves
keeping every type within its bound and strictly decreasing (largest per-person
change, sum of squared per-person changes); both are computed from ``N``, not from
people.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from tirage.sortition.errors import InputError
from tirage.sortition.rounding import WEIGHT_TOLERANCE, Lottery, _largest_remainder
from tirage.sortition.symmetry import TypeModel

__all__ = ["METHOD", "canonical_key", "canonical_type_panels", "rotate", "round_types"]

METHOD = "type-rotation/1"
"""``rounding.method`` of a bundle made here; ``verify`` re-derives the rotation when
the method starts with it (``docs/draw-protocol.md`` §1 and §7)."""

CANDIDATES = 48
"""Sources and sinks tried per move (the most promising by summed deviation), at most;
fewer on many types so that a move's trial arrays stay below ``TRIAL_CELLS`` entries."""
TRIAL_CELLS = 4_000_000
FOCUS = 8
"""Types (largest changes first) whose helpful moves are tried each step."""


def canonical_key(counts: Sequence[int] | np.ndarray) -> tuple[int, ...]:
    """A type panel's canonical key: its seats' type indices, non-decreasing (length = seats)."""
    c = np.asarray(counts, dtype=np.int64)
    return tuple(int(t) for t in np.repeat(np.arange(len(c)), c))


def canonical_type_panels(
    columns: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Merge duplicate type panels, drop zero weights, normalise, sort canonically.

    ``columns``: ``int64 (S, T)``; ``weights``: ``(S,)`` non-negative. Returns the same
    shapes with distinct rows in canonical order and weights summing to 1. ``InputError``
    (``bad_weight``, ``empty_distribution``) for a negative/non-finite weight or none positive.
    """
    merged: dict[tuple[int, ...], float] = {}
    rows: dict[tuple[int, ...], np.ndarray] = {}
    for counts, weight in zip(np.asarray(columns, dtype=np.int64), weights, strict=True):
        w = float(weight)
        if -WEIGHT_TOLERANCE <= w < 0.0:
            w = 0.0
        if not (w >= 0.0) or math.isinf(w):
            raise InputError(
                "bad_weight", f"panel weight {w!r} is not a finite non-negative number"
            )
        if w == 0.0:
            continue
        key = canonical_key(counts)
        merged[key] = merged.get(key, 0.0) + w
        rows[key] = counts
    total = math.fsum(merged.values())
    if not merged or total <= 0.0:
        raise InputError("empty_distribution", "the distribution has no panel with positive weight")
    keys = sorted(merged)
    return (
        np.array([rows[k] for k in keys], dtype=np.int64),
        np.array([merged[k] / total for k in keys]),
    )


def rotate(
    members: Sequence[Sequence[str]], columns: np.ndarray, counts: np.ndarray
) -> list[tuple[str, ...]]:
    """The panels of people of the rotation (module doc, step 3), in listing order.

    ``members[t]``: the ids of type ``t`` sorted; ``columns``: ``(S, T)`` type panels in
    canonical order; ``counts``: ``(S,)`` how many times each is listed. Returns
    ``sum(counts)`` sorted id tuples (not yet sorted among themselves).
    """
    cursor = [0] * len(members)
    panels: list[tuple[str, ...]] = []
    for row, times in zip(columns, counts, strict=True):
        used = [(int(t), int(row[t])) for t in np.flatnonzero(row)]
        for _ in range(int(times)):
            chosen: list[str] = []
            for t, c in used:
                ids, s, start = members[t], len(members[t]), cursor[t]
                if c == s:
                    chosen.extend(ids)
                    continue
                end = start + c
                chosen.extend(ids[start:end] if end <= s else [*ids[start:], *ids[: end - s]])
                cursor[t] = end % s
            panels.append(tuple(sorted(chosen)))
    return panels


def _per_person(
    slots: np.ndarray, target: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For slot totals ``slots`` (``(..., T)``): the largest per-person change of each type
    and the sum of squared per-person changes, in units of ``1/m``."""
    low = slots // sizes
    extra = slots - low * sizes  # members with one more panel
    dev_low = low - target
    dev_high = dev_low + 1
    worst = np.where(extra > 0, np.maximum(np.abs(dev_low), np.abs(dev_high)), np.abs(dev_low))
    squares = (sizes - extra) * dev_low**2 + extra * dev_high**2
    return worst, squares


def round_types(
    model: TypeModel,
    columns: np.ndarray,
    weights: np.ndarray,
    m: int = 1000,
    *,
    max_moves: int = 100_000,
) -> Lottery:
    """Round a distribution over type panels to a uniform lottery over ``m`` panels of people.

    ``columns``: ``int64 (S, T)`` type panels (each a valid panel of ``model``);
    ``weights``: ``(S,)`` summing to 1. Returns a ``Lottery`` whose ``panels`` are the
    ``m`` panels of people of the rotation, sorted; ``selections[i] / m`` is each
    person's exact probability, ``original`` the type probability ``E[c[t]] / size[t]``,
    ``bounds`` the guarantee of the module doc, ``method`` starts with ``METHOD``.
    Work and memory: O(S·T) for the rounding, O(m·seats) for the panels; never a list
    of people per type panel. Deterministic (same input, same lottery).
    Raises ``InputError`` for ``m < 1`` or a bad distribution.
    """
    if not isinstance(m, int) or m < 1:
        raise InputError("bad_m", f"the number of panels m must be a positive integer, got {m!r}")
    cols, w = canonical_type_panels(columns, weights)
    sizes = model.sizes.astype(np.int64)
    colf = cols.astype(float)
    target = m * (w @ colf) / sizes  # per person, units of 1/m
    listed = _largest_remainder(list(w), m)
    delta = listed - w * m
    d_total = float(delta[delta > 0].sum())
    spread = (cols.max(axis=0) - cols.min(axis=0)).astype(float)
    type_error = np.minimum(np.abs(delta) @ colf, d_total * spread)
    bound_units = ((sizes - 1) + type_error) / sizes + 1e-9

    slots = listed @ cols
    worst, _ = _per_person(slots, target, sizes)
    lr_change = float(worst.max()) / m
    listed, slots = _local_search(cols, listed, slots, target, sizes, bound_units, max_moves)
    worst, _ = _per_person(slots, target, sizes)

    panels = rotate(model.members, cols, listed)
    panels.sort()
    counter = Counter(panels)
    selections: dict[str, int] = {}
    original: dict[str, float] = {}
    bounds: dict[str, float] = {}
    for t, ids in enumerate(model.members):
        s, total = len(ids), int(slots[t])
        low, extra = divmod(total, s)
        p = float(target[t]) / m
        for r, pid in enumerate(ids):
            selections[pid] = low + (1 if r < extra else 0)
            original[pid] = p
            bounds[pid] = float(bound_units[t] - 1e-9) / m
    ids = model.instance.ids
    marginals = {pid: selections[pid] / m for pid in ids}
    return Lottery(
        panels=tuple(panels),
        m=m,
        counts=dict(counter),
        selections={pid: selections[pid] for pid in ids},
        marginals=marginals,
        original={pid: original[pid] for pid in ids},
        max_change=max((abs(marginals[p] - original[p]) for p in ids), default=0.0),
        bound=max(bounds.values(), default=0.0),
        bounds={pid: bounds[pid] for pid in ids},
        largest_remainder_change=lr_change,
        method=f"{METHOD}: largest remainder + local search over type panels, "
        "rotation of people within types",
        type_panels=cols,
        type_listed=listed,
    )


def _local_search(
    cols: np.ndarray,
    listed: np.ndarray,
    slots: np.ndarray,
    target: np.ndarray,
    sizes: np.ndarray,
    bound_units: np.ndarray,
    max_moves: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Move single listings between type panels while (largest change, sum of squares) drops.

    A move takes one listing from type panel ``a`` (listed at least once) and gives it to
    ``b``: ``slots`` changes by ``cols[b] - cols[a]``. Moves tried help one of the ``FOCUS``
    types with the largest per-person change (a type with too many slots needs
    ``cols[a][t] > cols[b][t]``, and conversely); among the ``CANDIDATES`` sources with the
    largest summed deviation of their seats and sinks with the smallest. Every type must
    stay within ``bound_units``. The best strict improvement wins; ties go to the lowest
    indices. Deterministic.
    """
    listed, slots = listed.copy(), slots.copy()
    if len(cols) < 2:
        return listed, slots
    worst, squares = _per_person(slots, target, sizes)
    score = (float(worst.max()), float(squares.sum()))
    eps = 1e-9
    candidates = min(CANDIDATES, max(8, math.isqrt(TRIAL_CELLS // max(1, len(sizes)))))
    for _ in range(max_moves):
        # deviation of a type's average count from its target (sign: too many / too few)
        mean_dev = slots / sizes - target
        gain = cols @ mean_dev
        move = None
        for t in np.argsort(-worst, kind="stable")[:FOCUS]:
            if worst[t] <= eps:
                break
            if mean_dev[t] > 0:
                sources = np.flatnonzero((listed > 0) & (cols[:, t] > cols[:, t].min()))
                sinks = np.flatnonzero(cols[:, t] < cols[:, t].max())
            else:
                sources = np.flatnonzero((listed > 0) & (cols[:, t] < cols[:, t].max()))
                sinks = np.flatnonzero(cols[:, t] > cols[:, t].min())
            if sources.size == 0 or sinks.size == 0:
                continue
            sources = np.sort(sources[np.argsort(-gain[sources], kind="stable")[:candidates]])
            sinks = np.sort(sinks[np.argsort(gain[sinks], kind="stable")[:candidates]])
            diff = cols[sinks][None, :, :] - cols[sources][:, None, :]  # (A, B, T)
            helps = diff[:, :, t] < 0 if mean_dev[t] > 0 else diff[:, :, t] > 0
            new = slots + diff
            new_worst, new_sq = _per_person(new, target, sizes)
            ok = helps & (new_worst <= bound_units).all(axis=2)
            if not ok.any():
                continue
            top = np.where(ok, new_worst.max(axis=2), np.inf)
            sq = np.where(ok, new_sq.sum(axis=2), np.inf)
            flat = np.lexsort((sq.ravel(), top.ravel()))[0]
            ai, bi = divmod(int(flat), len(sinks))
            key = (float(top[ai, bi]), float(sq[ai, bi]))
            if key[0] < score[0] - eps or (
                abs(key[0] - score[0]) <= eps and key[1] < score[1] - eps
            ):
                move = (int(sources[ai]), int(sinks[bi]), key)
                break
        if move is None:
            break
        a, b, score = move
        listed[a] -= 1
        listed[b] += 1
        slots = slots - cols[a] + cols[b]
        worst, _ = _per_person(slots, target, sizes)
    return listed, slots
