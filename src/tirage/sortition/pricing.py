"""Pricing oracles: the best panel for given weights on types.

Column generation (Flanigan et al., Nature 2021, Methods "Algorithm") repeatedly
asks for the panel maximising ``sum_t w[t] * c[t]`` over integer type counts
``c`` (see ``symmetry``) subject to ``sum c = k``, every quota and every
household. Two interchangeable implementations:

* ``HighsPricing``: the integer program solved by HiGHS' branch and cut
  (``mip_rel_gap = mip_abs_gap = 1e-9``, i.e. solved to optimality). The model is
  built once; each call only changes the objective.
* ``CpSatPricing``: OR-Tools CP-SAT, single worker (deterministic). CP-SAT needs
  integer objectives, so weights are scaled so that the largest is ``CPSAT_SCALE``
  (1e9) and rounded: the returned panel is optimal for the rounded weights, hence
  at most ``k / CPSAT_SCALE * max(w)`` below the true optimum (<= 2e-7 for k=200).

Both return the counts (``int64`` array of shape ``(T,)``) and the *float*
value ``w @ c`` recomputed exactly, or ``None`` when no panel satisfies the
constraints. ``time_limit`` (seconds per call, ``None``: none) bounds
``HighsPricing``: a call that reaches it returns the best panel found and sets
``last_bound`` to HiGHS' proven upper bound (``mip_dual_bound``) instead of the
panel's value, and raises ``PricingStopped`` if it found no panel at all.
"""

from __future__ import annotations

import highspy
import numpy as np
import numpy.typing as npt

from tirage.sortition.choices import check_pricing
from tirage.sortition.highs import new_highs
from tirage.sortition.symmetry import TypeModel

__all__ = [
    "PricingOracle",
    "PricingStopped",
    "HighsPricing",
    "CpSatPricing",
    "make_oracle",
    "panel_program",
    "CPSAT_SCALE",
]

CPSAT_SCALE = 1e9
_FEASIBLE = int(highspy.SolutionStatus.kSolutionStatusFeasible)


class PricingStopped(Exception):
    """A time-limited pricing call found no panel; ``bound``: its proven upper bound."""

    def __init__(self, bound: float) -> None:
        super().__init__(f"pricing stopped by its time limit (bound {bound})")
        self.bound = bound


PanelRow = tuple[list[int], float, float]
"""One row of the panel program: the types it sums (coefficient 1), its lower and upper bound."""


def panel_program(model: TypeModel) -> tuple[highspy.HighsLp, list[PanelRow]]:
    """The panel's integer program over type counts, without objective (maximisation).

    Columns: ``c[t]`` integer in ``[0, size[t]]``. Rows, in this order: the seats
    (``sum c = k``), one per quota row of ``model.quota_rows`` (a quota over no type
    with a positive minimum is kept as an empty row ``>= min``: infeasible), one per
    household (``<= 1``). Returns the HiGHS model and its rows (types, lower, upper).
    """
    T = model.n_types
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = T
    lp.col_cost_ = np.zeros(T)
    lp.col_lower_ = np.zeros(T)
    lp.col_upper_ = model.sizes.astype(float)
    rows: list[PanelRow] = [(list(range(T)), model.seats, model.seats)]
    for _label, idx, lo, hi in model.quota_rows:
        if idx:
            rows.append((list(idx), lo, min(hi, model.seats)))
        elif lo > 0:
            rows.append(([], lo, inf))  # unsatisfiable minimum, kept to stay infeasible
    for hh in model.households:
        rows.append((list(hh), -inf, 1.0))
    lp.num_row_ = len(rows)
    lp.row_lower_ = np.array([r[1] for r in rows], dtype=float)
    lp.row_upper_ = np.array([r[2] for r in rows], dtype=float)
    # column-wise matrix
    cols: list[list[int]] = [[] for _ in range(T)]
    for r, (row_types, _, _) in enumerate(rows):
        for t in row_types:
            cols[t].append(r)
    starts, index = [0], []
    for t in range(T):
        index.extend(cols[t])
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = [1.0] * len(index)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * T
    return lp, rows


class PricingOracle:
    """Interface: ``best(weights)`` and ``can_include(t)``; ``calls`` counts solves.

    ``last_bound``: after ``best``, an upper bound on the optimum of that call
    (its value when solved to optimality); ``time_limit``: seconds per call
    (``None``: none; only ``HighsPricing`` honours it); ``stopped``: how many
    calls the limit cut short.
    """

    name = "abstract"

    def __init__(self, model: TypeModel) -> None:
        self.model = model
        self.calls = 0
        self.last_bound = np.inf
        self.time_limit: float | None = None
        self.stopped = 0

    def best(self, weights: np.ndarray) -> tuple[np.ndarray, float] | None:
        """Panel maximising ``weights @ counts``; ``weights`` has shape ``(T,)``."""
        raise NotImplementedError

    def can_include(self, t: int) -> bool:
        """Whether some valid panel holds at least one member of type ``t``."""
        raise NotImplementedError


class HighsPricing(PricingOracle):
    """HiGHS MIP pricing (see module docstring)."""

    name = "highs"

    def __init__(self, model: TypeModel) -> None:
        super().__init__(model)
        h = new_highs()
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-9)
        h.setOptionValue("random_seed", 0)
        T = model.n_types
        lp, _rows = panel_program(model)
        h.passModel(lp)
        self._h = h
        self._idx = np.arange(T, dtype=np.int32)
        self._limit = highspy.kHighsInf
        self._bound: float | None = None

    def _run(self) -> np.ndarray | None:
        self.calls += 1
        limit = highspy.kHighsInf if self.time_limit is None else max(1e-3, self.time_limit)
        if limit != self._limit:
            self._h.setOptionValue("time_limit", float(limit))
            self._limit = limit
        self._h.run()
        status = self._h.getModelStatus()
        self._bound = None
        if status != highspy.HighsModelStatus.kOptimal:
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            if status != highspy.HighsModelStatus.kTimeLimit:
                message = self._h.modelStatusToString(status)
                raise RuntimeError(f"HiGHS pricing ended with {message}")
            self.stopped += 1
            info = self._h.getInfo()
            self._bound = float(info.mip_dual_bound)
            if info.primal_solution_status != _FEASIBLE:  # no panel found yet
                raise PricingStopped(self._bound)
        values = np.asarray(self._h.getSolution().col_value)
        return np.rint(values).astype(np.int64)

    def best(self, weights: np.ndarray) -> tuple[np.ndarray, float] | None:
        w = np.asarray(weights, dtype=float)
        self._h.changeColsCost(len(w), self._idx, w)
        counts = self._run()
        if counts is None:
            return None
        value = float(w @ counts)
        # stopped by the time limit: the dual bound (a hair of solver tolerance above)
        self.last_bound = value if self._bound is None else max(value, self._bound)
        return counts, value

    def can_include(self, t: int) -> bool:
        T = self.model.n_types
        self._h.changeColsCost(T, self._idx, np.zeros(T))
        self._h.changeColBounds(t, 1.0, float(self.model.sizes[t]))
        try:
            return self._run() is not None
        finally:
            self._h.changeColBounds(t, 0.0, float(self.model.sizes[t]))


class CpSatPricing(PricingOracle):
    """OR-Tools CP-SAT pricing with integer-scaled weights (see module docstring)."""

    name = "cpsat"

    def __init__(self, model: TypeModel) -> None:
        super().__init__(model)
        # Function-level: OR-Tools is optional (the ``cpsat`` extra).
        from ortools.sat.python import cp_model

        self._cp = cp_model
        m = cp_model.CpModel()
        x = [m.new_int_var(0, int(s), f"c{t}") for t, s in enumerate(model.sizes)]
        m.add(sum(x) == model.seats)
        for _label, idx, lo, hi in model.quota_rows:
            expr = sum(x[t] for t in idx) if idx else 0
            if idx:
                m.add(expr >= lo)
                m.add(expr <= hi)
            elif lo > 0:
                m.add(x[0] < 0) if x else None  # unsatisfiable minimum
        for hh in model.households:
            m.add(sum(x[t] for t in hh) <= 1)
        self._m = m
        self._x = x

    def _solve(self) -> npt.NDArray[np.int64] | None:
        self.calls += 1
        solver = self._cp.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        status = solver.solve(self._m)
        if status == self._cp.INFEASIBLE:
            return None
        if status != self._cp.OPTIMAL:
            raise RuntimeError(f"CP-SAT pricing ended with {solver.status_name(status)}")
        return np.array([solver.value(v) for v in self._x], dtype=np.int64)

    def best(self, weights: np.ndarray) -> tuple[np.ndarray, float] | None:
        w = np.asarray(weights, dtype=float)
        top = float(np.max(np.abs(w))) if len(w) else 0.0
        scale = CPSAT_SCALE / top if top > 0 else 0.0
        coef = np.rint(w * scale).astype(np.int64)
        self._m.maximize(sum(int(c) * v for c, v in zip(coef, self._x, strict=True) if c))
        counts = self._solve()
        if counts is None:
            return None
        value = float(w @ counts)
        # optimal for the rounded weights: within k / CPSAT_SCALE * max|w| of the optimum
        self.last_bound = value + self.model.seats * top / CPSAT_SCALE
        return counts, value

    def can_include(self, t: int) -> bool:
        self._m.clear_objective()
        self._m.clear_hints()
        ct = self._m.add(self._x[t] >= 1)
        try:
            return self._solve() is not None
        finally:
            ct.Proto().Clear()  # neutralise the temporary constraint


def make_oracle(model: TypeModel, pricing: str) -> PricingOracle:
    """The oracle named ``pricing`` (one of ``choices.PRICINGS``); ``InputError`` otherwise."""
    check_pricing(pricing)
    if pricing == "cpsat":
        return CpSatPricing(model)
    return HighsPricing(model)
