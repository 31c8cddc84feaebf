"""The engine's one pipeline from a pool to a public lottery: solve → round → bundle.

``prepare_lottery`` is what ``tirage sortition lottery`` and the web app's
``draws.services.prepare_draw`` both call; neither chains the steps itself.

1. ``choices.check_lottery``: the objective may drive a public lottery and the
   lottery has 1000 or 10000 panels;
2. ``solve.solve``: the fair distribution over panels (raises
   ``InfeasibleError`` with the feasibility report when no panel meets the quotas);
   a result breaking a required invariant is refused, never published;
3. ``rotation.round_types``: the uniform lottery over ``m`` panels (Flanigan,
   Kehne and Procaccia 2021), rounded over type panels, people assigned to the
   slots of their type by the published rotation (``docs/draw-protocol.md`` §1):
   O(m·seats) work whatever the pool's size;
4. ``bundle.make_bundle``: the public bundle and its commitment, to write
   (``Bundle.write``) and announce before the draw.

Deterministic: the same instance and options give the same bundle, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tirage.sortition.bundle import Bundle, make_bundle
from tirage.sortition.choices import check_lottery
from tirage.sortition.errors import SortitionError
from tirage.sortition.model import NO_PROGRESS, Instance, Progress
from tirage.sortition.rotation import round_types
from tirage.sortition.rounding import Lottery
from tirage.sortition.solve import SolveResult, solve

__all__ = ["PreparedLottery", "prepare_lottery"]


@dataclass(frozen=True)
class PreparedLottery:
    """Everything a public draw needs, computed once.

    * ``instance``: the pool, features, quotas and seats;
    * ``solution``: the solver's result (probabilities, invariants, warnings, time);
    * ``lottery``: the rounded lottery over ``m`` panels (each person's count, largest change);
    * ``bundle``: the public bundle (``bundle.commitment`` is announced before the draw).
    """

    instance: Instance
    solution: SolveResult
    lottery: Lottery
    bundle: Bundle

    @property
    def commitment(self) -> str:
        """The bundle's commitment: 64 lowercase hex digits (SHA-256)."""
        return self.bundle.commitment

    @property
    def min_probability(self) -> float:
        """The smallest selection probability in the lottery (``count / m``)."""
        return min(self.lottery.marginals.values(), default=0.0)


def prepare_lottery(
    instance: Instance,
    *,
    panels: int = 1000,
    objective: str = "leximin",
    pricing: str = "highs",
    metadata: Mapping[str, str] | None = None,
    progress: Progress = NO_PROGRESS,
) -> PreparedLottery:
    """Solve ``instance``, round to a lottery of ``panels`` panels and make its bundle.

    ``objective``: one of ``choices.LOTTERY_OBJECTIVES``; ``panels``: one of
    ``choices.LOTTERY_SIZES``; ``pricing``: one of ``choices.PRICINGS``;
    ``metadata``: free text stored in the bundle (title, council, city…), part of the
    commitment; ``progress`` receives the solver's stages, then ``"rounding"``.

    Raises ``InputError`` (codes of ``choices.check_lottery``) before any
    computation; ``InfeasibleError`` (code ``infeasible_quotas``, with ``report``)
    when no panel meets the quotas; ``SortitionError`` (code ``invariants_failed``,
    ``params["failed"]`` the checks' names) when the solver's result breaks a
    required invariant.

    No time limit is given to the solver, but an exact pricing stopped at
    ``leximin.PRICING_TIME_LIMIT`` can leave the result not proven
    (``solution.proven`` False): the lottery is still made, from the best
    distribution found, and the bundle's ``algorithm`` then ends with
    ``", not proven (gap …)"`` (part of the commitment), beside the solver's warning.
    """
    check_lottery(objective, panels)
    solution = solve(instance, objective=objective, pricing=pricing, progress=progress)
    failed = solution.failed_invariants
    if failed:
        raise SortitionError(
            "invariants_failed",
            "the solver's result breaks required invariants, no lottery made: "
            + "; ".join(f"{c.name} ({c.detail})" for c in failed),
            failed=[c.name for c in failed],
        )
    progress.update("rounding", 0, 1, f"rounding to a lottery over {panels} panels")
    types = solution.types
    assert types is not None  # every lottery objective solves over types
    lottery = round_types(types.model, types.columns, types.weights, panels)
    progress.update("rounding", 1, 1, f"largest change of a probability {lottery.max_change:.6f}")
    algorithm = solution.algorithm
    if not solution.proven:  # never silently: the public bundle says so
        algorithm += f", not proven (gap {solution.gap:.2e})"
    bundle = make_bundle(
        instance, lottery, objective=objective, algorithm=algorithm, metadata=metadata
    )
    return PreparedLottery(instance, solution, lottery, bundle)
