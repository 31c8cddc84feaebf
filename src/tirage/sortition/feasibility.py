"""Is there at least one valid panel? If not, why, and what is the smallest fix?

``check(instance)`` runs, in order:

1. **Simple explanations** (necessary conditions, each a sentence):
   pool smaller than seats; fewer distinct households than seats; a value with
   fewer people (or households) in the pool than its minimum; minimums of a
   feature adding up to more than the seats; maximums of a feature adding up
   to less than the seats; maximums capped by the pool adding up to less than
   the seats.
2. **Exact test**: an integer program (HiGHS) with the quotas, ``seats`` members
   and at most one person per household. It counts people per *type*
   (``symmetry.build_type_model``), which is much smaller than one variable per
   person; people sharing a household with someone else are types of one. The simple
   checks are not sufficient: features interact (e.g. every woman in the pool
   is over 65 and the quotas want young women).
3. **Smallest relaxation** when infeasible: new integer bounds
   ``min' <= min`` and ``max' >= max`` for every (feature, value), within
   ``min_flex``/``max_flex`` when given, minimising the total change
   ``sum(min - min') + sum(max' - max)`` such that a panel exists. Among the
   relaxations of that smallest total, a second solve spreads the change in
   proportion to the bounds (minimising about ``sum(change² / (bound + 1))``:
   raising two maxima of 16 by 6 each rather than one maximum of 1 by 12), and
   a third one breaks the remaining ties deterministically: raising a maximum
   is preferred to lowering a minimum (minimums guarantee a group's presence),
   and a quota listed later in the features file is changed rather than an
   earlier one. Changing quotas cannot fix a pool smaller than the seats or too
   few households: then ``relaxation`` is ``None``.

Never raises for infeasibility; raises ``SortitionError("solver_failed")`` only
if HiGHS gives up (``time_limit``).

Sources: the panel ILP is the standard one (one binary per person, or counts
per type as in Flanigan et al., "Fair algorithms for selecting citizens'
assemblies", Nature 596, 2021, Methods); ``min_flex``/``max_flex`` are the
Sortition Foundation's columns (``sortition-algorithms`` documentation). This
is an independent implementation: no code of the GPL peer was used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from tirage.sortition.milp import Milp, Status
from tirage.sortition.model import Feature, Instance, Person
from tirage.sortition.symmetry import TypeModel, build_type_model

__all__ = ["Reason", "QuotaChange", "Relaxation", "FeasibilityReport", "check", "simple_reasons"]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an instance is (or may be) infeasible: stable ``code``, ``params``, English ``message``.

    Codes: ``pool_smaller_than_seats``, ``households_fewer_than_seats``,
    ``value_below_min``, ``value_households_below_min``,
    ``minimums_above_seats``, ``maximums_below_seats``,
    ``reachable_below_seats``, ``no_panel``, ``no_relaxation``.
    """

    code: str
    params: dict[str, Any]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params, "message": self.message}


@dataclass(frozen=True, slots=True)
class QuotaChange:
    """One relaxed quota: normalised ``feature``/``value``, labels, old and new bounds (seats)."""

    feature: str
    value: str
    label: str
    old_min: int
    old_max: int
    new_min: int
    new_max: int

    @property
    def change(self) -> int:
        """Seats of loosening: ``(old_min - new_min) + (new_max - old_max)``, >= 1."""
        return (self.old_min - self.new_min) + (self.new_max - self.old_max)

    @property
    def message(self) -> str:
        """E.g. ``"secteur=nord: min 4 → 3 (−1)"`` or ``"... max 3 → 5 (+2)"``."""
        parts = []
        if self.new_min != self.old_min:
            parts.append(f"min {self.old_min} → {self.new_min} (−{self.old_min - self.new_min})")
        if self.new_max != self.old_max:
            parts.append(f"max {self.old_max} → {self.new_max} (+{self.new_max - self.old_max})")
        return f"{self.label}: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "value": self.value,
            "old_min": self.old_min,
            "old_max": self.old_max,
            "new_min": self.new_min,
            "new_max": self.new_max,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The smallest change of quotas making a panel possible.

    ``changes`` lists only the changed quotas, in features-file order;
    ``total`` is the sum of their ``change`` (seats).
    """

    changes: tuple[QuotaChange, ...]

    @property
    def total(self) -> int:
        return sum(c.change for c in self.changes)

    @property
    def message(self) -> str:
        return "; ".join(c.message for c in self.changes)

    def apply(self, instance: Instance) -> Instance:
        """The same instance with the relaxed quotas (flex limits kept)."""
        new = {(c.feature, c.value): c for c in self.changes}
        features = []
        for feature in instance.features:
            quotas = {}
            for value, quota in feature.quotas.items():
                change = new.get((feature.name, value))
                if change is not None:
                    quota = replace(quota, min=change.new_min, max=change.new_max)
                quotas[value] = quota
            features.append(replace(feature, quotas=quotas))
        return Instance(instance.people, tuple(features), instance.seats)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "changes": [c.to_dict() for c in self.changes]}


@dataclass
class FeasibilityReport:
    """Result of ``check``.

    ``feasible``: a valid panel exists (proved by the solver). ``reasons``:
    empty when feasible, else at least one ``Reason``. ``relaxation``: when
    infeasible, the smallest quota change that makes it feasible, or ``None``
    if no quota change can (pool or households too small, flex limits).
    ``example_panel``: when feasible, one valid panel (ids in pool order).
    """

    feasible: bool
    reasons: list[Reason] = field(default_factory=list)
    relaxation: Relaxation | None = None
    example_panel: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible,
            "reasons": [r.to_dict() for r in self.reasons],
            "relaxation": None if self.relaxation is None else self.relaxation.to_dict(),
            "example_panel": None if self.example_panel is None else list(self.example_panel),
        }

    def to_json(self) -> str:
        """JSON text of ``to_dict()`` (UTF-8 characters kept, keys in a stable order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Labels


def _feature_label(feature: Feature) -> str:
    return feature.label or feature.name


def _label(feature: Feature, value: str) -> str:
    return f"{_feature_label(feature)}={feature.value_labels.get(value, value)}"


# ---------------------------------------------------------------------------
# Simple explanations


def _household_count(people: Sequence[Person]) -> int:
    keys = {p.household for p in people if p.household}
    return len(keys) + sum(1 for p in people if not p.household)


def simple_reasons(instance: Instance) -> list[Reason]:
    """The necessary conditions of the module docstring that fail, in a fixed order.

    Any reason returned proves infeasibility; an empty list proves nothing.
    """
    k = instance.seats
    reasons: list[Reason] = []
    if instance.n < k:
        reasons.append(
            Reason(
                "pool_smaller_than_seats",
                {"pool": instance.n, "seats": k},
                f"the pool has {instance.n} people for {k} seats",
            )
        )
    has_households = any(p.household for p in instance.people)
    if has_households and instance.n >= k:
        households = _household_count(instance.people)
        if households < k:
            reasons.append(
                Reason(
                    "households_fewer_than_seats",
                    {"households": households, "seats": k},
                    f"only {households} distinct households in the pool for {k} seats "
                    "(at most one person per household)",
                )
            )
    counts = instance.counts()
    for feature in instance.features:
        for value, quota in feature.quotas.items():
            pool = counts[(feature.name, value)]
            params = {"feature": feature.name, "value": value, "min": quota.min, "pool": pool}
            if pool < quota.min:
                reasons.append(
                    Reason(
                        "value_below_min",
                        params,
                        f"{_label(feature, value)} needs at least {quota.min}, "
                        f"only {pool} in the pool",
                    )
                )
            elif has_households:
                members = [p for p in instance.people if p.values[feature.name] == value]
                households = _household_count(members)
                if households < quota.min:
                    reasons.append(
                        Reason(
                            "value_households_below_min",
                            {**params, "households": households},
                            f"{_label(feature, value)} needs at least {quota.min}, but its "
                            f"{pool} people in the pool live in only {households} "
                            f"household{'' if households == 1 else 's'}",
                        )
                    )
    for feature in instance.features:
        name = _feature_label(feature)
        mins = sum(q.min for q in feature.quotas.values())
        maxs = sum(q.max for q in feature.quotas.values())
        reachable = sum(min(q.max, counts[(feature.name, v)]) for v, q in feature.quotas.items())
        base = {"feature": feature.name, "seats": k}
        if mins > k:
            reasons.append(
                Reason(
                    "minimums_above_seats",
                    {**base, "sum": mins},
                    f"minimums of feature {name} add up to {mins} > {k} seats",
                )
            )
        if maxs < k:
            reasons.append(
                Reason(
                    "maximums_below_seats",
                    {**base, "sum": maxs},
                    f"maximums of feature {name} add up to {maxs} < {k} seats",
                )
            )
        elif reachable < k and instance.n >= k:
            reasons.append(
                Reason(
                    "reachable_below_seats",
                    {**base, "sum": reachable},
                    f"feature {name} can fill at most {reachable} < {k} seats "
                    "(per value, the smaller of its maximum and its people in the pool)",
                )
            )
    return reasons


# ---------------------------------------------------------------------------
# Integer programs


def _base_program(model: TypeModel) -> tuple[Milp, range]:
    """Columns: people chosen per type (``0 .. size``); rows: seats and households."""
    milp = Milp()
    x = milp.add_columns([float(size) for size in model.sizes])
    milp.add_row(list(x), [1] * len(x), model.seats, model.seats)
    for group in model.households:
        milp.add_row([x[t] for t in group], [1] * len(group), hi=1)
    return milp, x


def _quota_row(model: TypeModel, x: range, q: int) -> tuple[list[int], list[int]]:
    types = model.quota_rows[q].types
    return [x[t] for t in types], [1] * len(types)


def _panel(
    instance: Instance, model: TypeModel, solution: npt.NDArray[np.int64], x: range
) -> tuple[str, ...]:
    chosen = set(model.panel_of(solution[list(x)]))
    return tuple(pid for pid in instance.ids if pid in chosen)


def _find_panel(
    instance: Instance, model: TypeModel, time_limit: float | None
) -> tuple[str, ...] | None:
    milp, x = _base_program(model)
    for q, (_, _, quota) in enumerate(instance.quota_items()):
        indices, values = _quota_row(model, x, q)
        milp.add_row(indices, values, quota.min, quota.max)
    status, solution = milp.solve(time_limit=time_limit)
    if status is Status.INFEASIBLE:
        return None
    assert solution is not None
    return _panel(instance, model, solution, x)


def _find_relaxation(
    instance: Instance, model: TypeModel, time_limit: float | None
) -> Relaxation | None:
    k = instance.seats
    quotas = list(instance.quota_items())
    milp, x = _base_program(model)
    down_limits = [q.min - (q.min_flex or 0) for _, _, q in quotas]
    up_limits = [
        min(max(0, k - q.max), q.max_flex - q.max if q.max_flex is not None else k)
        for _, _, q in quotas
    ]
    down = milp.add_columns(down_limits)
    up = milp.add_columns(up_limits)
    for q, (_, _, quota) in enumerate(quotas):
        indices, values = _quota_row(model, x, q)
        milp.add_row(indices + [down[q]], values + [1], lo=quota.min)
        milp.add_row(indices + [up[q]], values + [-1], hi=quota.max)
    # Slack columns: decreases of mins (file order), then increases of maxes (file order).
    slack = list(down) + list(up)
    old_bounds = [q.min for _, _, q in quotas] + [q.max for _, _, q in quotas]

    def costs(pairs: Sequence[tuple[int, float]]) -> list[float]:
        vector = [0.0] * len(milp.upper)
        for column, value in pairs:
            vector[column] = value
        return vector

    # 1. Smallest total change.
    status, solution = milp.solve(costs([(v, 1.0) for v in slack]), time_limit)
    if status is Status.INFEASIBLE:
        return None
    assert solution is not None
    total = int(solution[slack].sum())
    milp.add_row(slack, [1] * len(slack), hi=total)

    # 2. Among those, spread the change in proportion to the bounds: the j-th seat
    #    of change on a bound b costs round(1000 (2j - 1) / (b + 1)), i.e. ~ change² / (b + 1),
    #    modelled with one 0/1 column per seat of change (costs increase, so they fill in order).
    pieces: list[tuple[int, float]] = []
    for v, old in zip(slack, old_bounds, strict=True):
        count = int(min(milp.upper[v], total))
        if count == 0:
            continue
        columns = milp.add_columns([1] * count)
        milp.add_row(list(columns) + [v], [1] * count + [-1], 0, 0)
        pieces += [(c, float(round(1000 * (2 * j + 1) / (old + 1)))) for j, c in enumerate(columns)]
    status, solution = milp.solve(costs(pieces), time_limit)
    assert status is Status.OPTIMAL and solution is not None
    spread = round(sum(cost * solution[c] for c, cost in pieces))
    milp.add_row([c for c, _ in pieces], [cost for _, cost in pieces], hi=spread)

    # 3. Deterministic tie-break: changing a min costs more than changing a max, and an
    #    earlier-listed quota more than a later one (squared ranks avoid symmetric ties).
    n = len(slack)
    ranked = [(v, float((n - rank) ** 2)) for rank, v in enumerate(slack)]
    status, solution = milp.solve(costs(ranked), time_limit)
    assert status is Status.OPTIMAL and solution is not None
    changes = []
    for q, (name, value, quota) in enumerate(quotas):
        d, u = int(solution[down[q]]), int(solution[up[q]])
        if d or u:
            feature = instance.feature(name)
            changes.append(
                QuotaChange(
                    name,
                    value,
                    _label(feature, value),
                    quota.min,
                    quota.max,
                    quota.min - d,
                    quota.max + u,
                )
            )
    return Relaxation(tuple(changes))


def check(instance: Instance, *, time_limit: float | None = None) -> FeasibilityReport:
    """Decide whether ``instance`` has a valid panel; explain and relax if not.

    ``instance``: any valid ``Instance`` (households honoured when set).
    ``time_limit``: seconds per solver call (``None``: no limit).
    Returns a ``FeasibilityReport``; see the module docstring for the steps.
    Deterministic for a given instance. Raises ``SortitionError("solver_failed")``
    only when HiGHS stops without an answer.
    """
    model = build_type_model(instance)
    reasons = simple_reasons(instance)
    if not reasons:
        panel = _find_panel(instance, model, time_limit)
        if panel is not None:
            return FeasibilityReport(True, [], None, panel)
    # Changing quotas cannot fix a pool (or its households) smaller than the seats.
    hopeless = any(
        r.code in ("pool_smaller_than_seats", "households_fewer_than_seats") for r in reasons
    )
    if hopeless:
        relaxation = None
    else:
        relaxation = _find_relaxation(instance, model, time_limit)
    if not reasons:
        suffix = f"; the smallest relaxation changes {relaxation.message}" if relaxation else ""
        reasons.append(
            Reason(
                "no_panel",
                {"relaxation": None if relaxation is None else relaxation.to_dict()},
                "no panel satisfies all quotas together" + suffix,
            )
        )
    if relaxation is None:
        reasons.append(
            Reason(
                "no_relaxation",
                {},
                "no change of quotas can make a panel possible: the pool needs more people "
                "(or households)"
                if hopeless
                else "no change of quotas within their limits (min_flex/max_flex) "
                "makes a panel possible",
            )
        )
    return FeasibilityReport(False, reasons, relaxation, None)
