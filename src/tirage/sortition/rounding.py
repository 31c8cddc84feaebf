"""Transparent rounding: a panel distribution becomes a uniform lottery over m panels.

This module rounds a distribution over panels *of people*. A public lottery is
rounded over *types* instead (``rotation.round_types``, the one path of
``pipeline.prepare_lottery``); this rounding remains for distributions that only
exist over people (LEGACY's Monte-Carlo panels, a peer's output) and as the
baseline of ``benchmarks/rounding_types.py``. ``Lottery`` is shared by both.

Follows Flanigan, Kehne and Procaccia, *Fair sortition made transparent*
(NeurIPS 2021): the optimal but opaque distribution over panels (leximin,
goldilocks…) is replaced by a list of ``m`` panels (``m`` = 1000 or 10000),
panel ``P`` listed ``c_P`` times, and the public draw picks one entry of the
list uniformly (three or four ten-sided dice, see ``tirage.sortition.draw``).
A person's probability becomes ``(number of listed panels holding them) / m``.

Method (deterministic, no random rounding):

1. **Largest remainder.** ``c_P = floor(m w_P)`` and the ``m - sum c_P``
   remaining units go to the panels with the largest fractional part
   ``m w_P - floor(m w_P)``; ties are broken by the canonical panel order (panels
   as sorted id tuples, compared lexicographically).
2. **Local search.** While it strictly decreases the pair (largest change of
   any person's probability, sum of squared changes), move one unit from one
   support panel to another; a move is only accepted if no person's change
   exceeds the bound guaranteed by step 1 (below). Units only move between
   panels of the original support, so every listed panel is a panel of the
   distribution (and thus satisfies the quotas). Moves tried are those helping
   the person whose change is largest (then, if none improves, the next
   ``FOCUS`` people); on large supports only the most promising ``CANDIDATES``
   sources and sinks are tried.
3. **Integer program** (optional, ``exact=True``; HiGHS): minimise the largest
   change over integer counts on the support, under the same per-person bounds,
   starting from step 2; kept only if not worse. Time-limited, so its outcome
   may depend on the machine; off by default.

Guarantee. Let ``d_P = c_P - m w_P`` after step 1: ``|d_P| < 1`` and the units
added (sum of positive ``d_P``) equal the units removed (sum of negative ``d_P``),
call it ``D`` (``D <= min(r, |S| - r)`` where ``r`` is the number of units
handed out by remainder). A person ``i`` in ``s_i`` support panels changes by
``|sum_{P ∋ i} d_P| / m <= min(s_i, D) / m``. That per-person bound
(``Lottery.bounds``) is kept by steps 2 and 3; ``Lottery.bound`` is its maximum.
It grows with the support, which can exceed ``m``. FKP show, with discrepancy
arguments (Beck–Fiala-style iterated rounding: each panel touches only ``k``
people), that roundings whose changes are of order ``k/m``, independent of the
support size, always exist; we do not implement those constructions nor claim
their constants: ``max_change`` is measured and published.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from tirage.sortition.errors import InputError
from tirage.sortition.model import Distribution

__all__ = ["Lottery", "round_distribution"]

WEIGHT_TOLERANCE = 1e-9
"""Negative weights down to ``-WEIGHT_TOLERANCE`` (LP round-off) count as 0."""


@dataclass(frozen=True)
class Lottery:
    """A uniform lottery over ``m`` panels.

    * ``panels``: tuple of length ``m``; entry ``j`` is a sorted tuple of person
      ids; panels are in canonical order (sorted), a panel listed ``c_P`` times
      occupies ``c_P`` consecutive entries.
    * ``counts``: ``{panel: c_P}`` for the panels listed at least once.
    * ``selections``: ``{person id: number of listed panels holding them}``
      (every id of the pool, 0 for those never selected); the probability is
      ``selections[i] / m`` exactly (``probability(i)`` returns a ``Fraction``).
    * ``marginals``: those probabilities as floats.
    * ``original``: the marginals of the rounded distribution (floats).
    * ``max_change``: ``max_i |marginals[i] - original[i]|`` (absolute probability).
    * ``bounds``/``bound``: the guaranteed per-person bound (see module doc) and its maximum.
    * ``largest_remainder_change``: ``max_change`` after step 1 alone (for reports).
    * ``method``: the steps run, e.g. ``"largest remainder + local search +
      integer program (optimal)"``.
    * ``type_panels``/``type_listed``: for a lottery rounded over types
      (``rotation.round_types``), the distinct type panels ``int64 (S, T)`` in
      canonical order and how many times each is listed ``(S,)``; ``None`` otherwise.
    """

    panels: tuple[tuple[str, ...], ...]
    m: int
    counts: Mapping[tuple[str, ...], int]
    selections: Mapping[str, int]
    marginals: Mapping[str, float]
    original: Mapping[str, float]
    max_change: float
    bound: float
    bounds: Mapping[str, float] = field(repr=False)
    largest_remainder_change: float = 0.0
    method: str = ""
    type_panels: np.ndarray | None = field(default=None, repr=False, compare=False)
    type_listed: np.ndarray | None = field(default=None, repr=False, compare=False)

    def probability(self, person_id: str) -> Fraction:
        """Exact selection probability ``selections / m`` (0 for unknown ids)."""
        return Fraction(self.selections.get(person_id, 0), self.m)


def _support(distribution: Distribution) -> tuple[list[tuple[str, ...]], list[float]]:
    """Merge duplicate panels, drop zero weights, normalise, sort canonically."""
    merged: dict[tuple[str, ...], float] = {}
    for panel, weight in zip(distribution.panels, distribution.weights, strict=True):
        if -WEIGHT_TOLERANCE <= weight < 0.0:  # LP round-off
            weight = 0.0
        if not (weight >= 0.0) or math.isinf(weight):
            raise InputError(
                "bad_weight", f"panel weight {weight!r} is not a finite non-negative number"
            )
        if weight == 0.0:
            continue
        key = tuple(sorted(panel))
        merged[key] = merged.get(key, 0.0) + float(weight)
    total = math.fsum(merged.values())
    if not merged or total <= 0.0:
        raise InputError("empty_distribution", "the distribution has no panel with positive weight")
    panels = sorted(merged)
    return panels, [merged[p] / total for p in panels]


def _largest_remainder(weights: list[float], m: int) -> np.ndarray:
    scaled = [w * m for w in weights]
    counts = [math.floor(x) for x in scaled]
    rest = m - sum(counts)
    # Largest fractional part first; ties by canonical panel order (the index).
    order = sorted(range(len(weights)), key=lambda j: (-(scaled[j] - counts[j]), j))
    for j in order[:rest]:
        counts[j] += 1
    return np.array(counts, dtype=np.int64)


def round_distribution(
    distribution: Distribution,
    m: int = 1000,
    *,
    ids: Iterable[str] = (),
    max_moves: int = 100_000,
    exact: bool = False,
    time_limit: float = 20.0,
) -> Lottery:
    """Round ``distribution`` to a uniform lottery over ``m`` panels (FKP 2021).

    ``ids`` lists the whole pool so that people never selected appear with
    probability 0. ``m`` is any integer >= 1 (a public lottery has
    ``choices.LOTTERY_SIZES`` panels).
    ``max_moves`` caps the local search (each move strictly improves, so it
    always stops; the cap only bounds the running time). With ``exact`` (and
    ``highspy`` installed) step 3 runs: an integer program over the support,
    started from the local-search counts, minimising the largest change under
    the same per-person bounds; it is kept only if strictly better.
    ``time_limit`` (seconds) bounds it: when it is reached the result may
    depend on the machine's speed (``Lottery.method`` says so).

    Raises ``InputError`` for ``m < 1``, an empty distribution or a negative or
    non-finite weight. Deterministic: the same distribution gives the same lottery.
    """
    if not isinstance(m, int) or m < 1:
        raise InputError("bad_m", f"the number of panels m must be a positive integer, got {m!r}")
    panels, weights = _support(distribution)
    people = list(dict.fromkeys([*ids, *(i for p in panels for i in p)]))
    index = {pid: r for r, pid in enumerate(people)}
    n, s = len(people), len(panels)

    rows = np.array([index[pid] for panel in panels for pid in panel], dtype=np.int64)
    cols = np.array([j for j, panel in enumerate(panels) for _ in panel], dtype=np.int64)
    member = np.zeros((n, s), dtype=np.int8)
    member[rows, cols] = 1

    def per_person(values: np.ndarray) -> np.ndarray:
        """sum over the support panels holding each person of ``values[panel]``."""
        return np.bincount(rows, weights=np.asarray(values, float)[cols], minlength=n)

    w = np.array(weights)
    target = per_person(w * m)  # original marginals, in units of 1/m

    counts = _largest_remainder(weights, m)
    delta = counts - w * m
    d_total = float(delta[delta > 0].sum())
    in_support = np.bincount(rows, minlength=n)
    bound_units = np.minimum(in_support.astype(float), d_total) + 1e-9

    dev = per_person(counts) - target
    lr_change = float(np.abs(dev).max()) / m if n else 0.0
    counts, dev = _local_search(member, counts, dev, bound_units, max_moves)
    method = "largest remainder + local search"
    if exact and n and s > 1:
        improved = _exact(member, counts, target, bound_units, m, time_limit)
        if improved is not None:
            new_counts, status = improved
            new_dev = per_person(new_counts) - target
            if _better(_score(new_dev), _score(dev)) or status == "optimal":
                if _score(new_dev)[0] <= _score(dev)[0] + 1e-9:
                    counts, dev = new_counts, new_dev
            method += f" + integer program ({status})"

    selections = np.rint(per_person(counts)).astype(np.int64)
    listed = [(p, int(c)) for p, c in zip(panels, counts, strict=True) if c > 0]
    expanded = tuple(p for p, c in listed for _ in range(c))
    original = {pid: float(target[index[pid]]) / m for pid in people}
    marginals = {pid: int(selections[index[pid]]) / m for pid in people}
    bounds = {pid: min(float(in_support[index[pid]]), d_total) / m for pid in people}
    return Lottery(
        panels=expanded,
        m=m,
        counts=dict(listed),
        selections={pid: int(selections[index[pid]]) for pid in people},
        marginals=marginals,
        original=original,
        max_change=max((abs(marginals[p] - original[p]) for p in people), default=0.0),
        bound=max(bounds.values(), default=0.0),
        bounds=bounds,
        largest_remainder_change=lr_change,
        method=method,
    )


def _score(dev: np.ndarray) -> tuple[float, float]:
    return float(np.abs(dev).max()), float(np.square(dev).sum())


FULL_SEARCH_WORK = 20_000_000
"""Above this many (pairs × people) per move, only the best ``CANDIDATES`` sources
and sinks (by the summed deviation of their members) are tried."""
CANDIDATES = 48
FOCUS = 16
"""Number of people (largest changes first) whose helpful moves are tried each step."""


def _local_search(
    member: np.ndarray,
    counts: np.ndarray,
    dev: np.ndarray,
    bound_units: np.ndarray,
    max_moves: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Move single units between support panels while (max |dev|, sum dev²) decreases.

    ``dev`` is in units of ``1/m``. Candidate moves are those that help the person
    with the largest deviation: when it is positive, take a unit from a listed
    panel holding them and give it to a panel not holding them (and conversely).
    On large supports only the ``CANDIDATES`` sources whose members have the
    largest summed deviation, and sinks with the smallest, are tried. Among
    candidates the best score wins; ties go to the lowest indices. Deterministic.
    """
    counts = counts.copy()
    dev = dev.astype(float).copy()
    n, s = member.shape
    if n == 0 or s < 2:
        return counts, dev
    memf = member.astype(np.float32)
    score = _score(dev)
    for _ in range(max_moves):
        move = None
        # The person with the largest change first; when no move helps them, the
        # next ones (a smaller sum of squares can open the way for later moves).
        for person in np.argsort(-np.abs(dev), kind="stable")[:FOCUS]:
            best = _best_move(member, memf, counts, dev, bound_units, int(person))
            if best is not None and _better(best[0], score):
                move = best
                break
        if move is None:
            break
        _, a, b = move
        counts[a] -= 1
        counts[b] += 1
        dev = dev - memf[:, a] + memf[:, b]
        score = _score(dev)
    return counts, dev


def _best_move(
    member: np.ndarray,
    memf: np.ndarray,
    counts: np.ndarray,
    dev: np.ndarray,
    bound_units: np.ndarray,
    person: int,
) -> tuple[tuple[float, float], int, int] | None:
    """Best (score, from, to) among the unit moves that pull ``person`` towards 0."""
    n = member.shape[0]
    holds = member[person].astype(bool)
    if dev[person] > 0:
        sources = np.flatnonzero(holds & (counts > 0))
        sinks = np.flatnonzero(~holds)
    else:
        sources = np.flatnonzero(~holds & (counts > 0))
        sinks = np.flatnonzero(holds)
    if sources.size == 0 or sinks.size == 0:
        return None
    if sources.size * sinks.size * n > FULL_SEARCH_WORK:
        gain = memf.T @ dev.astype(np.float32)  # summed deviation of each panel's members
        sources = np.sort(sources[np.argsort(-gain[sources], kind="stable")[:CANDIDATES]])
        sinks = np.sort(sinks[np.argsort(gain[sinks], kind="stable")[:CANDIDATES]])
    best: tuple[tuple[float, float], int, int] | None = None
    sink_cols = memf[:, sinks].astype(float)  # n x |sinks|
    for a in sources:
        new = (dev - memf[:, a])[:, None] + sink_cols  # n x |sinks|
        absnew = np.abs(new)
        ok = (absnew <= bound_units[:, None]).all(axis=0)
        if not ok.any():
            continue
        maxes = np.where(ok, absnew.max(axis=0), np.inf)
        sq = np.square(new).sum(axis=0)
        cand = np.lexsort((sq, maxes))[0]
        key = (float(maxes[cand]), float(sq[cand]))
        if best is None or key < best[0]:
            best = (key, int(a), int(sinks[cand]))
    return best


def _better(new: tuple[float, float], old: tuple[float, float]) -> bool:
    eps = 1e-9
    if new[0] < old[0] - eps:
        return True
    return abs(new[0] - old[0]) <= eps and new[1] < old[1] - eps


def _exact(
    member: np.ndarray,
    counts: np.ndarray,
    target: np.ndarray,
    bound_units: np.ndarray,
    m: int,
    time_limit: float,
) -> tuple[np.ndarray, str] | None:
    """Minimise the largest deviation exactly with HiGHS (MIT licence).

    Variables: integer ``c_P`` in ``[0, m]`` for each support panel, continuous
    ``t >= 0``. Rows: ``sum c_P = m``; for each person ``i``
    ``-t <= sum_{P ∋ i} c_P - target_i <= t`` and ``|…| <= bound_i``. Starts from
    ``counts``. Returns the counts and ``"optimal"`` / ``"time limit"``, or
    ``None`` when HiGHS is unavailable or finds nothing.
    """
    try:
        import highspy

        from tirage.sortition.highs import new_highs
    except ImportError:  # minimal install: the local search result stands
        return None
    n, s = member.shape
    h = new_highs()
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("time_limit", float(time_limit))
    inf = highspy.kHighsInf
    h.addVars(s + 1, np.zeros(s + 1), np.array([float(m)] * s + [inf]))
    idx = np.arange(s, dtype=np.int32)
    h.changeColsIntegrality(s, idx, np.array([highspy.HighsVarType.kInteger] * s))
    cost = np.zeros(s + 1)
    cost[s] = 1.0
    h.changeColsCost(s + 1, np.arange(s + 1, dtype=np.int32), cost)
    h.addRow(float(m), float(m), s, idx, np.ones(s))
    t = np.int32(s)
    for i in range(n):
        cols = np.flatnonzero(member[i]).astype(np.int32)
        ones = np.ones(len(cols))
        lo, hi = target[i] - bound_units[i], target[i] + bound_units[i]
        h.addRow(float(max(lo, 0.0)), float(hi), len(cols), cols, ones)
        both = np.append(cols, t)
        h.addRow(-inf, float(target[i]), len(both), both, np.append(ones, -1.0))
        h.addRow(float(target[i]), inf, len(both), both, np.append(ones, 1.0))
    start = highspy.HighsSolution()
    dev = member @ counts - target
    start.col_value = [float(c) for c in counts] + [float(np.abs(dev).max())]
    start.value_valid = True
    h.setSolution(start)
    if h.run() == highspy.HighsStatus.kError:
        return None
    status = h.getModelStatus()
    if h.getInfo().primal_solution_status != 2:  # no feasible solution
        return None
    values = np.array(h.getSolution().col_value[:s], dtype=float)
    new = np.rint(values).astype(np.int64)
    if new.sum() != m or (new < 0).any():
        return None
    return new, "optimal" if status == highspy.HighsModelStatus.kOptimal else "time limit"
