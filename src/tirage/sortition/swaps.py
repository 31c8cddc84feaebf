"""Cheap pricing heuristic: best-improvement swaps between types.

Column generation only needs *some* panel of positive reduced cost to make
progress; the exact integer program (``pricing``) is only needed to prove that
none is left. ``SwapSearch.climb`` starts from a valid panel (type counts) and
repeatedly applies the swap "one member of type a out, one of type b in" with
the largest gain ``w[b] - w[a]`` among the swaps that keep every quota and
household constraint, until no swap gains more than ``1e-12``.

Each step is linear in the number of types T: with the panel's per-quota
counts, a quota row may lose a member (``count > min``) or gain one
(``count < max``); a type can *leave freely* when every row of its values may
lose one and *enter freely* when every row may gain one. Entering types are
scanned by decreasing weight in blocks of ``BLOCK`` (one block up to ``SMALL``
types), each block tested against
the (at most k) leaving types by their F feature rows (O(k * BLOCK * F)), and
the scan stops as soon as no later type can beat the best swap found, which is
usually the first block: a step costs O(T) for the sort keys plus
O(k * BLOCK * F), instead of O(k * T * F) for the full test.

Above ``SMALL`` types the neighbourhood is also narrowed so that a step never
costs more than O(T + LEAVING * T * F) whatever the quotas block: only the
``LEAVING`` lightest leaving types are tried (on the 30,000-person pool, 3,219
types and 150 seats, a step that scanned every block against every leaving type
cost ~10 ms and a climb ~0.5 s). The climb is a heuristic: a narrower
neighbourhood can only stop it earlier, the exact pricing still proves each
round.

The swap test itself reads a type-by-type table ``same`` (``(T, T)`` unsigned
integers, bit ``f`` set when two types share their value of feature ``f``; built
once, kept when it takes at most ``SAME_BYTES``): a swap a → b is allowed when,
on every feature, the two types share the value or a's row may lose a member and
b's may gain one, i.e. ``same[a, b] | (may_lose[a] & may_gain[b])`` has all F
bits. One integer operation per pair instead of F comparisons on ``(k, BLOCK, F)``
arrays: the same swaps are chosen, a climb on syn1500 (834 types) takes 23 ms
instead of 53 ms. Above ``SAME_BYTES`` (or 64 features) the feature-by-feature
test is used.
"""

from __future__ import annotations

from time import perf_counter

import numpy as np

from tirage.sortition.symmetry import TypeModel

__all__ = ["SwapSearch"]

BLOCK = 64  # entering types tested together
SMALL = 256  # types: up to this many, all entering types are tested in one block
LEAVING = 32  # above SMALL types: leaving types tried per step (the lightest)
SAME_BYTES = 64_000_000  # largest type-by-type table of shared feature values kept


class SwapSearch:
    """Hill climbing over type-count panels (see module docstring)."""

    def __init__(self, model: TypeModel, max_steps: int | None = None) -> None:
        self.model = model
        T = model.n_types
        self.lo, self.hi = model.quota_bounds
        # per type, its quota row in each feature block: R (T x F)
        M = model.quota_matrix
        self.M = M
        rows = [np.flatnonzero(M[:, t]) for t in range(T)]
        F = max((len(x) for x in rows), default=0)
        self.R = np.array(rows, dtype=np.int64).reshape(T, F)
        self.hh_of = model.household_of
        self.n_hh = len(model.households)
        self.max_steps = max_steps or 4 * model.seats
        # small pools: one block (a single vectorised test is cheaper than the scan)
        self.block = max(1, T) if T <= SMALL else BLOCK
        self.leaving = T if T <= SMALL else LEAVING
        self.deadline: float | None = None  # time.perf_counter() value: climbs stop there
        # same[a, b]: bit f set when types a and b have the same value of feature f
        self.same: np.ndarray | None = None
        self.bits = np.zeros(F, dtype=np.int64)
        dtype = next(
            (
                d
                for d in (np.uint8, np.uint16, np.uint32, np.uint64)
                if F <= 8 * np.dtype(d).itemsize
            ),
            None,
        )
        if dtype is not None and T * T * np.dtype(dtype).itemsize <= SAME_BYTES:
            self.bits = (1 << np.arange(F, dtype=np.uint64)).astype(dtype)
            same = np.zeros((T, T), dtype=dtype)
            for f in range(F):
                col = self.R[:, f]
                same |= (col[:, None] == col[None, :]).astype(dtype) * self.bits[f]
            self.same = same
            self.full = dtype((1 << F) - 1) if F < 64 else dtype(np.iinfo(np.uint64).max)

    def climb(self, counts: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Locally optimal panel reachable from ``counts`` by improving swaps.

        ``counts``: valid panel, ``int64 (T,)``; ``w``: weights ``(T,)``.
        Returns the panel (``int64 (T,)``); ``counts`` is not modified. Past
        ``self.deadline`` (if set) returns the valid panel reached so far.
        """
        c = np.array(counts, dtype=np.int64)
        sizes = self.model.sizes
        R = self.R
        q = self.M @ c
        has_hh = self.n_hh > 0
        if has_hh:
            used = np.zeros(self.n_hh, dtype=np.int64)
            inside = self.hh_of >= 0
            np.add.at(used, self.hh_of[inside], c[inside])
        # entering candidates by decreasing weight (stable: deterministic ties)
        order = np.argsort(-w, kind="stable")
        neg_sorted = -w[order]  # ascending
        for step in range(self.max_steps):
            if self.deadline is not None and step % 16 == 15 and perf_counter() >= self.deadline:
                break  # every panel along the climb is valid: return the one reached
            out = np.flatnonzero(c > 0)
            out = out[np.argsort(w[out], kind="stable")][: self.leaving]
            w_floor = w[out[0]]
            can_dec = q > self.lo
            can_inc = q < self.hi
            Ra = R[out]
            dec_a = can_dec[Ra]
            same = self.same
            if same is not None:
                bits = self.bits
                mask_a = (dec_a * bits).sum(axis=1, dtype=bits.dtype)
                same_out = same[out]
            best_gain, best = 1e-12, None
            # the types weighing more than the lightest leaving one: a prefix of ``order``
            heavier = int(np.searchsorted(neg_sorted, -(w_floor + 1e-12), side="left"))
            for start in range(0, heavier, self.block):
                if w[order[start]] - w_floor <= best_gain:
                    break
                into = order[start : min(start + self.block, heavier)]
                into = into[c[into] < sizes[into]]
                if len(into) == 0:
                    continue
                Rb = R[into]
                if same is not None:
                    mask_b = (can_inc[Rb] * bits).sum(axis=1, dtype=bits.dtype)
                    ok = (same_out[:, into] | (mask_a[:, None] & mask_b[None, :])) == self.full
                else:
                    ok = (
                        (Ra[:, None, :] == Rb[None, :, :])
                        | (dec_a[:, None, :] & can_inc[Rb][None, :, :])
                    ).all(axis=2)
                if has_hh:
                    hb = self.hh_of[into]
                    blocked = (hb >= 0) & (used[np.maximum(hb, 0)] > 0)
                    ha = self.hh_of[out]
                    same_hh = (ha[:, None] == hb[None, :]) & (ha[:, None] >= 0)
                    ok &= ~blocked[None, :] | same_hh
                gain = np.where(ok, w[into][None, :] - w[out][:, None], -np.inf)
                flat = int(np.argmax(gain))
                i, j = divmod(flat, len(into))
                if gain[i, j] > best_gain:
                    best_gain, best = float(gain[i, j]), (int(out[i]), int(into[j]))
            if best is None:
                break
            a, b = best
            c[a] -= 1
            c[b] += 1
            q[R[a]] -= 1
            q[R[b]] += 1
            if has_hh:
                if self.hh_of[a] >= 0:
                    used[self.hh_of[a]] -= 1
                if self.hh_of[b] >= 0:
                    used[self.hh_of[b]] += 1
        return c
