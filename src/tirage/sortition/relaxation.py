"""The LP relaxation of LEXIMIN over types: a bound for each round and a target.

A distribution over panels gives each type ``t`` an *expected count*
``x[t] = sum_P lambda_P c_P[t]``, and ``x`` lies in the polytope of the panel's
linear constraints with the integrality dropped::

    sum_t x[t] = k,   min_q <= sum_{t in q} x[t] <= max_q   (every quota row q),
    sum_{t in h} x[t] <= 1   (every household h),   0 <= x[t] <= size[t].

So the LP over ``x`` (a compact program: ``T + 1`` columns, ``T + Q + H + 1``
rows, no column generation)::

    maximise z  s.t.  x[t]/size[t] >= z  (unfixed t),  x[t]/size[t] >= f[t]  (fixed t)

is an **upper bound** on a LEXIMIN round's optimum over all panels, given the
probabilities ``f`` settled in the earlier rounds. When the restricted master
LP reaches it, the round is proven optimal without any pricing, and the types
whose dual in *this* LP is positive are tight in every optimum of the relaxation,
hence in every optimum over panels (which are optima of the relaxation, having
the same value): fixing them is the same complementary-slackness argument as
with the master's duals (Flanigan et al., Nature 2021, Methods).

Run to the end (``leximin``), the relaxation gives a vector ``p`` that
leximin-dominates the LEXIMIN one; ``herd`` turns it into panels whose average
follows ``p`` (kernel herding: each panel is a swap climb towards the
weights ``(j * x - sum of the panels so far) / size``), good first columns for
the master: on instances where ``p`` is achievable the rounds close on the
bound above after a few LP solves.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

import highspy
import numpy as np

from tirage.sortition.colgen import DUAL_EPS, LP_TOL
from tirage.sortition.highs import new_highs
from tirage.sortition.symmetry import TypeModel

__all__ = ["Relaxation", "herd"]


class Relaxation:
    """The compact LP above, one HiGHS model fixed round by round (warm-started)."""

    def __init__(self, model: TypeModel) -> None:
        self.model = model
        T = model.n_types
        self.T = T
        sizes = model.sizes.astype(float)
        k = float(model.seats)
        inf = highspy.kHighsInf
        h = new_highs()
        h.setOptionValue("primal_feasibility_tolerance", LP_TOL)
        h.setOptionValue("dual_feasibility_tolerance", LP_TOL)
        h.setOptionValue("random_seed", 0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.addVars(T, np.zeros(T), sizes)
        h.addVar(0.0, 1.0)  # z, column T
        h.changeColCost(T, 1.0)
        all_types = np.arange(T, dtype=np.int32)
        h.addRow(k, k, T, all_types, np.ones(T))
        self.feasible = True
        for _label, idx, lo, hi in model.quota_rows:
            if idx:
                h.addRow(
                    float(lo),
                    float(min(hi, k)),
                    len(idx),
                    np.array(idx, np.int32),
                    np.ones(len(idx)),
                )
            elif lo > 0:
                self.feasible = False
        for hh in model.households:
            h.addRow(-inf, 1.0, len(hh), np.array(hh, np.int32), np.ones(len(hh)))
        self.first_type_row = h.getNumRow()
        # x[t] / size[t] - z >= 0, one row per type
        starts = np.arange(0, 2 * T, 2, dtype=np.int32)
        index = np.column_stack([all_types, np.full(T, T, dtype=np.int32)]).ravel()
        value = np.column_stack([1.0 / sizes, -np.ones(T)]).ravel()
        h.addRows(T, np.zeros(T), np.full(T, inf), len(index), starts, index, value)
        self.h = h
        self.fixed = np.zeros(T, dtype=bool)

    def fix(self, t: int, value: float) -> None:
        """Settle type ``t`` at probability ``value`` (its row no longer holds ``z``)."""
        row = self.first_type_row + int(t)
        self.fixed[t] = True
        self.h.changeCoeff(row, self.T, 0.0)
        self.h.changeRowBounds(row, float(value), highspy.kHighsInf)

    def solve(self) -> tuple[float, np.ndarray] | None:
        """``(z, y)``: the round's bound and the duals ``y >= 0`` (shape ``(T,)``) of the type
        rows, summing to 1 over the unfixed types; ``None`` when HiGHS does not prove an
        optimum (no bound then: the caller goes on without it)."""
        if not self.feasible or self.fixed.all():
            return None
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = self.h.getSolution()
        first = self.first_type_row
        duals = np.asarray(sol.row_dual)[first : first + self.T]
        unfixed = ~self.fixed
        if duals[unfixed].sum() < 0:  # HiGHS' sign convention for a maximisation
            duals = -duals
        return float(sol.col_value[self.T]), np.maximum(duals, 0.0)

    def leximin(self) -> np.ndarray | None:
        """The relaxation's LEXIMIN probabilities ``(T,)``, fixing this model as it goes
        (use a fresh ``Relaxation`` for the round bounds); ``None`` if an LP fails."""
        probs = np.zeros(self.T)
        while not self.fixed.all():
            out = self.solve()
            if out is None:
                return None
            z, y = out
            unfixed = ~self.fixed
            to_fix = np.flatnonzero(unfixed & (y > DUAL_EPS))
            if len(to_fix) == 0:
                to_fix = np.flatnonzero(unfixed)[[int(np.argmax(y[unfixed]))]]
            for t in to_fix:
                probs[t] = z
                self.fix(int(t), z)
        return probs


def herd(
    model: TypeModel,
    probs: np.ndarray,
    start: np.ndarray,
    climb: Callable[[np.ndarray, np.ndarray], np.ndarray],
    count: int,
    deadline: float | None = None,
) -> list[np.ndarray]:
    """Up to ``count`` panels (type counts, ``int64 (T,)``) whose running average follows
    the expected counts ``probs * sizes`` (see module docstring); ``start``: a valid panel.
    Stops early past ``deadline`` (a ``time.perf_counter()`` value)."""
    sizes = model.sizes.astype(float)
    target = probs * sizes
    total = np.zeros(model.n_types)
    panel = np.asarray(start, dtype=np.int64)
    panels = []
    for j in range(1, count + 1):
        if deadline is not None and perf_counter() >= deadline:
            break
        panel = climb(panel, (j * target - total) / sizes)
        total += panel
        panels.append(panel)
    return panels
