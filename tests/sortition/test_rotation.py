"""The lottery rounded over types, people assigned by the published rotation (``rotation``)."""

from __future__ import annotations

import copy
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.sortition.bundle import compute_commitment, make_bundle
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.pipeline import prepare_lottery
from tirage.sortition.rotation import canonical_key, round_types
from tirage.sortition.rounding import round_distribution
from tirage.sortition.solve import solve
from tirage.sortition.symmetry import build_type_model
from tirage.sortition.verify import verify

from ._data import load
from ._tiny import TINY, with_households


def _lottery(instance: Instance, m: int):
    solution = solve(instance)
    types = solution.types
    assert types is not None
    return solution, round_types(types.model, types.columns, types.weights, m)


def _households_pair() -> Instance:
    """Two households of two identical people (same values), and six loners like them:
    the household members must be types of their own and never sit together."""
    rows = [("a", "x")] * 6 + [("b", "x")] * 4 + [("a", "y")] * 4
    households = ["h1", "h1", "h2", "h2"] + [None] * 10
    people = tuple(
        Person(f"p{i:02d}", {"zone": z, "age": a}, households[i]) for i, (z, a) in enumerate(rows)
    )
    features = (
        Feature("zone", {"a": Quota(2, 3), "b": Quota(1, 2)}),
        Feature("age", {"x": Quota(2, 4), "y": Quota(0, 2)}),
    )
    return Instance(people, features, 4)


CASES = [
    ("sortition_algorithms_fixture_150", lambda: load("sortition_algorithms_fixture_150")),
    ("civic_synth_400_k20", lambda: load("civic_synth_400_k20")),  # households across types
    ("households_pair", _households_pair),
    *TINY.items(),
]


@pytest.mark.parametrize(("name", "make"), CASES, ids=[c[0] for c in CASES])
def test_counts_within_a_type_differ_by_at_most_one_and_households_stay_apart(name, make):
    instance = make()
    model = build_type_model(instance)
    _, lottery = _lottery(instance, 1000)
    assert len(lottery.panels) == 1000
    for ids in model.members:
        counts = [lottery.selections[i] for i in ids]
        assert max(counts) - min(counts) <= 1, (name, ids)
        # the one more panel goes to the first members in id order (the rotation's start)
        assert counts == sorted(counts, reverse=True)
    household_of = {p.id: p.household for p in instance.people if p.household}
    for panel in set(lottery.panels):
        assert instance.panel_violations(panel) == [], (name, panel)
        keys = [household_of[i] for i in panel if i in household_of]
        shared = [k for k in keys if sum(1 for p in instance.people if p.household == k) > 1]
        assert len(shared) == len(set(shared)), (name, panel)
    # every probability is an exact count over m
    counted = Counter(i for panel in lottery.panels for i in panel)
    for pid in instance.ids:
        assert lottery.selections[pid] == counted[pid]
        assert lottery.probability(pid) == Fraction(counted[pid], 1000)
        assert lottery.marginals[pid] == counted[pid] / 1000
        assert abs(lottery.marginals[pid] - lottery.original[pid]) <= lottery.bounds[pid] + 1e-12
    assert lottery.max_change <= lottery.bound + 1e-12


def test_household_members_are_types_of_their_own():
    instance = _households_pair()
    model = build_type_model(instance)
    by_id = {p.id: p for p in instance.people}
    for ids in model.members:
        if len(ids) > 1:
            assert all(by_id[i].household is None for i in ids)
    assert model.households == ((0, 1), (2, 3))  # p00-p01 and p02-p03, first in id order
    _, lottery = _lottery(instance, 1000)
    for panel in lottery.panels:
        assert not {"p00", "p01"} <= set(panel)
        assert not {"p02", "p03"} <= set(panel)
    assert verify(make_bundle(instance, lottery, objective="leximin", algorithm="leximin/highs")).ok


def test_a_type_of_one_person_at_probability_one():
    instance = TINY["rare_profile"]()  # the only woman must sit on every panel
    _, lottery = _lottery(instance, 1000)
    assert lottery.selections["p0"] == 1000
    # the six men share 2000 slots (1/3 each): 334, 334, 333, 333, 333, 333
    assert sorted(lottery.selections[f"p{i}"] for i in range(1, 7)) == [333] * 4 + [334] * 2
    assert lottery.max_change == pytest.approx(2 / 3 / 1000)


def test_the_rotation_is_the_published_rule():
    # 3 people of one type, type panels needing 2 of them: p0 p1 | p2 p0 | p1 p2 | ...
    instance = Instance(
        tuple(Person(f"p{i}", {"g": "a"}) for i in range(3)),
        (Feature("g", {"a": Quota(2, 2)}),),
        2,
    )
    model = build_type_model(instance)
    lottery = round_types(model, np.array([[2]]), np.array([1.0]), 4)
    assert sorted(lottery.panels) == sorted(
        [("p0", "p1"), ("p0", "p2"), ("p1", "p2"), ("p0", "p1")]
    )
    assert lottery.selections == {"p0": 3, "p1": 3, "p2": 2}
    assert lottery.method.startswith("type-rotation/1")


def test_deterministic_bytes_whatever_the_order_of_the_type_panels():
    instance = load("sortition_algorithms_fixture_150")
    solution, lottery = _lottery(instance, 1000)
    types = solution.types
    assert types is not None
    order = np.random.default_rng(1).permutation(len(types.columns))
    again = round_types(types.model, types.columns[order], types.weights[order], 1000)
    first = make_bundle(instance, lottery, objective="leximin", algorithm="leximin/highs")
    second = make_bundle(instance, again, objective="leximin", algorithm="leximin/highs")
    assert first.to_bytes() == second.to_bytes()
    assert (
        prepare_lottery(instance).bundle.to_bytes() == prepare_lottery(instance).bundle.to_bytes()
    )
    keys = [canonical_key(c) for c in lottery.type_panels]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def _recommitted(data: dict) -> dict:
    data["commitment"] = compute_commitment(data)
    return data


def test_verify_detects_a_tampered_rotation():
    instance = load("sortition_algorithms_fixture_150")
    bundle = prepare_lottery(instance).bundle
    report = verify(bundle)
    assert report.ok and "rotation" in [name for name, _, _ in report.checks]
    model = build_type_model(instance)
    panels = bundle.panels
    # one person replaced by another of the same type on one panel: still a valid panel,
    # selections and max_change made consistent, committed again
    type_of = model.type_of()
    j, who = next(
        (j, i)
        for j, panel in enumerate(panels)
        for i in panel
        if len(model.members[type_of[i]]) > 2
    )
    other = next(i for i in model.members[type_of[who]] if i not in panels[j])
    data = copy.deepcopy(bundle.data)
    data["panels"][j] = sorted(other if i == who else i for i in panels[j])
    data["panels"].sort()
    data["selections"][who] -= 1
    data["selections"][other] += 1
    original = {k: float(v) for k, v in data["rounding"]["original_probabilities"].items()}
    change = max(abs(data["selections"][k] / 1000 - v) for k, v in original.items())
    data["rounding"]["max_change"] = repr(change)
    report = verify(_recommitted(data))
    assert [name for name, passed, _ in report.checks if not passed] == ["rotation"]
    assert any("not the rotation of the type panels" in p for p in report.problems)
    # counts of one type spread by two: named as such
    data = copy.deepcopy(bundle.data)
    # two different people (the counts may all be equal: min and max would be one person)
    by_count = sorted(model.members[type_of[who]], key=lambda i: data["selections"][i])
    low, high = by_count[0], by_count[-1]
    moved = 0
    for k, panel in enumerate(data["panels"]):
        if low in panel and high not in panel and moved < 2:
            data["panels"][k] = sorted(high if i == low else i for i in panel)
            moved += 1
    data["panels"].sort()
    data["selections"][low] -= moved
    data["selections"][high] += moved
    change = max(abs(data["selections"][k] / 1000 - v) for k, v in original.items())
    data["rounding"]["max_change"] = repr(change)
    report = verify(_recommitted(data))
    assert [name for name, passed, _ in report.checks if not passed] == ["rotation"]
    assert any("differ by more than one" in p for p in report.problems)


@pytest.mark.parametrize("m", [1000, 10000])
@pytest.mark.parametrize(
    "name",
    [
        "citizensassemblies_example_small_20",
        "sortition_algorithms_fixture_150",
        "civic_synth_400_k20",
        *TINY,
    ],
)
def test_minimum_not_worse_than_rounding_over_people_by_more_than_one_panel(name, m):
    instance = TINY[name]() if name in TINY else load(name)
    solution, lottery = _lottery(instance, m)
    before = round_distribution(solution.distribution, m, ids=instance.ids)
    assert min(lottery.selections.values()) >= min(before.selections.values()) - 1


def test_invariants_are_checked_on_types():
    solution = solve(with_households())
    assert solution.ok and solution.person_panels is None
    names = {c.name: c.detail for c in solution.invariants}
    assert "type panels" in names["panels_valid"]
    assert solution.support_size == len(solution.types.columns)  # type: ignore[union-attr]


@st.composite
def _type_distributions(draw):
    sizes = draw(st.lists(st.integers(1, 7), min_size=1, max_size=6))
    seats = draw(st.integers(1, sum(sizes)))
    n_cols = draw(st.integers(1, 6))
    columns = []
    for _ in range(n_cols):
        left, col = seats, [0] * len(sizes)
        for t in draw(st.permutations(range(len(sizes)))):
            col[t] = draw(st.integers(0, min(sizes[t], left)))
            left -= col[t]
        if left:  # not enough drawn: fill the first types with room
            for t in range(len(sizes)):
                extra = min(sizes[t] - col[t], left)
                col[t] += extra
                left -= extra
        columns.append(col)
    weights = draw(st.lists(st.integers(1, 1000), min_size=n_cols, max_size=n_cols))
    m = draw(st.sampled_from([1, 7, 100, 1000]))
    return sizes, seats, columns, weights, m


@given(_type_distributions())
@settings(max_examples=150, deadline=None)
def test_rotation_properties_on_random_type_distributions(case):
    sizes, seats, columns, weights, m = case
    people = tuple(
        Person(f"p{t}-{i}", {"t": str(t)}) for t, s in enumerate(sizes) for i in range(s)
    )
    instance = Instance(
        people, (Feature("t", {str(t): Quota(0, seats) for t in range(len(sizes))}),), seats
    )
    model = build_type_model(instance)
    # the model numbers types by first member id: map ours onto it
    order = [int(ids[0].split("-")[0][1:]) for ids in model.members]
    cols = np.array([[c[t] for t in order] for c in columns], dtype=np.int64)
    w = np.array(weights, dtype=float) / sum(weights)
    lottery = round_types(model, cols, w, m)
    assert len(lottery.panels) == m
    assert all(len(set(p)) == len(p) == seats for p in lottery.panels)
    assert list(lottery.panels) == sorted(lottery.panels)
    counted = Counter(i for p in lottery.panels for i in p)
    for ids in model.members:
        counts = [counted[i] for i in ids]
        assert max(counts) - min(counts) <= 1
    for pid in instance.ids:
        assert lottery.selections[pid] == counted[pid]
        assert abs(counted[pid] / m - lottery.original[pid]) <= lottery.bounds[pid] + 1e-12
    assert verify(make_bundle(instance, lottery, objective="leximin", algorithm="test")).ok
