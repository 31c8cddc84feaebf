"""LEXIMIN without rounds: decompose the relaxation's LEXIMIN into panels.

The LP relaxation over expected type counts (``relaxation``) contains every
distribution's expected counts, so its LEXIMIN vector ``p*`` (unique: the
leximin optimum over a convex compact set is unique) leximin-dominates every
distribution over valid panels. If some distribution over valid panels has
expected counts ``x* = p* * size`` *exactly*, its probabilities are ``p*`` and it
is therefore the LEXIMIN distribution: no LEXIMIN round, no fixing, nothing
left to prove.

Finding it is a phase-1 problem, solved by column generation over panels::

    minimise  sum_t (s+[t] + s-[t])
    s.t.      sum_j lambda_j c_j[t] + s+[t] - s-[t] = x*[t]   (every type t, in counts)
              sum_j lambda_j = 1,   lambda, s+, s- >= 0

(the *minimum total deviation* form). Chosen over the max-lambda form
(``sum_j lambda_j c_j = mu x* + (1 - mu) y``) because (a) the slacks keep every
restricted LP feasible from the first column, so each re-solve is a warm-started
primal simplex step; (b) its duals ``pi`` are boxed in ``[-1, 1]`` (the slacks'
reduced costs), which stabilises them against the degenerate zig-zag of an
unbounded dual; (c) any ``pi`` in the box gives the Lagrangian lower bound
``D >= pi @ x* - max_c pi @ c`` on the optimal deviation ``D``, so one exact
pricing at the LP duals proves ``x*`` outside the integer hull (``D > 0``) when
that is the case. A panel improves the LP when ``pi @ c + mu > 0`` (``mu``: the
convexity row's dual): the same "maximise ``w @ c``" as LEXIMIN's pricing,
with weights ``w = pi`` that may be negative. Columns come from swap climbs
(``swaps``) first, several per iteration, and from the time-limited exact
pricing only when the climbs find none.

Each LP re-solve is costly (degenerate: ~1 s on 834 types) and its duals are
poor (``±1`` on most types), so between two solves ``FW_STEPS`` pairwise
Frank-Wolfe steps (Lacoste-Julien & Jaggi, NeurIPS 2015) on the *quadratic*
deviation ``||sum_j lambda_j c_j - x*||^2``, started from the LP's weights, add
panels too: each step's linear oracle is one climb towards ``x* - y`` (``y``: the
current expected counts), and the step costs ``O(m T)`` more, no LP. These
columns only feed the LP: whether the deviation is 0 (or ``x*`` outside the
hull) is still decided by the LP and the exact pricing at its duals, as above.
On syn1500 this halved the CPU time to a given deviation (benchmarks/README.md).

When the deviation reaches 0 the LP's weights are *polished*: the panels in
the support are re-weighted by least squares on ``[C^T; 1] lambda = [x*; 1]``
so that the expected counts match ``x*`` to round-off (``MATCH_TOL`` per type,
in counts), and the match is re-checked on the weights returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from tirage.sortition.colgen import ColumnPool, new_lp
from tirage.sortition.pricing import PricingOracle, PricingStopped
from tirage.sortition.symmetry import TypeModel

__all__ = ["MATCH_TOL", "Decomposition", "decompose", "polish"]

MATCH_TOL = 1e-9  # per type, in expected counts: the decomposition matches x* this closely
RC_TOL = 1e-9  # a column improves the phase-1 LP when its reduced cost beats this
HULL_TOL = 1e-7  # Lagrangian lower bound on the deviation above this: x* is outside the hull
STARTS = 8  # swap climbs per iteration (from the best panels at the current duals)
EXACT_LIMIT = 60.0  # seconds: no exact pricing call in the decomposition runs longer
FW_STEPS = 32  # pairwise Frank-Wolfe steps (one climb each) between two phase-1 LP solves


@dataclass
class Decomposition:
    """Outcome of ``decompose``.

    ``status``: ``"exact"`` (``columns``/``weights`` have expected counts within
    ``MATCH_TOL`` of ``x*``), ``"outside_hull"`` (proven: no distribution reaches
    ``x*``; ``bound`` is the proven lower bound on the total deviation), or
    ``"stopped"`` (deadline, or the exact pricing hit its time limit before a proof).
    ``columns``: ``int64 (m, T)``; ``weights``: ``(m,)`` summing to 1 (empty unless exact).
    """

    status: str
    columns: np.ndarray
    weights: np.ndarray
    deviation: float = np.inf
    bound: float = 0.0
    stats: dict[str, int | float] = field(default_factory=dict)


def decompose(
    model: TypeModel,
    target: np.ndarray,
    pool: ColumnPool,
    climb: Callable[[np.ndarray, np.ndarray], np.ndarray],
    oracle: PricingOracle,
    deadline: float | None = None,
) -> Decomposition:
    """Weights on valid panels whose expected type counts are ``target`` (see module docstring).

    ``target``: expected counts ``x*`` (``(T,)`` float, in people, summing to the seats);
    ``pool``: the panels known so far (valid, at least one), grown in place with the
    columns generated; ``climb``: ``SwapSearch.climb``; ``oracle``: the exact pricing
    (its ``time_limit`` is set per call and restored); ``deadline``: a
    ``time.perf_counter()`` value past which it returns ``"stopped"``.
    """
    T = model.n_types
    x = np.asarray(target, dtype=float)
    h = new_lp()
    inf = highspy.kHighsInf
    # rows 0..T-1: types (in counts); row T: convexity
    h.addRows(
        T + 1,
        np.r_[x, 1.0],
        np.r_[x, 1.0],
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=float),
    )
    rows = np.arange(T, dtype=np.int32)
    for sign in (1.0, -1.0):  # s+ then s-: columns 0..2T-1
        h.addCols(
            T,
            np.ones(T),
            np.zeros(T),
            np.full(T, inf),
            T,
            rows.copy(),
            rows.copy(),
            np.full(T, sign),
        )
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    in_lp = 0
    caller_limit = oracle.time_limit
    stats: dict[str, int | float] = {
        "decomposition_lp_solves": 0,
        "decomposition_climb_columns": 0,
        "decomposition_fw_columns": 0,
        "decomposition_pricing_calls": 0,
    }
    lp_cpu = 0.0
    bound = 0.0
    deviation = np.inf

    def out(
        status: str, cols: np.ndarray | None = None, wts: np.ndarray | None = None
    ) -> Decomposition:
        stats["decomposition_lp_seconds"] = lp_cpu
        stats["decomposition_columns"] = len(pool)
        return Decomposition(
            status,
            np.zeros((0, T), np.int64) if cols is None else cols,
            np.zeros(0) if wts is None else wts,
            deviation,
            bound,
            stats,
        )

    while True:
        while in_lp < len(pool):
            counts = pool.columns[in_lp]
            nz = np.flatnonzero(counts)
            h.addCol(
                0.0,
                0.0,
                inf,
                len(nz) + 1,
                np.r_[nz, T].astype(np.int32),
                np.r_[counts[nz].astype(float), 1.0],
            )
            in_lp += 1
        started = time.process_time()
        h.run()
        lp_cpu += time.process_time() - started
        stats["decomposition_lp_solves"] += 1
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            h.clearSolver()
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return out("stopped")
        sol = h.getSolution()
        lam = np.maximum(np.asarray(sol.col_value)[2 * T :], 0.0)
        deviation = float(h.getInfo().objective_function_value)
        if deviation <= T * MATCH_TOL:
            polished = polish(pool.matrix, lam, x)
            if polished is not None:
                cols, wts = polished
                return out("exact", cols, wts)
        dual = np.asarray(sol.row_dual)
        pi, mu = np.clip(dual[:T], -1.0, 1.0), float(dual[T])
        if deadline is not None and time.perf_counter() >= deadline:
            return out("stopped")
        # the support, cheaply: Frank-Wolfe steps on the quadratic deviation from the LP's
        # weights (gradient -> climb weights); its columns need not improve this LP
        stats["decomposition_fw_columns"] += _pairwise(pool, lam, x, climb, FW_STEPS)[0]
        values = pool.matrix @ pi
        added = 0  # improving columns at the LP duals: none left calls the exact pricing
        for start in np.argsort(-values, kind="stable")[:STARTS]:
            cand = climb(pool.columns[start], pi)
            if float(pi @ cand) + mu > RC_TOL and pool.add(cand):
                added += 1
        stats["decomposition_climb_columns"] += added
        if added:
            continue
        limit = EXACT_LIMIT
        if deadline is not None:
            limit = min(limit, max(0.0, deadline - time.perf_counter()))
        oracle.time_limit = limit
        stats["decomposition_pricing_calls"] += 1
        try:
            found = oracle.best(pi)
        except PricingStopped as stopped:
            bound = max(bound, float(pi @ x) - stopped.bound)
            if bound > HULL_TOL:
                return out("outside_hull")
            return out("stopped")
        finally:
            oracle.time_limit = caller_limit
        if found is None:  # no panel at all: cannot happen (the pool holds one)
            return out("stopped")
        bound = max(bound, float(pi @ x) - oracle.last_bound)
        if bound > HULL_TOL:
            return out("outside_hull")
        if found[1] + mu > RC_TOL and pool.add(found[0]):
            continue
        if oracle.last_bound + mu > RC_TOL:  # the time limit cut the proof short
            return out("stopped")
        # no improving panel (or only one the LP already has): the LP is optimal over
        # every panel, and its deviation is > 0 but below HULL_TOL: round-off
        # of an x* on the hull's boundary, or a hair outside; neither is a proof
        return out("outside_hull" if deviation > HULL_TOL else "stopped")


def polish(
    matrix: np.ndarray, lam: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The support of ``lam`` re-weighted so that ``weights @ columns`` matches ``x`` to
    ``MATCH_TOL`` per type; ``None`` when even the polished weights do not.

    ``matrix``: panels ``(m, T)``; ``lam``: their weights ``(m,)`` (any positive scale:
    normalised here); ``x``: target counts ``(T,)``. Returns the panels kept (weight
    > 0, ``int64``) and their weights, summing to 1."""
    keep = lam > 1e-12
    cols = matrix[keep]
    candidates = [lam[keep] / lam[keep].sum()]
    A = np.vstack([cols.T, np.ones(len(cols))])
    b = np.r_[x, 1.0]
    try:
        ls = np.linalg.lstsq(A, b, rcond=None)[0]
        if (ls > -1e-12).all():
            ls = np.maximum(ls, 0.0)
            candidates.append(ls / ls.sum())
    except np.linalg.LinAlgError:
        pass
    best = None
    for wts in candidates:
        err = float(np.abs(wts @ cols - x).max())
        if err <= MATCH_TOL and (best is None or err < best[0]):
            best = (err, wts)
    if best is None:
        return None
    wts = best[1]
    nz = wts > 0
    return cols[nz].astype(np.int64), wts[nz]


def _pairwise(
    pool: ColumnPool,
    lam: np.ndarray,
    x: np.ndarray,
    climb: Callable[[np.ndarray, np.ndarray], np.ndarray],
    steps: int,
) -> tuple[int, np.ndarray]:
    """``steps`` pairwise Frank-Wolfe steps on ``f(lam) = ||lam @ C - x||^2``; returns how many
    new panels were added to ``pool`` and the expected counts ``y`` reached (``(T,)``).

    Lacoste-Julien & Jaggi, "On the global linear convergence of Frank-Wolfe
    optimization variants", NeurIPS 2015 (pairwise FW). ``lam``: weights ``(m,)`` of the
    ``m = len(pool)`` panels ``C`` (the phase-1 LP's, not modified), ``x``: target counts
    ``(T,)``. Each step: the linear oracle is a climb towards ``w = x - y`` (``y = lam @ C``,
    ``-w`` half the gradient) from the active panel best for ``w``; the weight moves from
    the active panel worst for ``w`` to it, by the exact line search
    ``min(w @ d / ||d||^2, lam_away)`` (``d``: the difference of the two panels).
    """
    lam = np.r_[lam, np.zeros(steps)]
    index = {c.tobytes(): j for j, c in enumerate(pool.columns)}
    y = lam[: len(pool)] @ pool.matrix
    added = 0
    for _ in range(steps):
        w = x - y
        active = np.flatnonzero(lam[: len(pool)] > 0)
        if len(active) == 0:
            break
        scores = pool.matrix[active] @ w
        toward = climb(pool.columns[active[int(np.argmax(scores))]], w)
        away = int(active[int(np.argmin(scores))])
        key = toward.tobytes()
        j = index.get(key)
        if j is None:
            pool.add(toward)
            j = index[key] = len(pool) - 1
            added += 1
        d = pool.matrix[j] - pool.matrix[away]
        norm = float(d @ d)
        if norm == 0.0:
            break
        step = min(max(float(w @ d) / norm, 0.0), float(lam[away]))
        lam[j] += step
        lam[away] -= step
        y += step * d
    return added, y
