"""LEXIMIN (and maximin) over types by column generation.

Implements the algorithm of Flanigan, Gölz, Gupta, Hennig and Procaccia,
*Fair algorithms for selecting citizens' assemblies*, Nature 596 (2021),
Methods and Supplementary Information: maximise the smallest selection
probability, fix the probabilities that are tight in every optimum, repeat on
the others. Each round is an LP over the panels generated so far (the
*restricted master*), solved by HiGHS:

    maximise z
    s.t.  sum_P lambda_P * c_P[t]/size[t] - z >= 0      for every unfixed type t
          sum_P lambda_P * c_P[t]/size[t]     >= f[t]   for every fixed type t
          sum_P lambda_P = 1,  lambda >= 0,  0 <= z <= 1

Its duals ``y[t] >= 0`` (with ``sum over unfixed y = 1``) price a new panel by
``sum_t y[t] * c[t] / size[t]`` (see ``pricing``); when no panel beats the best
existing one by ``CG_TOL`` the round is optimal over *all* panels. Types with a
dual above ``DUAL_EPS`` are tight in every optimum (complementary slackness) and
are fixed at ``z - FIX_SLACK``. Working over types instead of people (see
``symmetry``) shrinks the LPs and the pricing programs by the pool's symmetry
and gives interchangeable people exactly equal probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

from tirage.sortition.colgen import (
    CG_TOL,
    DUAL_EPS,
    FIX_SLACK,
    ColumnPool,
    OnInfeasible,
    new_lp,
    no_panel,
    seed_columns,
)
from tirage.sortition.model import NO_PROGRESS, Progress
from tirage.sortition.pricing import PricingOracle
from tirage.sortition.swaps import SwapSearch
from tirage.sortition.symmetry import TypeModel

__all__ = ["Stats", "TypeSolution", "leximin_types"]

Stats = dict[str, int | float | str]
"""Solver counters (rounds, LP solves, pricing calls, columns, types...): name → number."""

HEURISTIC_STARTS = 2  # swap hill-climbs per iteration before calling the exact pricing


@dataclass
class TypeSolution:
    """A distribution over type-count panels.

    ``columns``: ``int64 (m, T)`` panels; ``weights``: ``(m,)`` summing to 1;
    ``type_probs``: ``(T,)`` selection probability of each member of each type;
    ``maximin``: optimum of the first round (the largest achievable minimum,
    ``None`` for objectives that do not compute it; 0 when somebody cannot be on
    any panel); ``impossible``: boolean ``(T,)`` mask of the types no valid panel
    can hold; ``stats``: counters (``maximin_possible``: the largest achievable
    minimum over the other types).
    """

    columns: np.ndarray
    weights: np.ndarray
    type_probs: np.ndarray
    maximin: float | None = None
    stats: Stats = field(default_factory=dict)
    impossible: np.ndarray | None = None


class _Master:
    """The restricted master LP of one LEXIMIN run (HiGHS, warm-started)."""

    def __init__(self, model: TypeModel, pool: ColumnPool) -> None:
        self.model = model
        self.pool = pool
        T = model.n_types
        self.T = T
        h = new_lp()
        inf = highspy.kHighsInf
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # rows 0..T-1: types; row T: convexity
        h.addRows(
            T + 1,
            np.r_[np.zeros(T), 1.0],
            np.r_[np.full(T, inf), 1.0],
            0,
            np.array([], dtype=np.int32),
            np.array([], dtype=np.int32),
            np.array([], dtype=float),
        )
        # column 0: z, coefficient -1 in every (unfixed) type row
        h.addCol(1.0, 0.0, 1.0, T, np.arange(T, dtype=np.int32), -np.ones(T))
        self.h = h
        self.n_cols_in_lp = 0
        self.fixed = np.zeros(T, dtype=bool)
        self.fixed_value = np.zeros(T)

    def sync_columns(self) -> None:
        while self.n_cols_in_lp < len(self.pool):
            counts = self.pool.columns[self.n_cols_in_lp]
            idx, val = self.pool.coefficients(counts)
            self.h.addCol(
                0.0,
                0.0,
                np.inf,
                len(idx) + 1,
                np.r_[idx, self.T].astype(np.int32),
                np.r_[val, 1.0],
            )
            self.n_cols_in_lp += 1

    def fix(self, t: int, value: float) -> None:
        self.fixed[t] = True
        self.fixed_value[t] = value
        self.h.changeCoeff(int(t), 0, 0.0)
        self.h.changeRowBounds(int(t), float(value), highspy.kHighsInf)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """Returns (z, duals y of shape (T,), lambda of shape (m,))."""
        self.sync_columns()
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            # rare simplex trouble on degenerate masters: restart cold with the dual simplex
            self.h.clearSolver()
            self.h.setOptionValue("simplex_strategy", 1)
            self.h.run()
            self.h.setOptionValue("simplex_strategy", 4)
            status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"LEXIMIN master LP: {self.h.modelStatusToString(status)}")
        sol = self.h.getSolution()
        duals = np.asarray(sol.row_dual)[: self.T]
        unfixed = ~self.fixed
        # HiGHS' sign convention for a maximisation: make the unfixed duals sum to +1
        if unfixed.any() and duals[unfixed].sum() < 0:
            duals = -duals
        y = np.maximum(duals, 0.0)
        col = np.asarray(sol.col_value)
        return float(col[0]), y, col[1:]

    def drop_objective(self) -> None:
        self.h.changeColCost(0, 0.0)


def leximin_types(
    model: TypeModel,
    oracle: PricingOracle,
    *,
    rounds: int | None = None,
    progress: Progress = NO_PROGRESS,
    stage: str = "leximin",
    infeasible: OnInfeasible = no_panel,
) -> TypeSolution:
    """LEXIMIN selection probabilities over types (Flanigan et al., Nature 2021).

    ``rounds=1`` stops after the first round: the *maximin* distribution.
    Returns a ``TypeSolution`` whose ``type_probs`` is the LEXIMIN vector (each
    entry within ``CG_TOL + FIX_SLACK`` of the exact value), a basic optimal
    distribution over at most ``T + 1`` panels, and ``maximin``.
    Raises ``InfeasibleError`` when no panel satisfies the quotas.
    """
    T = model.n_types
    pool = ColumnPool(model)
    impossible = seed_columns(model, oracle, pool, infeasible)
    master = _Master(model, pool)
    swaps = SwapSearch(model)
    heuristic_columns = 0
    for t in np.flatnonzero(impossible):
        master.fix(int(t), 0.0)
    total_people = model.pool_size
    maximin = None
    maximin_possible = 0.0
    round_no = 0
    lp_solves = 0
    z, y, lam = 0.0, np.zeros(T), np.zeros(0)
    while not master.fixed.all():
        round_no += 1
        while True:
            z, y, lam = master.solve()
            lp_solves += 1
            w = y / model.sizes
            values = pool.matrix @ w
            threshold = float(values.max())
            # cheap heuristic first: climb from the best few existing panels
            added = 0
            for start in np.argsort(-values, kind="stable")[:HEURISTIC_STARTS]:
                cand = swaps.climb(pool.columns[start], w)
                if float(w @ cand) > threshold + CG_TOL and pool.add(cand):
                    added += 1
            if added:
                heuristic_columns += added
                continue
            found = oracle.best(w)
            if found is None or found[1] <= threshold + CG_TOL or not pool.add(found[0]):
                break
        if maximin is None:
            maximin_possible = z
            maximin = z if not impossible.any() else 0.0
        unfixed = ~master.fixed
        to_fix = np.flatnonzero(unfixed & (y > DUAL_EPS))
        if len(to_fix) == 0:  # cannot happen in exact arithmetic (duals sum to 1)
            to_fix = np.flatnonzero(unfixed)[[int(np.argmax(y[unfixed]))]]
        for t in to_fix:
            master.fix(int(t), max(0.0, z - FIX_SLACK))
        done = int(model.sizes[master.fixed].sum())
        progress.update(
            stage,
            done,
            total_people,
            f"round {round_no}: {len(to_fix)} type(s) fixed at {z:.6f}",
        )
        if rounds is not None and round_no >= rounds:
            break
    if master.fixed.all():
        master.drop_objective()
        z, y, lam = master.solve()
        lp_solves += 1
    columns, weights, type_probs = pool.distribution(lam)
    return TypeSolution(
        columns=columns,
        weights=weights,
        type_probs=type_probs,
        maximin=maximin,
        stats={
            "rounds": round_no,
            "lp_solves": lp_solves,
            "pricing_calls": oracle.calls,
            "columns_generated": len(pool),
            "heuristic_columns": heuristic_columns,
            "types": T,
            "maximin_possible": maximin_possible,
        },
        impossible=impossible,
    )
