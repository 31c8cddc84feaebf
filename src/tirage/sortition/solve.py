"""Entry point of the sortition engine: ``solve(instance, objective=...)``.

Objectives (see each module for the paper it implements):

* ``"leximin"`` (default): Flanigan et al., Nature 2021 - ``leximin``;
* ``"maximin"``: only the first LEXIMIN round (the largest possible minimum);
* ``"goldilocks"``: Baharav & Flanigan 2024 - ``goldilocks``;
* ``"legacy"``: the former greedy procedure, Monte-Carlo estimate - ``legacy``
  (benchmarks only, never for a real draw).

All exact objectives work over types of interchangeable people (``symmetry``)
and their result stays over types (``SolveResult.types``): the lottery is
rounded over types and people are assigned by a published rotation
(``rotation``), and the invariants are checked on types and counts. Panels of
people (``SolveResult.distribution``) are made only on demand, for display and
the ``solve`` command's JSON (``expand``), never for a lottery. Every result
carries its ``invariants`` (``invariants``) and ``warnings``. The chain from a
solve to a published lottery is ``pipeline.prepare_lottery``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NoReturn

import numpy as np

from tirage.sortition.choices import check_objective, check_pricing
from tirage.sortition.errors import InfeasibleError, SortitionError
from tirage.sortition.expand import expand_to_people
from tirage.sortition.feasibility import FeasibilityReport, check, simple_reasons
from tirage.sortition.goldilocks import goldilocks_types
from tirage.sortition.invariants import InvariantCheck, check_invariants
from tirage.sortition.legacy import legacy_monte_carlo
from tirage.sortition.leximin import Stats, leximin_types
from tirage.sortition.model import NO_PROGRESS, Distribution, Instance, Progress
from tirage.sortition.pricing import make_oracle
from tirage.sortition.symmetry import TypeModel, build_type_model

__all__ = ["solve", "SolveResult", "TypeDistribution", "gini"]


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of a vector of probabilities (0 = all equal; 0 for an all-zero vector)."""
    x = np.sort(np.asarray(list(values), dtype=float))
    n = len(x)
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ x / (n * x.sum()))


@dataclass(frozen=True)
class TypeDistribution:
    """A distribution over type panels: ``model`` (the types), ``columns`` ``int64 (S, T)``
    (each a valid panel of types), ``weights`` ``(S,)`` summing to 1 and ``type_probs``
    ``(T,)`` (the selection probability of each member of each type)."""

    model: TypeModel
    columns: np.ndarray
    weights: np.ndarray
    type_probs: np.ndarray


@dataclass
class SolveResult:
    """The outcome of ``solve``.

    * ``types``: the distribution over type panels (exact objectives), ``None`` for LEGACY;
    * ``distribution``: panels of person ids and their probabilities (for a result over
      types, expanded on first access by ``expand.expand_to_people``: display only, it can
      be very large; the lottery never uses it);
    * ``probabilities``: selection probability of every pool member (id -> float in [0, 1]);
    * ``min_probability`` / ``max_probability``: extremes of ``probabilities``;
    * ``algorithm``: e.g. ``"leximin/highs"``; ``seconds``: wall time of the solve;
    * ``invariants``: ``InvariantCheck`` list; ``warnings``: English sentences;
    * ``support_size``: number of panels; ``gini``: Gini coefficient of ``probabilities``;
    * ``stats``: solver counters (rounds, pricing calls, columns, types...);
    * ``proven``: False when ``time_limit`` stopped LEXIMIN (or maximin) before its
      proof, or (without ``time_limit``) an exact pricing stopped at
      ``leximin.PRICING_TIME_LIMIT`` without proving its round: the distribution is the best found, *not* proven optimal, and ``gap``
      (> 0) bounds how much the smallest unsettled probability could still rise.
    """

    seats: int
    probabilities: dict[str, float]
    algorithm: str
    seconds: float
    invariants: list[InvariantCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    maximin: float | None = None
    stats: Stats = field(default_factory=dict)
    proven: bool = True
    gap: float = 0.0
    types: TypeDistribution | None = None
    person_panels: Distribution | None = field(default=None, repr=False)

    @property
    def distribution(self) -> Distribution:
        """Panels of people and their weights (see the class doc)."""
        if self.person_panels is None:
            assert self.types is not None
            t = self.types
            self.person_panels = expand_to_people(t.model, t.columns, t.weights)
        return self.person_panels

    @property
    def min_probability(self) -> float:
        return min(self.probabilities.values())

    @property
    def max_probability(self) -> float:
        return max(self.probabilities.values())

    @property
    def support_size(self) -> int:
        """Panels of the distribution: type panels for a result over types."""
        if self.types is not None:
            return len(self.types.columns)
        return len(self.distribution.panels)

    @property
    def gini(self) -> float:
        return gini(list(self.probabilities.values()))

    @property
    def ok(self) -> bool:
        """True when every *required* invariant holds."""
        return all(c.ok for c in self.invariants if c.required)

    @property
    def failed_invariants(self) -> list[InvariantCheck]:
        """The *required* invariants that do not hold (empty when ``ok``)."""
        return [c for c in self.invariants if c.required and not c.ok]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: seats, algorithm, probabilities, min/max, gini, panels, seconds,
        invariants, warnings, stats.

        ``support_size`` counts type panels for a result over types, while ``panels``
        lists panels of people: for such a result they are expanded here
        (``distribution``), for display; on a large pool that list can be very long."""
        return {
            "seats": self.seats,
            "algorithm": self.algorithm,
            "seconds": round(self.seconds, 6),
            "probabilities": dict(self.probabilities),
            "min_probability": self.min_probability,
            "max_probability": self.max_probability,
            "maximin": self.maximin,
            "proven": self.proven,
            "gap": self.gap,
            "gini": self.gini,
            "support_size": self.support_size,
            "panels": [
                {"members": list(p), "probability": w}
                for p, w in zip(self.distribution.panels, self.distribution.weights, strict=True)
            ],
            "invariants": [c.to_json() for c in self.invariants],
            "warnings": list(self.warnings),
            "stats": {k: v for k, v in self.stats.items() if isinstance(v, (int, float, str))},
        }


def _infeasible(instance: Instance) -> Callable[[], NoReturn]:
    """A callable raising ``InfeasibleError`` with the feasibility report."""

    def fail() -> NoReturn:
        try:
            report: FeasibilityReport | None = check(instance)
        except SortitionError:  # the report is a courtesy; never mask the infeasibility
            report = None
        reasons = [r.message for r in report.reasons] if report else []
        raise InfeasibleError(
            "infeasible_quotas",
            "No panel satisfies the quotas" + (": " + "; ".join(reasons) if reasons else "."),
            report=report,
            reasons=reasons,
            reason_codes=[r.to_dict() for r in report.reasons] if report else [],
            relaxation=(
                report.relaxation.to_dict() if report is not None and report.relaxation else None
            ),
        )

    return fail


WARN_TOL = 1e-6
"""A probability is said above ``warn_above`` only beyond this: LEXIMIN's are exact to about
1e-9 (``CG_TOL + FIX_SLACK`` on the rounds), and 0.500000001 is one half, not « > 0.5 »."""


def solve(
    instance: Instance,
    *,
    objective: str = "leximin",
    pricing: str = "highs",
    progress: Progress = NO_PROGRESS,
    warn_above: float = 0.5,
    seed: int | None = None,
    gamma: float = 1.0,
    legacy_draws: int = 1000,
    time_limit: float | None = None,
) -> SolveResult:
    """Compute a distribution over valid panels for ``instance``.

    ``objective``: one of ``OBJECTIVES``; ``pricing``: ``"highs"`` (HiGHS MIP) or
    ``"cpsat"`` (OR-Tools CP-SAT) for the column-generation pricing step;
    ``warn_above``: a warning is added for anybody whose probability exceeds it;
    ``seed``: seeds LEGACY's Monte-Carlo (``numpy.random.default_rng(seed)``, 0 when None);
    exact objectives are deterministic and ignore it; ``gamma``: Goldilocks weight;
    ``legacy_draws``: Monte-Carlo sample size for LEGACY; ``time_limit``: seconds of
    wall time for LEXIMIN and maximin's column generation (``None``: none), after
    which the best distribution found is returned with ``proven=False``, its
    ``gap`` and a warning saying so (never silently).

    Raises ``InfeasibleError`` when no panel meets the quotas, with ``report``
    (the ``FeasibilityReport`` of ``feasibility.check``), ``params["reasons"]``
    (its English sentences), ``params["reason_codes"]`` (their codes and
    parameters) and ``params["relaxation"]`` (the smallest quota change that would
    work, as a dict, or None); raises ``InputError`` (codes ``unknown_objective``,
    ``unknown_pricing``) for an objective or pricing not in ``choices``.
    """
    check_objective(objective)
    check_pricing(pricing)
    proven, gap = True, 0.0
    notes: list[str] = []  # the solver's own sentences (e.g. LEXIMIN by rounds, not decomposed)
    start = time.perf_counter()
    infeasible = _infeasible(instance)
    if simple_reasons(instance):  # a sentence proves it: no solver needed
        infeasible()
    model = build_type_model(instance)
    oracle = make_oracle(model, pricing)
    types: TypeDistribution | None = None
    person_panels: Distribution | None = None
    if objective in ("leximin", "maximin", "goldilocks"):
        if objective == "goldilocks":
            sol = goldilocks_types(
                model, oracle, gamma=gamma, progress=progress, infeasible=infeasible
            )
        else:
            sol = leximin_types(
                model,
                oracle,
                rounds=1 if objective == "maximin" else None,
                progress=progress,
                stage=objective,
                infeasible=infeasible,
                time_limit=time_limit,
            )
            proven, gap = sol.proven, sol.gap
            notes = list(sol.notes)
        maximin, stats = sol.maximin, sol.stats
        type_probs = np.clip(np.asarray(sol.type_probs, dtype=float), 0.0, 1.0)
        types = TypeDistribution(model, sol.columns, sol.weights, type_probs)
        probabilities = {
            pid: float(type_probs[t]) for t, ids in enumerate(model.members) for pid in ids
        }
        probabilities = {i: probabilities[i] for i in instance.ids}
    else:
        if oracle.best(np.zeros(model.n_types)) is None:
            infeasible()
        rng = np.random.default_rng(0 if seed is None else seed)
        person_panels = legacy_monte_carlo(model, legacy_draws, rng)
        progress.update("legacy", legacy_draws, legacy_draws, "Monte-Carlo draws done")
        maximin, stats = None, {"draws": legacy_draws, "types": model.n_types}
        marg = person_panels.marginals(instance.ids)
        probabilities = {i: min(1.0, max(0.0, marg[i])) for i in instance.ids}
    seconds = time.perf_counter() - start
    if objective == "legacy":
        # the maximin optimum, for the (informative) comparison in the invariants
        maximin = leximin_types(model, oracle, rounds=1).maximin
    invariants = check_invariants(
        instance,
        model,
        probabilities,
        oracle,
        maximin,
        types=(types.columns, types.weights) if types is not None else None,
        distribution=person_panels,
        exact=objective != "legacy" and proven,  # not proven: optimality checks informative
        maximin_required=objective in ("leximin", "maximin"),
    )
    warnings = [
        f"{pid} has selection probability {p:.4f} > {warn_above}"
        for pid, p in probabilities.items()
        if p > warn_above + WARN_TOL
    ] + notes
    if not proven:
        # without a time limit, an exact pricing stopped at PRICING_TIME_LIMIT did it
        why = (
            f"the time limit ({time_limit:g} s) was reached"
            if time_limit is not None
            else "an exact pricing reached its own time limit before proving the round"
        )
        rise = f"the smallest unsettled probability could still rise by up to {gap:.2e}"
        if gap <= 1e-9:  # the walk's panels reached the relaxation's maximin: that level holds
            rise = "the smallest unsettled probability is the largest possible; the higher ones are not proven"
        warnings.insert(0, f"not proven {objective}: {why}; {rise}")
    return SolveResult(
        seats=instance.seats,
        probabilities=probabilities,
        algorithm=f"{objective}/{pricing}"
        + (f"/{legacy_draws} draws" if objective == "legacy" else ""),
        seconds=seconds,
        invariants=invariants,
        warnings=warnings,
        maximin=maximin,
        stats=stats,
        proven=proven,
        gap=gap,
        types=types,
        person_panels=person_panels,
    )
