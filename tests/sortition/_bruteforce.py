"""Independent reference solvers for tiny instances (tests only).

Enumerates every valid panel with itertools, then solves the LP sequence
directly at the *person* level over all panels, with HiGHS. Deliberately
different from the engine: no types, no column generation, no duals; a person
is fixed when an LP shows their probability cannot exceed the round's optimum.
"""

from __future__ import annotations

import itertools

import highspy
import numpy as np

from tirage.sortition.model import Instance


def all_panels(instance: Instance) -> list[tuple[str, ...]]:
    ids = sorted(instance.ids)
    return [
        combo
        for combo in itertools.combinations(ids, instance.seats)
        if not instance.panel_violations(list(combo))
    ]


def _lp(
    matrix: np.ndarray,
    objective: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    sense_max: bool = True,
) -> tuple[float, np.ndarray]:
    """max/min objective @ x over x >= 0 with lower <= matrix @ x <= upper. Returns (value, x)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    rows, cols = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_ = objective.astype(float)
    lp.col_lower_ = np.zeros(cols)
    lp.col_upper_ = np.full(cols, highspy.kHighsInf)
    lp.row_lower_ = lower.astype(float)
    lp.row_upper_ = upper.astype(float)
    lp.sense_ = highspy.ObjSense.kMaximize if sense_max else highspy.ObjSense.kMinimize
    start, index, value = [0], [], []
    for j in range(cols):
        nz = np.flatnonzero(matrix[:, j])
        index.extend(nz.tolist())
        value.extend(matrix[nz, j].tolist())
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
    h.passModel(lp)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(
        h.getModelStatus()
    )
    x = np.asarray(h.getSolution().col_value)
    return float(objective @ x), x


def incidence(instance: Instance, panels) -> np.ndarray:
    ids = list(instance.ids)
    pos = {pid: i for i, pid in enumerate(ids)}
    A = np.zeros((len(ids), len(panels)))
    for j, panel in enumerate(panels):
        for m in panel:
            A[pos[m], j] = 1.0
    return A


def leximin_reference(instance: Instance) -> dict[str, float]:
    """LEXIMIN probabilities by brute force (person level, all panels)."""
    panels = all_panels(instance)
    A = incidence(instance, panels)
    n, m = A.shape
    inf = highspy.kHighsInf
    fixed: dict[int, float] = {}
    while len(fixed) < n:
        unfixed = [i for i in range(n) if i not in fixed]
        # variables: lambda (m), z ; rows: people, convexity
        M = np.zeros((n + 1, m + 1))
        M[:n, :m] = A
        for i in unfixed:
            M[i, m] = -1.0
        M[n, :m] = 1.0
        lower = np.array([fixed.get(i, 0.0) for i in range(n)] + [1.0])
        upper = np.array([inf] * n + [1.0])
        obj = np.zeros(m + 1)
        obj[m] = 1.0
        z, _ = _lp(M, obj, lower, upper)
        # who cannot exceed z?
        M2 = np.zeros((n + 1, m))
        M2[:n] = A
        M2[n] = 1.0
        lower2 = np.array([fixed.get(i, z - 1e-9) for i in range(n)] + [1.0])
        newly = []
        for i in unfixed:
            best, _ = _lp(M2, A[i], lower2, upper)
            if best <= z + 1e-7:
                newly.append(i)
        assert newly, "no person could be fixed"
        for i in newly:
            fixed[i] = z
    return {pid: fixed[i] for i, pid in enumerate(instance.ids)}


def goldilocks_reference(instance: Instance, gamma: float = 1.0, grid: int = 400) -> float:
    """Smallest Goldilocks value found on a grid of floors (an upper bound on the optimum)."""
    panels = all_panels(instance)
    A = incidence(instance, panels)
    n, m = A.shape
    k = instance.seats
    mean = k / n
    inf = highspy.kHighsInf
    # maximin first
    M = np.zeros((n + 1, m + 1))
    M[:n, :m], M[:n, m], M[n, :m] = A, -1.0, 1.0
    obj = np.zeros(m + 1)
    obj[m] = 1.0
    top, _ = _lp(M, obj, np.r_[np.zeros(n), 1.0], np.r_[np.full(n, inf), 1.0])
    best = np.inf
    # rows: p_i - M <= 0 ; p_i >= floor ; convexity ; variables lambda, M
    G = np.zeros((2 * n + 1, m + 1))
    G[:n, :m], G[:n, m] = A, -1.0
    G[n : 2 * n, :m] = A
    G[2 * n, :m] = 1.0
    objM = np.zeros(m + 1)
    objM[m] = 1.0
    for floor in np.linspace(top / grid, top, grid):
        lower = np.r_[np.full(n, -inf), np.full(n, floor), 1.0]
        upper = np.r_[np.zeros(n), np.full(n, inf), 1.0]
        ceiling, _ = _lp(G, objM, lower, upper, sense_max=False)
        best = min(best, ceiling / mean + gamma * mean / floor)
    return best
