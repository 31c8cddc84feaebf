"""Transparent rounding of a panel distribution to a uniform lottery (FKP 2021)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.sortition.errors import InputError
from tirage.sortition.model import Distribution
from tirage.sortition.rounding import round_distribution


def test_three_panels_of_a_triangle_hand_checked():
    # Panels ab, ac, bc with weight 1/3 each, m = 10: 3.33 units each; the one
    # unit left goes to the canonical first panel (a, b). Then a and b are on
    # 7 of 10 panels, c on 6; the original marginals are 2/3. Moving a unit
    # cannot lower the largest change (2/3 of a unit = 1/15).
    dist = Distribution((("b", "c"), ("a", "c"), ("a", "b")), (1 / 3, 1 / 3, 1 / 3))
    lottery = round_distribution(dist, 10)
    assert lottery.counts == {("a", "b"): 4, ("a", "c"): 3, ("b", "c"): 3}
    assert lottery.panels == (("a", "b"),) * 4 + (("a", "c"),) * 3 + (("b", "c"),) * 3
    assert lottery.selections == {"a": 7, "b": 7, "c": 6}
    assert lottery.probability("c") == Fraction(3, 5)
    assert lottery.max_change == pytest.approx(1 / 15)
    # D = 2/3 unit moved; every person is on 2 support panels: bound min(2, 2/3)/10.
    assert lottery.bound == pytest.approx(1 / 15)


def test_exact_weights_are_kept():
    dist = Distribution((("a", "b"), ("c", "d")), (0.25, 0.75))
    lottery = round_distribution(dist, 1000, ids=["a", "b", "c", "d", "e"])
    assert lottery.counts == {("a", "b"): 250, ("c", "d"): 750}
    assert lottery.max_change == 0.0
    assert lottery.selections["e"] == 0


def test_duplicate_panels_merge_and_unsorted_members():
    dist = Distribution((("b", "a"), ("a", "b"), ("c", "d")), (0.2, 0.3, 0.5))
    lottery = round_distribution(dist, 10)
    assert lottery.counts == {("a", "b"): 5, ("c", "d"): 5}


@pytest.mark.parametrize("m", [0, -5])
def test_bad_m(m):
    with pytest.raises(InputError):
        round_distribution(Distribution((("a",),), (1.0,)), m)


def test_empty_or_negative_weights():
    with pytest.raises(InputError):
        round_distribution(Distribution((("a",),), (0.0,)), 10)
    with pytest.raises(InputError):
        round_distribution(Distribution((("a",), ("b",)), (1.5, -0.5)), 10)


def test_local_search_improves_on_largest_remainder():
    rng = random.Random(7)
    ids = [f"p{i:03d}" for i in range(120)]
    panels = tuple(tuple(sorted(rng.sample(ids, 12))) for _ in range(80))
    raw = [rng.random() for _ in panels]
    dist = Distribution(panels, tuple(w / sum(raw) for w in raw))
    lottery = round_distribution(dist, 1000, ids=ids)
    assert lottery.max_change < lottery.largest_remainder_change
    assert lottery.max_change <= lottery.bound


@st.composite
def distributions(draw):
    n = draw(st.integers(2, 10))
    k = draw(st.integers(1, n))
    ids = [f"i{j}" for j in range(n)]
    panels = draw(
        st.lists(
            st.lists(st.sampled_from(ids), min_size=k, max_size=k, unique=True).map(
                lambda p: tuple(sorted(p))
            ),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    raw = draw(st.lists(st.integers(1, 10_000), min_size=len(panels), max_size=len(panels)))
    total = sum(raw)
    return ids, Distribution(tuple(panels), tuple(w / total for w in raw))


@settings(max_examples=200, deadline=None)
@given(distributions(), st.sampled_from([1, 7, 10, 1000, 10000]))
def test_rounding_properties(case, m):
    ids, dist = case
    lottery = round_distribution(dist, m, ids=ids)
    support = set(dist.panels)
    assert len(lottery.panels) == m
    assert sum(lottery.counts.values()) == m
    assert all(panel in support for panel in lottery.panels)
    assert list(lottery.panels) == sorted(lottery.panels)
    original = dist.marginals(ids)
    for pid in ids:
        count = sum(1 for panel in lottery.panels if pid in panel)
        assert lottery.selections[pid] == count
        change = abs(count / m - original[pid])
        assert change <= lottery.bounds[pid] + 1e-9
        assert change <= lottery.max_change + 1e-12
    assert lottery.max_change <= lottery.bound + 1e-12
    assert lottery.max_change <= lottery.largest_remainder_change + 1e-12
    # Deterministic, whatever the order the panels come in.
    again = round_distribution(
        Distribution(tuple(reversed(dist.panels)), tuple(reversed(dist.weights))), m, ids=ids
    )
    assert again.counts == lottery.counts


def test_exact_step_is_never_worse_and_proves_optimality_on_small_cases():
    rng = random.Random(3)
    ids = [f"p{i:02d}" for i in range(30)]
    panels = tuple(tuple(sorted(rng.sample(ids, 5))) for _ in range(12))
    raw = [rng.random() for _ in panels]
    dist = Distribution(panels, tuple(w / sum(raw) for w in raw))
    quick = round_distribution(dist, 100, ids=ids)
    exact = round_distribution(dist, 100, ids=ids, exact=True, time_limit=30)
    assert exact.method.endswith("integer program (optimal)")
    assert exact.max_change <= quick.max_change + 1e-12
    assert sum(exact.counts.values()) == 100
    assert set(exact.counts) <= set(panels)
    for pid in ids:
        assert abs(exact.marginals[pid] - exact.original[pid]) <= exact.bounds[pid] + 1e-9
