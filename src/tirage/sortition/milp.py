"""A small mixed-integer program builder on HiGHS (``highspy``), exact settings.

Kept minimal on purpose: bounded integer columns, sparse rows, a linear cost,
minimisation. The relative MIP gap is 0, so an "optimal" answer is optimal.
Source: HiGHS, https://highs.dev (MIT licence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import highspy
import numpy as np

from tirage.sortition.errors import SortitionError
from tirage.sortition.highs import new_highs

__all__ = ["Status", "Milp"]

INF = float("inf")


class Status(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"


@dataclass
class Milp:
    """Minimise ``cost @ x``, integer ``x`` in ``[lower, upper]``, ``row_lo <= A x <= row_hi``.

    Add columns with ``add_columns`` (returns their indices) and rows with
    ``add_row``; ``solve`` returns the status and the integer solution.
    """

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    rows: list[tuple[Sequence[int], Sequence[float], float, float]] = field(default_factory=list)

    def add_columns(self, upper: Sequence[float], cost: float = 0.0, lower: float = 0.0) -> range:
        start = len(self.upper)
        self.upper.extend(float(u) for u in upper)
        self.lower.extend(lower for _ in upper)
        self.cost.extend(cost for _ in upper)
        return range(start, len(self.upper))

    def add_row(
        self, indices: Sequence[int], values: Sequence[float], lo: float = -INF, hi: float = INF
    ) -> None:
        self.rows.append((list(indices), [float(v) for v in values], float(lo), float(hi)))

    def solve(
        self, cost: Sequence[float] | None = None, time_limit: float | None = None
    ) -> tuple[Status, np.ndarray | None]:
        """Solve; ``cost`` overrides the column costs. Returns (status, rounded int64 x or None).

        Raises ``SortitionError("solver_failed")`` if HiGHS stops without
        proving optimality or infeasibility (time limit, numerical trouble).
        """
        h = new_highs()
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("random_seed", 0)
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        n = len(self.upper)
        if n:
            h.addVars(n, np.array(self.lower), np.array(self.upper))
            idx = np.arange(n, dtype=np.int32)
            h.changeColsIntegrality(n, idx, np.array([highspy.HighsVarType.kInteger] * n))
            h.changeColsCost(n, idx, np.array(cost if cost is not None else self.cost, float))
        for indices, values, lo, hi in self.rows:
            if not indices:
                if lo > 0 or hi < 0:
                    return Status.INFEASIBLE, None
                continue
            h.addRow(lo, hi, len(indices), np.array(indices, np.int32), np.array(values))
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.rint(np.array(h.getSolution().col_value[:n], dtype=float)).astype(np.int64)
            return Status.OPTIMAL, x
        if status == highspy.HighsModelStatus.kInfeasible:
            return Status.INFEASIBLE, None
        raise SortitionError(
            "solver_failed",
            f"HiGHS stopped without an answer ({h.modelStatusToString(status)})",
            status=h.modelStatusToString(status),
        )
