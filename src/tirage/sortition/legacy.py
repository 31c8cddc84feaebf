"""LEGACY: the Sortition Foundation's former greedy draw, for comparison only.

**Not for real draws.** This is the one-person-at-a-time procedure that
Flanigan et al. (Nature 2021, Methods, "LEGACY") describe as the practice
their work replaced; we reimplement it from that description to show, in
benchmarks, how unequal its selection probabilities are. It is not fair (some
people get far less than ``k/n``) and its probabilities are only *estimated*,
by Monte-Carlo.

One draw: while seats remain, compute for every quota (feature = value) the
ratio "seats still needed to reach its minimum / remaining pool members having
that value"; take the quota with the largest ratio (ties broken at random) or,
when every minimum is met, the whole remaining pool; draw a uniformly random
remaining member of it; then remove from the pool the members of that person's
household and everybody whose value has reached its maximum. A draw that gets
stuck (a minimum no longer reachable, or an empty pool) is restarted.

Works over types (``symmetry``): drawing a uniform member of a set is drawing a
type with probability proportional to its remaining members, then a member.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tirage.sortition.model import Distribution
from tirage.sortition.symmetry import TypeModel

__all__ = ["legacy_monte_carlo"]

MAX_RESTARTS = 10_000


def _one_draw(model: TypeModel, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    T = model.n_types
    M, hh_of = model.quota_matrix, model.household_of
    lo, hi = model.quota_bounds
    for _ in range(MAX_RESTARTS):
        remaining = model.sizes.copy()
        chosen = np.zeros(T, dtype=np.int64)
        stuck = False
        for _seat in range(model.seats):
            selected = M @ chosen
            available = M @ remaining
            need = lo - selected
            if (need > available).any() or remaining.sum() == 0:
                stuck = True
                break
            active = need > 0
            if active.any():
                ratio = np.where(active, need / np.maximum(available, 1), -1.0)
                best = np.flatnonzero(ratio == ratio.max())
                row = best[rng.integers(len(best))] if len(best) > 1 else best[0]
                weights = remaining * M[row]
            else:
                weights = remaining
            total = weights.sum()
            if total == 0:
                stuck = True
                break
            t = int(np.searchsorted(np.cumsum(weights), rng.random() * total, side="right"))
            chosen[t] += 1
            remaining[t] -= 1
            if hh_of[t] >= 0:
                remaining[hh_of == hh_of[t]] = 0
            full = (M @ chosen) >= hi
            if full.any():
                remaining[(M[full] > 0).any(axis=0)] = 0
        if not stuck and not model.counts_violations(chosen):
            return chosen
    raise RuntimeError("LEGACY did not find a valid panel in 10,000 restarts")


def legacy_monte_carlo(model: TypeModel, draws: int, rng: np.random.Generator) -> Distribution:
    """Empirical distribution of ``draws`` LEGACY panels (person ids), seeded by ``rng``.

    Each distinct panel gets weight (times drawn) / ``draws``; its marginals are
    Monte-Carlo estimates of LEGACY's selection probabilities (standard error
    about ``sqrt(p(1-p)/draws)``). Raises ``RuntimeError`` if a draw keeps failing.
    """
    tally: dict[tuple[str, ...], int] = {}
    for _ in range(draws):
        counts = _one_draw(model, rng)
        members: list[str] = []
        for t in np.flatnonzero(counts):
            ids = model.members[t]
            picks = rng.choice(len(ids), size=int(counts[t]), replace=False)
            members.extend(ids[i] for i in picks)
        panel = tuple(sorted(members))
        tally[panel] = tally.get(panel, 0) + 1
    items = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    return Distribution(
        panels=tuple(p for p, _ in items), weights=tuple(c / draws for _, c in items)
    )
