"""Reserve lists: who replaces a panel member who withdraws.

Rules (specified in ``docs/draw-protocol.md``):

* **Reserve key** of a person: ``SHA-256(commitment + ":" + label + ":reserve:" + id)``
  in lowercase hex, where ``label`` is ``randomness_label`` of the draw
  (``"dice=427"`` or ``"seed=<text>"``). It is fixed by the public randomness,
  unknown before the draw.
* **Global reserve order**: the people of the pool not on the panel, by
  ascending reserve key (ties, impossible in practice, by id).
* **Seat reserve** for member ``s``: the non-selected people ``c`` such that the
  panel with ``c`` in place of ``s`` still meets every quota and household rule,
  ordered by (1) ``c`` has exactly ``s``'s feature values, then (2) more features
  in common with ``s``, then (3) the global reserve order.
* **Several withdrawals** (``replacements``): the residual quotas (quotas minus
  what the staying members already fill) are recomputed and the first valid set
  in the global reserve order (lexicographically smallest positions) is chosen.

Pure Python; no solver.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tirage.sortition.errors import InfeasibleError, InputError
from tirage.sortition.model import Instance, Person

__all__ = [
    "Reserve",
    "reserve_key",
    "reserve_order",
    "seat_reserves",
    "build_reserve",
    "replacements",
]

SEARCH_BUDGET = 2_000_000


@dataclass(frozen=True)
class Reserve:
    """Reserve of a drawn panel.

    ``order``: the non-selected ids in calling order; ``seats``: member id → that
    seat's valid replacements, best first.
    """

    order: tuple[str, ...]
    seats: dict[str, tuple[str, ...]]

    def to_json(self) -> dict[str, Any]:
        return {"order": list(self.order), "seats": {k: list(v) for k, v in self.seats.items()}}


def reserve_key(commitment: str, label: str, person_id: str) -> str:
    """Hex SHA-256 of ``commitment:label:reserve:person_id`` (UTF-8)."""
    text = f"{commitment}:{label}:reserve:{person_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reserve_order(
    pool_ids: Sequence[str], panel: Sequence[str], commitment: str, label: str
) -> tuple[str, ...]:
    """Non-selected ids of ``pool_ids`` sorted by ascending ``reserve_key`` (then id)."""
    chosen = set(panel)
    rest = [i for i in pool_ids if i not in chosen]
    return tuple(sorted(rest, key=lambda i: (reserve_key(commitment, label, i), i)))


def _counts(instance: Instance, members: Sequence[Person]) -> dict[tuple[str, str], int]:
    counts = {(f, v): 0 for f, v, _ in instance.quota_items()}
    for person in members:
        for feature in instance.features:
            counts[(feature.name, person.values[feature.name])] += 1
    return counts


def seat_reserves(
    instance: Instance, panel: Sequence[str], order: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """For each member of ``panel`` (in panel order), the valid replacements, best first.

    ``order`` is the global reserve order (``reserve_order``). A candidate ``c`` is
    valid for seat ``s`` when ``panel - {s} + {c}`` meets every quota and no two
    of its members share a household. Raises ``InputError`` for unknown ids.
    """
    by_id = {p.id: p for p in instance.people}
    for pid in [*panel, *order]:
        if pid not in by_id:
            raise InputError("unknown_id", f"unknown id {pid!r}", value=pid)
    members = [by_id[i] for i in panel]
    base = _counts(instance, members)
    households: dict[str, int] = {}
    for person in members:
        if person.household:
            households[person.household] = households.get(person.household, 0) + 1
    names = [f.name for f in instance.features]
    profile = {pid: tuple(by_id[pid].values[f] for f in names) for pid in [*panel, *order]}
    result: dict[str, tuple[str, ...]] = {}
    for s in members:
        mine = profile[s.id]
        quota_ok: dict[tuple[str, ...], bool] = {}  # depends only on the candidate's profile
        ranked = []
        for position, cid in enumerate(order):
            c = by_id[cid]
            if c.household:
                others = households.get(c.household, 0) - (1 if s.household == c.household else 0)
                if others > 0:
                    continue
            theirs = profile[cid]
            ok = quota_ok.get(theirs)
            if ok is None:
                counts = dict(base)
                for f, a, b in zip(names, mine, theirs, strict=True):
                    counts[(f, a)] -= 1
                    counts[(f, b)] += 1
                ok = quota_ok[theirs] = not instance.rules.quota_violations(counts)
            if not ok:
                continue
            common = sum(1 for a, b in zip(mine, theirs, strict=True) if a == b)
            ranked.append((common != len(names), -common, position, cid))
        ranked.sort()
        result[s.id] = tuple(r[3] for r in ranked)
    return result


def build_reserve(instance: Instance, panel: Sequence[str], commitment: str, label: str) -> Reserve:
    """Global order and seat reserves for the drawn ``panel`` (see module doc)."""
    order = reserve_order(instance.ids, panel, commitment, label)
    return Reserve(order=order, seats=seat_reserves(instance, panel, order))


def replacements(
    instance: Instance,
    current_panel: Sequence[str],
    leaving_ids: Sequence[str],
    reserve_order: Sequence[str],
) -> list[str]:
    """Replace the members ``leaving_ids`` of ``current_panel`` (k' ids) by k' reserve people.

    One member leaving (the usual case, and the product's: one offer at a time): the
    first person of their **seat reserve** computed on ``current_panel``
    (``seat_reserves``: valid candidates, most agreeing features first, then
    ``reserve_order``), so that the person called is the one the published seat list
    names when ``current_panel`` is the drawn panel. Several leaving at once: the
    first valid set in ``reserve_order`` (``first_valid_set``). Same errors as
    ``first_valid_set``; returns ids as it does.
    """
    if len(leaving_ids) == 1 and leaving_ids[0] in current_panel:
        on_panel = set(current_panel)
        order = [pid for pid in reserve_order if pid not in on_panel]
        by_id = {p.id: p for p in instance.people}
        if (
            all(pid in by_id for pid in [*current_panel, *order])
            and len(on_panel) == len(current_panel) == instance.seats
        ):
            ranked = seat_reserves(instance, list(current_panel), order)[leaving_ids[0]]
            if ranked:
                return [ranked[0]]
    return first_valid_set(instance, current_panel, leaving_ids, reserve_order)


def first_valid_set(
    instance: Instance,
    current_panel: Sequence[str],
    leaving_ids: Sequence[str],
    reserve_order: Sequence[str],
) -> list[str]:
    """Replace the members ``leaving_ids`` of ``current_panel`` (k' ids) by k' reserve people.

    The residual quotas are recomputed: for every (feature, value),
    ``[max(0, min - staying), max - staying]`` where ``staying`` counts the members
    who stay. The result is the first valid set in ``reserve_order`` (comparing
    the sorted positions lexicographically): it meets the residual quotas, and
    nobody shares a household with a staying member or another newcomer.
    People on ``current_panel`` (leaving or staying) are never picked. Returns
    the ids in reserve order.

    Raises ``InputError`` when a leaving id is not on the panel, an id is
    unknown, or the panel does not have ``seats`` distinct members;
    ``InfeasibleError`` (``params["reasons"]``) when no valid set exists or the
    search exceeds ``SEARCH_BUDGET`` nodes.
    """
    by_id = {p.id: p for p in instance.people}
    panel = list(current_panel)
    for pid in panel:
        if pid not in by_id:
            raise InputError("unknown_id", f"unknown panel member {pid!r}", value=pid)
    if len(set(panel)) != len(panel) or len(panel) != instance.seats:
        raise InputError(
            "bad_panel",
            f"the current panel must have {instance.seats} distinct members, "
            f"got {len(panel)} ids ({len(set(panel))} distinct)",
        )
    leaving = list(dict.fromkeys(leaving_ids))
    for pid in leaving:
        if pid not in panel:
            raise InputError("not_on_panel", f"{pid!r} is not on the current panel", value=pid)
    need = len(leaving)
    if need == 0:
        return []
    staying = [by_id[i] for i in panel if i not in set(leaving)]
    taken_households = {p.household for p in staying if p.household}
    counts0 = _counts(instance, staying)
    items = list(instance.quota_items())
    lo = {(f, v): max(0, q.min - counts0[(f, v)]) for f, v, q in items}
    hi = {(f, v): q.max - counts0[(f, v)] for f, v, q in items}
    over = [
        f"{f}={v}: the {len(staying)} staying members already hold {counts0[(f, v)]} > max {q.max}"
        for f, v, q in items
        if hi[(f, v)] < 0
    ]
    if over:
        raise InfeasibleError("no_replacement", "cannot replace: " + "; ".join(over), reasons=over)

    on_panel = set(panel)
    cands: list[Person] = []
    for cid in dict.fromkeys(reserve_order):
        if cid not in by_id:
            raise InputError("unknown_id", f"unknown id in reserve order {cid!r}", value=cid)
        c = by_id[cid]
        if cid in on_panel or (c.household and c.household in taken_households):
            continue
        cands.append(c)

    names = [f.name for f in instance.features]
    keys = [[(f, c.values[f]) for f in names] for c in cands]
    # suffix[i][key] = number of candidates from position i on having that value
    suffix: list[dict[tuple[str, str], int]] = [dict.fromkeys(lo, 0) for _ in range(len(cands) + 1)]
    for i in range(len(cands) - 1, -1, -1):
        suffix[i] = dict(suffix[i + 1])
        for key in keys[i]:
            suffix[i][key] += 1
    by_feature = {f: [(f, v) for ff, v, _ in items if ff == f] for f in names}

    cnt = dict.fromkeys(lo, 0)
    chosen: list[int] = []
    households: set[str] = set()
    nodes = 0

    def promising(pos: int, left: int) -> bool:
        if left > len(cands) - pos:
            return False
        for f in names:
            missing = 0
            for key in by_feature[f]:
                gap = lo[key] - cnt[key]
                if gap > 0:
                    if gap > suffix[pos][key]:
                        return False
                    missing += gap
            if missing > left:
                return False
        return True

    def search(pos: int) -> bool:
        nonlocal nodes
        left = need - len(chosen)
        if left == 0:
            return all(cnt[k] >= lo[k] for k in lo)
        if not promising(pos, left):
            return False
        for i in range(pos, len(cands) - left + 1):
            nodes += 1
            if nodes > SEARCH_BUDGET:
                raise InfeasibleError(
                    "replacement_search_too_large",
                    f"the search for {need} replacements exceeded {SEARCH_BUDGET} steps",
                    reasons=["search too large"],
                )
            c = cands[i]
            if c.household and c.household in households:
                continue
            if any(cnt[k] + 1 > hi[k] for k in keys[i]):
                continue
            for k in keys[i]:
                cnt[k] += 1
            chosen.append(i)
            if c.household:
                households.add(c.household)
            if search(i + 1):
                return True
            chosen.pop()
            if c.household:
                households.discard(c.household)
            for k in keys[i]:
                cnt[k] -= 1
        return False

    if not search(0):
        reasons = [
            f"{f}={v}: need {lo[(f, v)]} to {hi[(f, v)]} more among the newcomers, "
            f"{suffix[0][(f, v)]} available in the reserve"
            for f, v, _ in items
            if lo[(f, v)] > 0
        ] or ["not enough people in the reserve meet the quotas and household rules"]
        raise InfeasibleError(
            "no_replacement",
            f"no {need} people of the reserve can replace {', '.join(leaving)} within the quotas: "
            + "; ".join(reasons),
            reasons=reasons,
        )
    return [cands[i].id for i in chosen]
