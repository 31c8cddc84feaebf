"""What a caller of the engine chooses, listed once: objective, pricing, lottery size.

The CLI's options, the web app's draw form checks and the engine's own
validation all read these tuples. Pure Python, so that the CLI can build its
parser without importing numpy or the solver.
"""

from __future__ import annotations

from tirage.sortition.errors import InputError

__all__ = [
    "OBJECTIVES",
    "LOTTERY_OBJECTIVES",
    "PRICINGS",
    "LOTTERY_SIZES",
    "check_objective",
    "check_pricing",
    "check_lottery",
]

OBJECTIVES = ("leximin", "goldilocks", "maximin", "legacy")
"""What ``solve`` can compute (see ``docs/sortition-solve.md``)."""

LOTTERY_OBJECTIVES = ("leximin", "goldilocks")
"""What a public lottery may be built from. ``maximin`` leaves every probability
but the smallest to the LP's basic solution, and ``legacy`` is a Monte-Carlo
estimate of the former greedy method, kept for comparison: neither is fair
enough to publish."""

PRICINGS = ("highs", "cpsat")
"""Pricing oracles of the column generation: HiGHS MIP, or OR-Tools CP-SAT (optional)."""

LOTTERY_SIZES = (1000, 10000)
"""Panels in a public lottery: three or four ten-sided dice give the index."""

_NOT_FOR_LOTTERY = {
    "maximin": "it only raises the smallest probability and leaves the others arbitrary",
    "legacy": "it is a Monte-Carlo baseline of the former greedy method, for comparison only",
}


def check_objective(objective: str) -> None:
    """Raise ``InputError`` (code ``unknown_objective``) unless ``objective`` is in ``OBJECTIVES``."""
    if objective not in OBJECTIVES:
        raise InputError(
            "unknown_objective",
            f"unknown objective {objective!r} (expected one of {', '.join(OBJECTIVES)})",
            value=objective,
        )


def check_pricing(pricing: str) -> None:
    """Raise ``InputError`` (code ``unknown_pricing``) unless ``pricing`` is in ``PRICINGS``."""
    if pricing not in PRICINGS:
        raise InputError(
            "unknown_pricing",
            f"unknown pricing {pricing!r} (expected one of {', '.join(PRICINGS)})",
            value=pricing,
        )


def check_lottery(objective: str, panels: int) -> None:
    """Raise ``InputError`` unless a public lottery may use ``objective`` and ``panels``.

    Codes: ``unknown_objective``, ``objective_not_for_lottery`` (with the reason),
    ``bad_lottery_size`` (``panels`` not in ``LOTTERY_SIZES``).
    """
    check_objective(objective)
    if objective not in LOTTERY_OBJECTIVES:
        raise InputError(
            "objective_not_for_lottery",
            f"a public lottery cannot use the {objective} objective: "
            f"{_NOT_FOR_LOTTERY.get(objective, 'not fair enough')}; "
            f"use {' or '.join(LOTTERY_OBJECTIVES)}",
            value=objective,
        )
    if panels not in LOTTERY_SIZES:
        raise InputError(
            "bad_lottery_size",
            f"a public lottery has {' or '.join(map(str, LOTTERY_SIZES))} panels "
            f"(3 or 4 ten-sided dice), not {panels}",
            value=panels,
        )
