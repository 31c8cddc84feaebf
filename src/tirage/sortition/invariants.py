"""Checks run on every solver result, reported rather than asserted.

Each check returns an ``InvariantCheck(name, ok, detail)``; ``required`` is
False for checks that an objective is not meant to satisfy (e.g. LEGACY's
minimum against the maximin optimum): they are still computed and shown, as
information, and do not make the result invalid.

Tolerances: ``SUM_TOL = 1e-6`` on the sum of probabilities (= k) and on the
comparison with the maximin optimum; ``PROB_TOL = 1e-9`` for [0, 1] bounds and
for equal probabilities within a type.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tirage.sortition.model import Distribution, Instance
from tirage.sortition.pricing import PricingOracle
from tirage.sortition.symmetry import TypeModel

__all__ = ["InvariantCheck", "check_invariants", "SUM_TOL", "PROB_TOL"]

SUM_TOL = 1e-6
PROB_TOL = 1e-9


@dataclass(frozen=True)
class InvariantCheck:
    """``name``: stable code; ``ok``: passed; ``detail``: English sentence with the figures."""

    name: str
    ok: bool
    detail: str
    required: bool = True

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "ok": bool(self.ok),
            "required": bool(self.required),
            "detail": self.detail,
        }


def check_invariants(
    instance: Instance,
    model: TypeModel,
    probabilities: dict[str, float],
    oracle: PricingOracle,
    maximin: float | None,
    *,
    exact: bool,
    maximin_required: bool,
    types: tuple[np.ndarray, np.ndarray] | None = None,
    distribution: Distribution | None = None,
) -> list[InvariantCheck]:
    """All invariants of a result.

    The panels come either over types, ``types = (columns, weights)`` (``int64 (S, T)``
    and ``(S,)``: the exact objectives; checked on type counts, never on lists of
    people, so 30,000 people cost O(S·T)), or as panels of people, ``distribution``
    (LEGACY's Monte-Carlo panels); exactly one of them.
    ``exact`` is False for Monte-Carlo (LEGACY) results and for results a time limit
    stopped before their proof (``SolveResult.proven`` False), which makes within-type
    equality and "zero only if impossible" informative only; ``maximin_required``
    says whether the objective promises ``min p >= maximin`` (LEXIMIN, maximin).
    Solves one integer program (``oracle.can_include``) per type at probability 0 when
    ``exact``; otherwise stops at the first type at 0 that could be on a panel.
    """
    if (types is None) == (distribution is None):
        raise ValueError("give the panels either over types or as panels of people")
    checks: list[InvariantCheck] = []
    k = instance.seats
    p = np.array([probabilities[i] for i in instance.ids])
    total = float(p.sum())
    checks.append(
        InvariantCheck(
            "sum_is_seats",
            abs(total - k) <= SUM_TOL,
            f"sum of probabilities {total:.9f}, seats {k}",
        )
    )
    low, high = float(p.min()), float(p.max())
    checks.append(
        InvariantCheck(
            "within_unit_interval",
            low >= -PROB_TOL and high <= 1 + PROB_TOL,
            f"probabilities in [{low:.9f}, {high:.9f}]",
        )
    )
    if types is not None:
        columns, weights = np.asarray(types[0], dtype=np.int64), np.asarray(types[1], float)
        # Interchangeable people make every panel with these counts equally valid:
        # one check per type panel (TypeModel.counts_violations).
        bad = [why[0] for c in columns if (why := model.counts_violations(c))]
        n_panels, unit = len(columns), "type panels"
        type_marg = (weights @ columns) / model.sizes
        gap = max(
            (
                abs(float(type_marg[t]) - probabilities[ids[0]])
                for t, ids in enumerate(model.members)
            ),
            default=0.0,
        )
    else:
        assert distribution is not None
        weights = np.array(distribution.weights)
        bad = [why[0] for panel in distribution.panels if (why := instance.panel_violations(panel))]
        n_panels, unit = len(distribution.panels), "panels"
        marg = distribution.marginals(instance.ids)
        gap = max(abs(marg[i] - probabilities[i]) for i in instance.ids)
    checks.append(
        InvariantCheck(
            "weights_are_distribution",
            bool((weights >= 0).all()) and abs(weights.sum() - 1) <= PROB_TOL,
            f"{n_panels} {unit}, weights sum to {weights.sum():.12f}",
        )
    )
    checks.append(
        InvariantCheck(
            "panels_valid",
            not bad,
            f"all {n_panels} {unit} meet quotas and households"
            if not bad
            else f"{len(bad)} invalid panel(s), e.g. {bad[0]}",
        )
    )
    checks.append(
        InvariantCheck(
            "marginals_match", gap <= PROB_TOL, f"largest gap panels vs probabilities {gap:.2e}"
        )
    )
    spread = 0.0
    for members in model.members:
        vals = [probabilities[i] for i in members]
        spread = max(spread, max(vals) - min(vals))
    checks.append(
        InvariantCheck(
            "interchangeable_equal",
            spread <= PROB_TOL,
            f"largest probability spread inside a type of interchangeable people {spread:.2e}",
            required=exact,
        )
    )
    type_of = model.type_of()
    zero_types = sorted({type_of[i] for i in instance.ids if probabilities[i] <= PROB_TOL})
    at_zero = sum(len(model.members[t]) for t in zero_types)
    if exact:
        wrongly_zero = [model.members[t][0] for t in zero_types if oracle.can_include(t)]
        found = f"{len(wrongly_zero)} type(s) at 0 could be on a panel"
    else:
        # Informative only (a time limit, Monte-Carlo): one counterexample is enough.
        # Checking every type at 0 would solve one integer program per type after the
        # time limit (3,140 of them, minutes, on a 30,000-person pool stopped early).
        first = next((t for t in zero_types if oracle.can_include(t)), None)
        wrongly_zero = [] if first is None else [model.members[first][0]]
        found = (
            f"{at_zero} people in {len(zero_types)} type(s) at 0, at least one type"
            " could be on a panel (not every type checked: the result is not exact)"
        )
    checks.append(
        InvariantCheck(
            "zero_only_if_impossible",
            not wrongly_zero,
            (
                f"{at_zero} people at 0, none could sit on a valid panel"
                if not wrongly_zero
                else f"{found}, e.g. {wrongly_zero[0]}"
            ),
            required=exact,
        )
    )
    if maximin is not None:
        checks.append(
            InvariantCheck(
                "min_at_least_maximin",
                low >= maximin - SUM_TOL,
                f"min probability {low:.9f}, maximin optimum {maximin:.9f}",
                required=maximin_required,
            )
        )
    return checks
