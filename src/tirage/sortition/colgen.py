"""Shared pieces of column generation over type-count panels.

A *column* is a panel given as type counts ``c`` (``int64``, shape ``(T,)``);
its coefficient in the row of type ``t`` is ``c[t] / size[t]``, i.e. the
selection probability it gives each member of ``t``. ``ColumnPool`` keeps the
columns generated so far (deduplicated, in generation order) and a dense
``(m, T)`` matrix of them for the threshold computations.

Tolerances (documented once, used by every objective):

* ``LP_TOL = 1e-9``: HiGHS primal and dual feasibility tolerances for the master LPs.
* ``CG_TOL = 1e-7``: column generation stops when the best panel found by pricing
  improves on the best existing column by less than this (the LP value is then
  within ``CG_TOL`` of the optimum over *all* panels, by LP duality).
* ``DUAL_EPS = 1e-7``: a type is fixed in a LEXIMIN round when its dual exceeds this.
* ``FIX_SLACK = 1e-9``: fixed probabilities are stored ``FIX_SLACK`` below the
  round's optimum so that later LPs stay feasible despite floating error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NoReturn

import highspy
import numpy as np
import numpy.typing as npt

from tirage.sortition.errors import InfeasibleError
from tirage.sortition.highs import new_highs
from tirage.sortition.pricing import PricingOracle
from tirage.sortition.symmetry import TypeModel

__all__ = [
    "ColumnPool",
    "LP_TOL",
    "CG_TOL",
    "DUAL_EPS",
    "FIX_SLACK",
    "new_lp",
    "seed_columns",
    "no_panel",
    "OnInfeasible",
]

LP_TOL = 1e-9
CG_TOL = 1e-7
DUAL_EPS = 1e-7
FIX_SLACK = 1e-9


def new_lp() -> highspy.Highs:
    """A silent, deterministic ``highspy.Highs`` configured for the master LPs."""

    h = new_highs()
    h.setOptionValue("primal_feasibility_tolerance", LP_TOL)
    h.setOptionValue("dual_feasibility_tolerance", LP_TOL)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue(
        "simplex_strategy", 4
    )  # primal simplex: adding a column keeps primal feasibility
    h.setOptionValue("presolve", "off")  # re-solves are warm-started from the last basis
    return h


class ColumnPool:
    """Panels generated so far, as type counts; ``matrix`` is ``(m, T)`` float."""

    def __init__(self, model: TypeModel) -> None:
        self.model = model
        self.columns: list[np.ndarray] = []
        self._seen: set[bytes] = set()
        self._buffer = np.zeros((64, model.n_types))  # grows by doubling

    def distribution(self, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The master LP's panel weights ``lam`` (one per column) as a distribution.

        Returns ``(columns, weights, type_probs)``: the panels with positive
        weight (``(s, T)`` int64), their weights summing to 1 (``(s,)``), and each
        type's selection probability (``(T,)``). Weights ≤ 1e-9 are LP round-off
        (of the order of ``FIX_SLACK``) and are dropped.
        """
        columns = np.array(self.columns, dtype=np.int64)
        lam = np.maximum(lam, 0.0)
        keep = lam > 1e-9
        columns, weights = columns[keep], lam[keep] / lam[keep].sum()
        return columns, weights, (weights @ columns) / self.model.sizes

    def add(self, counts: np.ndarray) -> bool:
        """Add a panel; returns False when it was already there."""
        key = np.asarray(counts, dtype=np.int64).tobytes()
        if key in self._seen:
            return False
        self._seen.add(key)
        m = len(self.columns)
        if m == len(self._buffer):
            self._buffer = np.vstack([self._buffer, np.zeros_like(self._buffer)])
        self._buffer[m] = counts
        self.columns.append(np.asarray(counts, dtype=np.int64))
        return True

    @property
    def matrix(self) -> np.ndarray:
        return self._buffer[: len(self.columns)]

    def __len__(self) -> int:
        return len(self.columns)

    def coefficients(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Non-zero (type indices, probabilities ``c[t]/size[t]``) of a column."""
        nz = np.flatnonzero(counts)
        return nz.astype(np.int32), counts[nz] / self.model.sizes[nz]


OnInfeasible = Callable[[], NoReturn]
"""What to do when no panel meets the quotas: raise (``InfeasibleError``, with reasons)."""


def no_panel() -> NoReturn:
    """Default reaction to an instance without any valid panel."""
    raise InfeasibleError("infeasible_quotas", "No panel satisfies the quotas.", reasons=[])


def seed_columns(
    model: TypeModel,
    oracle: PricingOracle,
    pool: ColumnPool,
    infeasible: OnInfeasible = no_panel,
    climb: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    deadline: float | None = None,
) -> npt.NDArray[np.bool_]:
    """Find a first set of panels covering every type that can be on a panel.

    Repeatedly prices with weight ``1/size[t]`` on the types no panel holds yet
    (Flanigan et al. 2021, Methods: initial panels). Returns the boolean mask
    ``(T,)`` of types that *no* valid panel can hold (proved by the last MIP,
    whose optimum is 0). When there is no panel at all, calls ``infeasible()``,
    which must raise (``InfeasibleError``).

    ``climb`` (optional, ``SwapSearch.climb``): tried first from the last panel with
    the same weights; the integer program is only called when the climb covers no
    new type (on large pools most of the seeding then costs no MIP).
    ``deadline`` (a ``time.perf_counter()`` value): past it, stops and returns an
    all-False mask (the types left uncovered are then *not* proven impossible).
    """
    T = model.n_types
    first = oracle.best(np.zeros(T))
    if first is None:
        infeasible()
    pool.add(first[0])
    covered = first[0] > 0
    while not covered.all():
        if deadline is not None and time.perf_counter() >= deadline:
            return np.zeros(T, dtype=bool)
        w = np.where(covered, 0.0, 1.0 / model.sizes)
        if climb is not None:
            cand = climb(pool.columns[-1], w)
            if (cand[~covered] > 0).any():
                pool.add(cand)
                covered |= cand > 0
                continue
        found = oracle.best(w)  # never None: the first panel exists
        if found is None or found[1] <= 0.5 / model.sizes.max():
            break
        counts = found[0]
        pool.add(counts)
        covered |= counts > 0
    return ~covered
