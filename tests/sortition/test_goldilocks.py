"""Goldilocks (Baharav & Flanigan 2024): optimal on tiny instances, the trade-off on real ones."""

from __future__ import annotations

import pytest

from tirage.sortition.goldilocks import goldilocks_value
from tirage.sortition.solve import solve

from ._bruteforce import goldilocks_reference
from ._data import load
from ._tiny import TINY, make


@pytest.mark.parametrize("name", sorted(TINY))
def test_no_worse_than_a_brute_force_grid(name):
    instance = TINY[name]()
    result = solve(instance, objective="goldilocks")
    value = goldilocks_value(list(result.probabilities.values()), instance.seats)
    grid_best = goldilocks_reference(instance, grid=200)
    # the grid is an upper bound on the optimum; ours must match or beat it, and be close
    assert value <= grid_best + 1e-6
    assert value >= grid_best - 0.05 * grid_best
    assert result.ok, [c for c in result.invariants if not c.ok]


def test_goldilocks_beats_leximin_on_its_objective(civic, civic_leximin):
    instance = civic
    k = instance.seats
    results = {"goldilocks": solve(instance, objective="goldilocks"), "leximin": civic_leximin}
    values = {
        obj: goldilocks_value(list(r.probabilities.values()), k) for obj, r in results.items()
    }
    assert values["goldilocks"] <= values["leximin"] + 1e-9
    gold, lex = results["goldilocks"], results["leximin"]
    # LEXIMIN pushes a rare profile to certainty; Goldilocks caps the maximum far lower ...
    assert lex.max_probability == pytest.approx(1.0, abs=1e-6)
    assert gold.max_probability < 0.5
    assert not gold.warnings and lex.warnings
    # ... at the price of a lower minimum, reported (not required) in the invariants
    check = next(c for c in gold.invariants if c.name == "min_at_least_maximin")
    assert not check.required
    assert gold.min_probability <= lex.min_probability + 1e-9
    assert gold.ok


def test_uniform_instance_gives_exactly_k_over_n():
    result = solve(load("citizensassemblies_example_small_20"), objective="goldilocks")
    assert result.min_probability == pytest.approx(0.1, abs=1e-6)
    assert result.max_probability == pytest.approx(0.1, abs=1e-6)


def test_people_no_panel_can_hold_do_not_drag_the_minimum_to_zero():
    # the three b1 people (p1, p6, p7) are on every panel; p8 shares p1's household,
    # so p8 can never sit: Goldilocks must still balance everybody else (0.2 each)
    rows = [("a0", "b0"), ("a0", "b1"), ("a0", "b0"), ("a0", "b0"), ("a0", "b0"),
            ("a1", "b0"), ("a0", "b1"), ("a1", "b1"), ("a1", "b0")]  # fmt: skip
    households = [None, "h2", None, None, None, None, None, None, "h2"]
    instance = make(
        rows, [("fa", {"a0": (0, 3), "a1": (0, 2)}), ("fb", {"b0": (0, 1), "b1": (0, 3)})], 4,
        households,
    )  # fmt: skip
    result = solve(instance, objective="goldilocks")
    assert result.probabilities["p8"] == 0.0
    for pid in ("p0", "p2", "p3", "p4", "p5"):
        assert result.probabilities[pid] == pytest.approx(0.2, abs=1e-6)
    assert result.ok, [c for c in result.invariants if not c.ok]
