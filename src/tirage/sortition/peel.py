"""Write a point of the relaxation as panels by peeling them off (a Carathéodory walk).

``decompose`` looks for weights on panels whose expected type counts are the
relaxation's LEXIMIN counts ``x*`` by column generation: each phase-1 LP
re-solve is costly, and on 834 types it had not converged after minutes. Peeling
builds the distribution directly, one panel per step, in the manner of
Carathéodory's theorem (the constructive proof, as in Grötschel, Lovász and
Schrijver, *Geometric Algorithms and Combinatorial Optimization*, 1988, §6.5)::

    x = x*, rest = 1
    repeat:
        c     = an integer panel on the smallest face of the relaxation holding x
                (every type at 0 or at its size, every quota row at its bound, stays so)
        theta = the largest step with x + theta (x - c) still in the relaxation
        x     = (1 / (1 + theta)) x_new + (theta / (1 + theta)) c: c takes the weight
                rest * theta / (1 + theta), x moves to x_new = x + theta (x - c)
        rest  = rest / (1 + theta)

Each step makes at least one more constraint tight, so ``x`` runs down a chain
of faces. ``c`` is on the face, hence so is ``x_new``, and the weights are exact:
``x* = sum_j lambda_j c_j + rest * x`` at every step (to round-off). The walk
stops when ``rest`` is below ``REST_TOL``: the panels then match ``x*`` within
``REST_TOL * size`` per type, far below ``decompose.MATCH_TOL``, and
``decompose.polish`` re-weights them (least squares) and checks the match. It
stops as *stuck* when a face holds no panel at all (``x`` has left the convex
hull of the panels: the relaxation is not integral there) and as *stopped* at
the deadline; the panels found are then good columns for ``decompose``.

The panel of each step decides how large ``theta`` is: a panel holding a type
whose count ``x[t]`` is small stops the step at ``x[t] / (c[t] - x[t])``. So
the panel sought maximises ``x @ c`` (types with large expected counts),
``c[t] <= max(1, ceil(x[t]))``, and leaves out the types whose ``x[t]`` is
below the ``quantile`` of the free types' counts (``QUANTILE``, lowered when no
such panel exists, raised again after each success). A panel is sought first in
the LP relaxation of the face (a vertex that happens to be integral, ~3 ms),
then by HiGHS' MIP stopped at its first panel (``mip_rel_gap = 1``), then with
the caps and the quantile dropped. On syn1500 (834 types, 60 seats) the walk
takes about 270 steps; measured in benchmarks/README.md.

Only the peeling's weights are approximate (the rest below ``REST_TOL``); the
panels are valid by construction (an integer point of the program's rows) and
checked again by the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from tirage.sortition.highs import new_highs
from tirage.sortition.pricing import panel_program
from tirage.sortition.symmetry import TypeModel

__all__ = ["REST_TOL", "Peeling", "peel"]

REST_TOL = 1e-11  # the walk stops when the mass left on x is below this
TIGHT_TOL = 1e-9  # in counts: a type or a row this close to its bound is on it
QUANTILE = 0.6  # types below this quantile of the free types' counts are left out first
_OPTIMAL = highspy.HighsModelStatus.kOptimal
_FEASIBLE = int(highspy.SolutionStatus.kSolutionStatusFeasible)
_NONE = (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible)


@dataclass
class Peeling:
    """Outcome of ``peel``.

    ``status``: ``"peeled"`` (``rest <= REST_TOL``), ``"stuck"`` (a face with no panel:
    the point is outside the hull of the panels, or round-off moved it off its face) or
    ``"stopped"`` (deadline). ``columns``: ``int64 (m, T)`` valid panels, one per step;
    ``weights``: ``(m,)``, summing to ``1 - rest``; ``rest``: the mass not peeled.
    ``stats``: steps, MIP and LP solves, the mass left (no time: results are compared
    byte for byte).
    """

    status: str
    columns: np.ndarray
    weights: np.ndarray
    rest: float
    stats: dict[str, int | float] = field(default_factory=dict)


class _Stopped(Exception):
    """The deadline came during a MIP that had found no panel yet."""


class _Face:
    """The panel program with bounds narrowed to a face (one LP and one MIP model)."""

    def __init__(self, model: TypeModel) -> None:
        program, rows = panel_program(model)
        self.T = model.n_types
        self.R = len(rows)
        self.sizes = model.sizes.astype(float)
        self.row_lo = np.array([r[1] for r in rows], dtype=float)
        self.row_hi = np.array([r[2] for r in rows], dtype=float)
        # each row's types, flattened, and the row of each entry: activities by np.bincount
        lengths = np.array([len(r[0]) for r in rows], dtype=np.int64)
        self.row_types = np.array([t for r in rows for t in r[0]], dtype=np.int64)
        self.row_of = np.repeat(np.arange(self.R), lengths)
        self.cols = np.arange(self.T, dtype=np.int32)
        self.rows = np.arange(self.R, dtype=np.int32)
        self.mip = new_highs()
        self.mip.setOptionValue("random_seed", 0)
        self.mip.setOptionValue("mip_rel_gap", 1.0)  # the first panel found will do
        self.mip.passModel(program)
        program.integrality_ = [highspy.HighsVarType.kContinuous] * self.T
        self.lp = new_highs()
        self.lp.setOptionValue("random_seed", 0)
        self.lp.passModel(program)
        self.mip_solves = 0
        self.lp_solves = 0

    def activity(self, x: np.ndarray) -> np.ndarray:
        """Row activities ``(R,)`` of expected counts ``x``."""
        return np.bincount(self.row_of, weights=x[self.row_types], minlength=self.R)

    def set_rows(self, lo: np.ndarray, hi: np.ndarray) -> None:
        self.mip.changeRowsBounds(self.R, self.rows, lo, hi)  # type: ignore[attr-defined]
        self.lp.changeRowsBounds(self.R, self.rows, lo, hi)  # type: ignore[attr-defined]

    def set_objective(self, w: np.ndarray) -> None:
        self.mip.changeColsCost(self.T, self.cols, w)
        self.lp.changeColsCost(self.T, self.cols, w)

    def integral_vertex(self, lower: np.ndarray, upper: np.ndarray) -> np.ndarray | None:
        """An optimal vertex of the face's LP when it is integral, else ``None``."""
        self.lp.changeColsBounds(self.T, self.cols, lower, upper)
        self.lp.run()
        self.lp_solves += 1
        if self.lp.getModelStatus() != _OPTIMAL:
            return None
        v = np.asarray(self.lp.getSolution().col_value)
        c = np.rint(v)
        return c.astype(np.int64) if np.abs(v - c).max() <= 1e-9 else None

    def panel(
        self, lower: np.ndarray, upper: np.ndarray, deadline: float | None
    ) -> np.ndarray | None:
        """A panel within these type bounds (the MIP's first), ``None`` when none exists.

        Raises ``_Stopped`` when ``deadline`` (``time.perf_counter()``) comes first."""
        self.mip.changeColsBounds(self.T, self.cols, lower, upper)
        limit = np.inf if deadline is None else max(1e-3, deadline - time.perf_counter())
        self.mip.setOptionValue("time_limit", float(limit))
        self.mip.run()
        self.mip_solves += 1
        status = self.mip.getModelStatus()
        found = self.mip.getInfo().primal_solution_status == _FEASIBLE
        if status == _OPTIMAL or (status == highspy.HighsModelStatus.kTimeLimit and found):
            return np.rint(np.asarray(self.mip.getSolution().col_value)).astype(np.int64)
        if status in _NONE:
            return None
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise _Stopped
        raise RuntimeError(f"HiGHS ended with {self.mip.modelStatusToString(status)}")


def peel(
    model: TypeModel,
    target: np.ndarray,
    deadline: float | None = None,
    report: Callable[[int, float], None] | None = None,
) -> Peeling:
    """Panels and weights whose expected type counts are ``target`` (see module docstring).

    ``target``: expected counts ``x*`` (``(T,)`` float, in people) in the relaxation
    (``relaxation.Relaxation``'s polytope: seats, quotas, households, ``[0, size]``);
    ``deadline``: a ``time.perf_counter()`` value past which it returns ``"stopped"``;
    ``report(step, rest)`` is called every 50 steps.
    """
    face = _Face(model)
    T = model.n_types
    n = face.sizes
    x = np.clip(np.asarray(target, dtype=float), 0.0, n)
    rest = 1.0
    columns: list[np.ndarray] = []
    weights: list[float] = []
    level = QUANTILE
    status = "stopped"
    max_steps = 4 * (T + face.R)  # each step makes a constraint tight: a safety bound only
    for step in range(max_steps):
        if rest <= REST_TOL:
            status = "peeled"
            break
        if deadline is not None and time.perf_counter() >= deadline:
            break
        if report is not None and step % 50 == 0:
            report(step, rest)
        at0 = x <= TIGHT_TOL
        atn = x >= n - TIGHT_TOL
        free = ~(at0 | atn)
        x[at0], x[atn] = 0.0, n[atn]
        r = face.activity(x)
        at_lo = r <= face.row_lo + TIGHT_TOL
        at_hi = r >= face.row_hi - TIGHT_TOL
        face.set_rows(
            np.where(at_hi, face.row_hi, face.row_lo), np.where(at_lo, face.row_lo, face.row_hi)
        )
        lower = np.where(atn, n, 0.0)
        upper = np.where(at0, 0.0, n)
        capped = np.where(free, np.minimum(n, np.maximum(1.0, np.ceil(x - TIGHT_TOL))), upper)
        cut = _quantile(x[free], level)
        narrow = np.where(free & (x < cut), 0.0, capped)
        face.set_objective(x)
        try:
            c = face.integral_vertex(lower, narrow)
            if c is None:
                c = face.panel(lower, narrow, deadline)
                # below 5 %: no quantile at all; raised again after each success
                level = min(QUANTILE, level + 0.05) if c is not None else level / 2 * (level > 0.05)
            for wider in (capped, upper):  # then without the quantile, then without the caps
                if c is None:
                    c = face.panel(lower, wider, deadline)
        except _Stopped:
            break
        if c is None:
            status = "stuck"
            break
        d = x - c
        if np.abs(d).max() <= TIGHT_TOL:  # x is itself a panel
            columns.append(c)
            weights.append(rest)
            rest = 0.0
            status = "peeled"
            break
        theta = _longest_step(face, x, d, r, free, at_lo, at_hi)
        if not np.isfinite(theta) or theta <= 0.0:
            status = "stuck"  # round-off: c is not on x's face after all
            break
        columns.append(c)
        weights.append(rest * theta / (1.0 + theta))
        rest /= 1.0 + theta
        x = np.clip(x + theta * d, 0.0, n)
    stats: dict[str, int | float] = {
        "peel_steps": len(columns),
        "peel_mip_solves": face.mip_solves,
        "peel_lp_solves": face.lp_solves,
        "peel_rest": rest,
    }
    cols = np.array(columns, dtype=np.int64).reshape(len(columns), T)
    return Peeling(status, cols, np.array(weights), rest, stats)


def _quantile(values: np.ndarray, level: float) -> float:
    """The ``level`` quantile of ``values`` (lower value, no interpolation); 0 when empty or
    ``level`` is 0. Not ``np.quantile``: it imports ``numpy.ma`` (~50 ms the first time)."""
    if level <= 0 or len(values) == 0:
        return 0.0
    k = int(level * (len(values) - 1))
    return float(np.partition(values, k)[k])


def _longest_step(
    face: _Face,
    x: np.ndarray,
    d: np.ndarray,
    r: np.ndarray,
    free: np.ndarray,
    at_lo: np.ndarray,
    at_hi: np.ndarray,
) -> float:
    """The largest ``theta`` with ``x + theta d`` within every bound not already tight
    (the tight ones stay so: ``c`` is on the face). ``inf`` when nothing bounds it."""
    n = face.sizes
    theta = np.inf
    down = free & (d < -TIGHT_TOL)
    if down.any():
        theta = min(theta, float(np.min(x[down] / -d[down])))
    up = free & (d > TIGHT_TOL)
    if up.any():
        theta = min(theta, float(np.min((n[up] - x[up]) / d[up])))
    rd = face.activity(d)
    grow = (rd > TIGHT_TOL) & ~at_hi & np.isfinite(face.row_hi)
    if grow.any():
        theta = min(theta, float(np.min((face.row_hi[grow] - r[grow]) / rd[grow])))
    fall = (rd < -TIGHT_TOL) & ~at_lo & np.isfinite(face.row_lo)
    if fall.any():
        theta = min(theta, float(np.min((r[fall] - face.row_lo[fall]) / -rd[fall])))
    return theta
