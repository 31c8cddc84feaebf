"""Goldilocks: neither too little nor too much chance of selection.

Baharav and Flanigan, *Fair, Manipulation-Robust, and Transparent Sortition*
(2024, arXiv:2406.15009) propose the convex equality objective

    Goldilocks_gamma(pi) = max_i pi_i / (k/n)  +  gamma * (k/n) / min_i pi_i

(both terms are 1 for the uniform ideal ``pi_i = k/n``), with ``gamma = 1`` as the
recommended setting. Minimising it bounds the highest probability (which
limits what a coalition gains by misreporting to look "rare") and the lowest
one (fairness) at the same time.

What we implement, exactly: the same column generation over type-count panels
as ``leximin`` (Flanigan et al. 2021), with the master LP for a given floor ``l``

    F(l) = min  M
           s.t. sum_P lambda_P c_P[t]/size[t] <= M   for every type t
                sum_P lambda_P c_P[t]/size[t] >= l   for every type t
                sum_P lambda_P = 1,  lambda >= 0

``F`` is convex and non-decreasing in ``l`` (parametric LP), so
``G(l) = F(l) * n/k + gamma * k / (n * l)`` is convex on ``(0, l*]`` where ``l*`` is
the maximin optimum; we minimise it by golden-section search to a relative
width of ``1e-7`` and return the optimal distribution of the last LP at the
best ``l``. Since the objective only sees the extremes, ties between middle
probabilities are left to the LP's basic solution (the paper does not
prescribe a tie-break either).
"""

from __future__ import annotations

import math

import highspy
import numpy as np

from tirage.sortition.colgen import (
    CG_TOL,
    FIX_SLACK,
    ColumnPool,
    OnInfeasible,
    new_lp,
    no_panel,
)
from tirage.sortition.leximin import HEURISTIC_STARTS, TypeSolution, leximin_types
from tirage.sortition.model import NO_PROGRESS, Progress
from tirage.sortition.pricing import PricingOracle
from tirage.sortition.swaps import SwapSearch
from tirage.sortition.symmetry import TypeModel

__all__ = ["goldilocks_types", "goldilocks_value"]

GOLDEN_TOL = 1e-7


def goldilocks_value(probabilities: np.ndarray, seats: int, gamma: float = 1.0) -> float:
    """``max p / (k/n) + gamma * (k/n) / min p`` for a person-level vector (``inf`` if min is 0)."""
    p = np.asarray(probabilities, dtype=float)
    mean = seats / len(p)
    low = p.min()
    return float(p.max() / mean + (gamma * mean / low if low > 0 else math.inf))


class _MinMaxMaster:
    """Restricted master of F(l) (see module docstring), HiGHS, warm-started."""

    def __init__(self, model: TypeModel, pool: ColumnPool) -> None:
        self.model, self.pool, self.T = model, pool, model.n_types
        T = self.T
        inf = highspy.kHighsInf
        h = new_lp()
        h.changeObjectiveSense(highspy.ObjSense.kMinimize)
        # rows 0..T-1: pi_t - M <= 0 ; rows T..2T-1: pi_t >= l ; row 2T: convexity
        lower = np.r_[np.full(T, -inf), np.zeros(T), 1.0]
        upper = np.r_[np.zeros(T), np.full(T, inf), 1.0]
        empty_i = np.array([], dtype=np.int32)
        h.addRows(2 * T + 1, lower, upper, 0, empty_i, empty_i, np.array([], dtype=float))
        h.addCol(1.0, 0.0, 1.0, T, np.arange(T, dtype=np.int32), -np.ones(T))
        self.h = h
        self.n_in_lp = 0

    def set_floor(self, floor: float, possible: np.ndarray) -> None:
        """Every type that some panel can hold gets at least ``floor``."""
        T = self.T
        idx = np.arange(T, 2 * T, dtype=np.int32)
        lower = np.where(possible, floor, 0.0)
        # In highspy's bindings, missing from its stubs (highspy 1.x _core/__init__.pyi):
        self.h.changeRowsBounds(  # type: ignore[attr-defined]
            T, idx, lower, np.full(T, highspy.kHighsInf)
        )

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        while self.n_in_lp < len(self.pool):
            idx, val = self.pool.coefficients(self.pool.columns[self.n_in_lp])
            rows = np.r_[idx, idx + self.T, 2 * self.T].astype(np.int32)
            self.h.addCol(0.0, 0.0, np.inf, len(rows), rows, np.r_[val, val, 1.0])
            self.n_in_lp += 1
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            self.h.clearSolver()
            self.h.setOptionValue("simplex_strategy", 1)
            self.h.run()
            self.h.setOptionValue("simplex_strategy", 4)
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"Goldilocks master LP: {self.h.modelStatusToString(status)}")
        sol = self.h.getSolution()
        dual = np.asarray(sol.row_dual)
        # HiGHS: reduced cost d_j = c_j - a_j . y; a panel column improves when
        # sum_t (y_up[t] + y_lo[t]) c[t]/size[t] > -y_conv.
        y = dual[: self.T] + dual[self.T : 2 * self.T]
        col = np.asarray(sol.col_value)
        return float(col[0]), y, col[1:]


def goldilocks_types(
    model: TypeModel,
    oracle: PricingOracle,
    *,
    gamma: float = 1.0,
    progress: Progress = NO_PROGRESS,
    infeasible: OnInfeasible = no_panel,
) -> TypeSolution:
    """Goldilocks_gamma-optimal distribution over types (Baharav & Flanigan 2024).

    People whom no valid panel can hold (probability 0 whatever the objective)
    are left out of the minimum. Returns a ``TypeSolution`` (``maximin`` holds
    the maximin optimum computed on the way, ``stats["floor"]``/``stats["ceiling"]``
    the optimal min - over the other people - and max).
    Raises ``InfeasibleError`` when no panel satisfies the quotas.
    """
    first = leximin_types(
        model, oracle, rounds=1, progress=progress, stage="goldilocks", infeasible=infeasible
    )
    maximin = 0.0 if first.maximin is None else first.maximin
    # people no valid panel can hold are left out of the min (else every value is infinite)
    possible = np.ones(model.n_types, dtype=bool)
    if first.impossible is not None:
        possible = ~first.impossible
    best_min = float(first.stats["maximin_possible"])
    pool = ColumnPool(model)
    for col in first.columns:
        pool.add(col)
    master = _MinMaxMaster(model, pool)
    swaps = SwapSearch(model)
    n, k = model.pool_size, model.seats
    mean = k / n
    evaluations = 0

    def ceiling(floor: float) -> float:
        nonlocal evaluations
        evaluations += 1
        master.set_floor(floor, possible)
        while True:
            top, y, _ = master.solve()
            w = y / model.sizes
            values = pool.matrix @ w
            threshold = float(values.max())
            added = 0
            for start in np.argsort(-values, kind="stable")[:HEURISTIC_STARTS]:
                cand = swaps.climb(pool.columns[start], w)
                if float(w @ cand) > threshold + CG_TOL and pool.add(cand):
                    added += 1
            if added:
                continue
            found = oracle.best(w)
            if found is None or found[1] <= threshold + CG_TOL or not pool.add(found[0]):
                return top

    def objective(floor: float) -> float:
        return ceiling(floor) / mean + gamma * mean / floor

    hi = max(best_min - FIX_SLACK, 0.0)
    if hi <= 0:  # cannot happen: every possible type is on some panel of the seed
        best_floor = 0.0
    else:
        g_hi = objective(hi)
        # G(l) >= 1 + gamma*mean/l, so the optimum has l >= gamma*mean/(G(l*) - 1)
        lo = min(hi, gamma * mean / max(g_hi - 1.0, 1e-12))
        phi = (math.sqrt(5) - 1) / 2
        a, b = lo, hi
        x1, x2 = b - phi * (b - a), a + phi * (b - a)
        f1, f2 = objective(x1), objective(x2)
        while b - a > GOLDEN_TOL * max(hi, 1e-12):
            if f1 <= f2:
                b, x2, f2 = x2, x1, f1
                x1 = b - phi * (b - a)
                f1 = objective(x1)
            else:
                a, x1, f1 = x1, x2, f2
                x2 = a + phi * (b - a)
                f2 = objective(x2)
            progress.update("goldilocks", evaluations, None, f"floor in [{a:.6f}, {b:.6f}]")
        candidates = [(g_hi, hi), (f1, x1), (f2, x2)]
        best_floor = min(candidates, key=lambda fv: (fv[0], -fv[1]))[1]
    ceiling(best_floor)
    _, _, lam = master.solve()
    columns, weights, type_probs = pool.distribution(lam)
    return TypeSolution(
        columns=columns,
        weights=weights,
        type_probs=type_probs,
        maximin=maximin,
        stats={
            "evaluations": evaluations,
            "floor": float(type_probs[possible].min()),
            "ceiling": float(type_probs.max()),
            "pricing_calls": oracle.calls,
            "columns_generated": len(pool),
            "types": model.n_types,
        },
    )
