"""Cheap pricing heuristic: best-improvement swaps between types.

Column generation only needs *some* panel of positive reduced cost to make
progress; the exact integer program (``pricing``) is only needed to prove that
none is left. ``SwapSearch.climb`` starts from a valid panel (type counts) and
repeatedly applies the swap "one member of type a out, one of type b in" with
the largest gain ``w[b] - w[a]`` among the swaps that keep every quota and
household constraint, until no swap gains more than ``1e-12``. Each step costs
O(T^2 * F) numpy work (T types, F features).
"""

from __future__ import annotations

import numpy as np

from tirage.sortition.symmetry import TypeModel

__all__ = ["SwapSearch"]


class SwapSearch:
    """Hill climbing over type-count panels (see module docstring)."""

    def __init__(self, model: TypeModel, max_steps: int | None = None) -> None:
        self.model = model
        T = model.n_types
        self.lo, self.hi = model.quota_bounds
        # membership matrix M (rows x T) and, per type, its row in each feature block
        M = model.quota_matrix
        self.M = M
        self.type_rows = [np.flatnonzero(M[:, t]) for t in range(T)]
        F = max((len(x) for x in self.type_rows), default=0)
        self.R = np.array([x for x in self.type_rows], dtype=np.int64).reshape(T, F)
        self.hh_of = model.household_of
        self.n_hh = len(model.households)
        self.max_steps = max_steps or 4 * model.seats

    def climb(self, counts: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Locally optimal panel reachable from ``counts`` by improving swaps.

        ``counts``: valid panel, ``int64 (T,)``; ``w``: weights ``(T,)``.
        Only types on the panel can leave and only types weighing more than the
        lightest of those can enter, which keeps each step to O(k * T * F).
        """
        c = np.array(counts, dtype=np.int64)
        sizes = self.model.sizes
        R = self.R
        for _ in range(self.max_steps):
            out = np.flatnonzero(c > 0)
            w_floor = w[out].min()
            into = np.flatnonzero((c < sizes) & (w > w_floor + 1e-12))
            if len(into) == 0:
                break
            q = self.M @ c
            can_dec = q - 1 >= self.lo
            can_inc = q + 1 <= self.hi
            Ra, Rb = R[out], R[into]
            ok = (
                (Ra[:, None, :] == Rb[None, :, :])
                | (can_dec[Ra][:, None, :] & can_inc[Rb][None, :, :])
            ).all(axis=2)
            if self.n_hh:
                used = np.zeros(self.n_hh, dtype=np.int64)
                has = self.hh_of >= 0
                np.add.at(used, self.hh_of[has], c[has])
                hb = self.hh_of[into]
                blocked = (hb >= 0) & (used[np.maximum(hb, 0)] > 0)
                ha = self.hh_of[out]
                same_hh = (ha[:, None] == hb[None, :]) & (ha[:, None] >= 0)
                ok &= ~blocked[None, :] | same_hh
            gain = np.where(ok, w[into][None, :] - w[out][:, None], -np.inf)
            flat = int(np.argmax(gain))
            i, j = divmod(flat, len(into))
            if not gain[i, j] > 1e-12:
                break
            c[out[i]] -= 1
            c[into[j]] += 1
        return c
