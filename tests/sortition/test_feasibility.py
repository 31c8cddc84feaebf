"""Feasibility: simple reasons, the exact ILP, and the smallest relaxation (HiGHS, no mocks)."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tirage.sortition.feasibility import check, simple_reasons
from tirage.sortition.io import read_instance
from tirage.sortition.model import Feature, Instance, Person, Quota

DATA = Path(__file__).resolve().parents[2] / "data" / "sortition"


def make(
    groups: list[tuple[int, dict[str, str]] | tuple[int, dict[str, str], str | None]],
    quotas: dict[str, dict[str, Quota | tuple[int, int]]],
    seats: int,
) -> Instance:
    """``groups``: (how many people, their values[, household]); ids are "1", "2", ..."""
    features = tuple(
        Feature(name, {v: q if isinstance(q, Quota) else Quota(*q) for v, q in values.items()})
        for name, values in quotas.items()
    )
    people = []
    for group in groups:
        count, values = group[0], group[1]
        household = group[2] if len(group) > 2 else None
        for _ in range(count):
            people.append(Person(str(len(people) + 1), values, household))
    return Instance(tuple(people), features, seats)


def codes(report) -> list[str]:
    return [r.code for r in report.reasons]


# --- simple reasons -------------------------------------------------------------------------


def test_pool_smaller_than_seats():
    instance = make([(3, {"g": "a"})], {"g": {"a": (0, 4)}}, 4)
    report = check(instance)
    assert not report.feasible
    assert codes(report) == ["pool_smaller_than_seats", "no_relaxation"]
    assert report.reasons[0].message == "the pool has 3 people for 4 seats"
    assert report.reasons[0].params == {"pool": 3, "seats": 4}
    assert report.relaxation is None  # no quota change can add people


def test_pool_smaller_than_huge_seats_has_no_relaxation():
    # Regression: with seats beyond HiGHS's infinity (1e20) the relaxation program
    # "succeeded" with no change at all; quotas cannot add people, so it is not run.
    instance = make([(3, {"g": "a"})], {"g": {"a": (0, 4)}}, 10**20)
    report = check(instance)
    assert codes(report)[0] == "pool_smaller_than_seats"
    assert report.relaxation is None
    assert "pool needs more people" in report.reasons[-1].message
    assert "min_flex" not in report.reasons[-1].message


def test_households_fewer_than_seats():
    instance = make(
        [(2, {"g": "a"}, "rue X"), (1, {"g": "a"}, "rue Y"), (1, {"g": "a"}, None)],
        {"g": {"a": (0, 4)}},
        4,
    )
    report = check(instance)
    # households: rue X, rue Y, and the person without address = 3
    assert codes(report) == ["households_fewer_than_seats", "no_relaxation"]
    assert report.reasons[0].message == (
        "only 3 distinct households in the pool for 4 seats (at most one person per household)"
    )
    assert report.relaxation is None


def test_value_below_min():
    instance = make(
        [(3, {"secteur": "nord"}), (20, {"secteur": "sud"})],
        {"secteur": {"nord": (4, 6), "sud": (10, 16)}},
        20,
    )
    report = check(instance)
    assert not report.feasible
    assert report.reasons[0].code == "value_below_min"
    assert report.reasons[0].message == "secteur=nord needs at least 4, only 3 in the pool"
    assert report.reasons[0].params == {"feature": "secteur", "value": "nord", "min": 4, "pool": 3}


def test_minimums_above_seats():
    instance = make(
        [(15, {"genre": "f"}), (15, {"genre": "h"})],
        {"genre": {"f": (12, 20), "h": (10, 20)}},
        20,
    )
    report = check(instance)
    assert codes(report) == ["minimums_above_seats"]
    assert report.reasons[0].message == "minimums of feature genre add up to 22 > 20 seats"
    # 12 + 10 = 22 must come down by 2 (total 2 for f + h = 20). Spreading cost per seat of
    # change j on bound b is round(1000 (2j - 1) / (b + 1)): f−1, h−1 costs 77 + 91 = 168,
    # f−2 costs 77 + 231 = 308, h−2 costs 91 + 273 = 364: one seat off each minimum.
    assert [c.message for c in report.relaxation.changes] == [
        "genre=f: min 12 → 11 (−1)",
        "genre=h: min 10 → 9 (−1)",
    ]


def test_maximums_below_seats():
    values = {"nord": (0, 5), "sud": (0, 5), "est": (0, 4), "ouest": (0, 4)}
    instance = make([(10, {"secteur": v}) for v in values], {"secteur": values}, 20)
    report = check(instance)
    assert codes(report) == ["maximums_below_seats"]
    assert report.reasons[0].message == "maximums of feature secteur add up to 18 < 20 seats"
    # +2 seats of maxima: a first seat on a max of 5 costs 1000/6 = 167, on a max of 4
    # 1000/5 = 200, a second seat on a max of 5 costs 3000/6 = 500: nord +1 and sud +1.
    assert [c.message for c in report.relaxation.changes] == [
        "secteur=nord: max 5 → 6 (+1)",
        "secteur=sud: max 5 → 6 (+1)",
    ]


def test_reachable_below_seats():
    # maxima add up to 20, but nord has only 5 people: 5 + 10 = 15 seats at most
    instance = make(
        [(5, {"secteur": "nord"}), (30, {"secteur": "sud"})],
        {"secteur": {"nord": (0, 10), "sud": (0, 10)}},
        20,
    )
    report = check(instance)
    assert codes(report) == ["reachable_below_seats"]
    assert report.reasons[0].message.startswith("feature secteur can fill at most 15 < 20 seats")
    # nord can give 5 at most, so sud needs 15: max 10 → 15
    assert [c.message for c in report.relaxation.changes] == ["secteur=sud: max 10 → 15 (+5)"]


def test_value_households_below_min():
    instance = make(
        [(3, {"secteur": "nord"}, "1 rue A"), (5, {"secteur": "sud"})],
        {"secteur": {"nord": (2, 3), "sud": (0, 5)}},
        3,
    )
    report = check(instance)
    assert report.reasons[0].code == "value_households_below_min"
    assert report.reasons[0].message == (
        "secteur=nord needs at least 2, but its 3 people in the pool live in only 1 household"
    )
    assert [c.message for c in report.relaxation.changes] == ["secteur=nord: min 2 → 1 (−1)"]


# --- the exact test ---------------------------------------------------------------------------


def three_binary_features() -> Instance:
    # Pool: 000, 011, 101, 110 (an even-weight code). Quotas: exactly one 0 and one 1 per
    # feature, k = 2, so a panel is two complementary vectors — none is in the pool.
    exactly_one = {"0": (1, 1), "1": (1, 1)}
    vectors = ["000", "011", "101", "110"]
    return make(
        [(1, dict(zip("abc", v, strict=True))) for v in vectors],
        {"a": exactly_one, "b": exactly_one, "c": exactly_one},
        2,
    )


def test_interaction_only_infeasibility_found_by_the_ilp():
    instance = three_binary_features()
    assert simple_reasons(instance) == []  # every simple check passes
    report = check(instance)
    assert not report.feasible
    assert codes(report) == ["no_panel"]
    # Any two vectors of the pool agree on exactly one feature: that feature has two 0s
    # (or two 1s), costing −1 on one min and +1 on one max: total 2, and the same spread
    # (500 + 500) for all six pairs. Tie-break weights (12 - rank)², ranks = mins a0..c1
    # (0..5) then maxes a0..c1 (6..11): pair {000, 110} (c = 0, 0) costs c0 max (12-10)²
    # + c1 min (12-5)² = 4 + 49 = 53; {011, 101} (c = 1, 1) costs 64 + 1 = 65; the pairs
    # changing b cost 97 or 109, a more. So: c=0 max 1 → 2 and c=1 min 1 → 0.
    assert report.relaxation.total == 2
    assert [c.message for c in report.relaxation.changes] == [
        "c=0: max 1 → 2 (+1)",
        "c=1: min 1 → 0 (−1)",
    ]
    assert report.reasons[0].message == (
        "no panel satisfies all quotas together; the smallest relaxation changes "
        "c=0: max 1 → 2 (+1); c=1: min 1 → 0 (−1)"
    )
    assert check(report.relaxation.apply(instance)).feasible


def test_households_only_infeasibility():
    # n1 (nord, f) and s1 (sud, h) share household A; n2 (nord, h) lives in B.
    # Without households {n1, s1} is a panel; with them, {n1, n2} has two nord and
    # {n2, s1} two h. Simple checks pass (2 households for 2 seats, each value has one).
    instance = make(
        [
            (1, {"secteur": "nord", "genre": "f"}, "A"),
            (1, {"secteur": "sud", "genre": "h"}, "A"),
            (1, {"secteur": "nord", "genre": "h"}, "B"),
        ],
        {"secteur": {"nord": (1, 1), "sud": (1, 1)}, "genre": {"f": (1, 1), "h": (1, 1)}},
        2,
    )
    assert simple_reasons(instance) == []
    report = check(instance)
    assert codes(report) == ["no_panel"]
    # Both remaining panels cost 2 with the same spread (500 + 500). Tie-break weights
    # (8 - rank)², ranks: mins nord 0, sud 1, f 2, h 3; maxes nord 4 ... h 7.
    # {n1, n2}: nord max + sud min = 16 + 49 = 65; {n2, s1}: h max + f min = 1 + 36 = 37.
    assert [c.message for c in report.relaxation.changes] == [
        "genre=f: min 1 → 0 (−1)",
        "genre=h: max 1 → 2 (+1)",
    ]


def test_relaxation_by_hand():
    # nord: 3 people, quota [4, 5]; sud: 10 people, quota [5, 6]; k = 10.
    # A panel has j <= 3 nord and 10 - j >= 7 sud. Its cost is (4 - j) for nord's min plus
    # (10 - j - 6) for sud's max = 8 - 2j, smallest at j = 3: nord min 4 → 3 (−1) and
    # sud max 6 → 7 (+1), total 2, and no other panel reaches 2 (unique optimum).
    instance = make(
        [(3, {"secteur": "nord"}), (10, {"secteur": "sud"})],
        {"secteur": {"nord": (4, 5), "sud": (5, 6)}},
        10,
    )
    report = check(instance)
    relaxation = report.relaxation
    assert relaxation.total == 2
    assert [(c.value, c.old_min, c.new_min, c.old_max, c.new_max) for c in relaxation.changes] == [
        ("nord", 4, 3, 5, 5),
        ("sud", 5, 5, 6, 7),
    ]
    assert relaxation.message == "secteur=nord: min 4 → 3 (−1); secteur=sud: max 6 → 7 (+1)"
    relaxed = relaxation.apply(instance)
    assert relaxed.feature("secteur").quotas == {"nord": Quota(3, 5), "sud": Quota(5, 7)}
    assert check(relaxed).feasible


def flex_instance(**flex) -> Instance:
    # k = 2; pool: two (f, o) and two (h, y). g: f exactly 2, h 0; a: y exactly 1, o exactly 1.
    # {fo, fo} breaks a (y min −1, o max +1); {fo, hy} breaks g (f min −1, h max +1);
    # {hy, hy} costs 2 + 2 + 2 = 6. Without flex both cheap panels cost 2.
    q = {
        name: Quota(lo, hi, *flex.get(name, (None, None)))
        for name, (lo, hi) in {"f": (2, 2), "h": (0, 0), "y": (1, 1), "o": (1, 1)}.items()
    }
    return make(
        [(2, {"g": "f", "a": "o"}), (2, {"g": "h", "a": "y"})],
        {"g": {"f": q["f"], "h": q["h"]}, "a": {"y": q["y"], "o": q["o"]}},
        2,
    )


def test_relaxation_spread_prefers_large_bounds():
    # {fo, fo}: y min 1 → 0 and o max 1 → 2 cost 1000/2 + 1000/2 = 1000;
    # {fo, hy}: f min 2 → 1 and h max 0 → 1 cost 1000/3 + 1000/1 = 1333.
    report = check(flex_instance())
    assert [c.message for c in report.relaxation.changes] == [
        "a=y: min 1 → 0 (−1)",
        "a=o: max 1 → 2 (+1)",
    ]


def test_relaxation_respects_flex():
    # y cannot go below 1 and o cannot go above 1: only {fo, hy} remains, changing g.
    report = check(flex_instance(y=(1, None), o=(None, 1)))
    assert [c.message for c in report.relaxation.changes] == [
        "g=f: min 2 → 1 (−1)",
        "g=h: max 0 → 1 (+1)",
    ]
    relaxed = report.relaxation.apply(flex_instance(y=(1, None), o=(None, 1)))
    assert relaxed.feature("g").quotas["h"] == Quota(0, 1, None, None)
    assert relaxed.feature("a").quotas["y"] == Quota(1, 1, 1, None)  # flex kept


def test_relaxation_impossible_within_flex():
    # now g is locked too (h max_flex 0): nothing works
    report = check(flex_instance(y=(1, None), o=(None, 1), h=(None, 0)))
    assert report.relaxation is None
    assert codes(report) == ["no_panel", "no_relaxation"]
    assert report.reasons[0].message == "no panel satisfies all quotas together"


# --- shipped instances ---------------------------------------------------------------------

SHIPPED = [
    ("sortition_algorithms_fixture_150", "features.csv", "candidates.csv", 22, ()),
    ("citizensassemblies_example_small_20", "categories.csv", "respondents.csv", 20, ()),
    ("citizensassemblies_example_large_200", "categories.csv", "respondents.csv", 200, ()),
    ("civic_synth_400_k20", "features.csv", "people.csv", 20, ("address", "postcode")),
]


@pytest.mark.parametrize(("folder", "features", "people", "seats", "households"), SHIPPED)
def test_shipped_instances_are_feasible(folder, features, people, seats, households):
    instance = read_instance(
        DATA / folder / features,
        DATA / folder / people,
        seats=seats,
        household_columns=households,
    )
    report = check(instance)
    assert report.feasible
    assert report.reasons == []
    assert report.relaxation is None
    assert len(report.example_panel) == seats
    assert instance.panel_violations(report.example_panel) == []


def test_fixture_150_with_30_seats_cannot_be_relaxed_within_flex():
    instance = read_instance(
        DATA / "sortition_algorithms_fixture_150" / "features.csv",
        DATA / "sortition_algorithms_fixture_150" / "candidates.csv",
        seats=30,
    )
    report = check(instance)
    assert not report.feasible
    # features.csv: Gender max 12 + 11 + 1 = 24 < 30; max_flex 12 + 12 + 1 = 25 < 30 too.
    assert "maximums of feature Gender add up to 24 < 30 seats" in [
        r.message for r in report.reasons
    ]
    assert report.relaxation is None
    assert codes(report)[-1] == "no_relaxation"


def test_report_json_and_determinism():
    instance = three_binary_features()
    first, second = check(instance), check(instance)
    assert first.to_json() == second.to_json()
    data = json.loads(first.to_json())
    assert data["feasible"] is False
    assert data["reasons"][0]["code"] == "no_panel"
    assert data["relaxation"]["total"] == 2
    assert data["relaxation"]["changes"][1] == {
        "feature": "c",
        "value": "1",
        "old_min": 1,
        "old_max": 1,
        "new_min": 0,
        "new_max": 1,
        "message": "c=1: min 1 → 0 (−1)",
    }
    assert "→" in first.to_json()  # UTF-8 kept, not escaped


# --- property: ILP vs brute force on tiny instances ----------------------------------------


def brute_force_cost(instance: Instance) -> int | None:
    """Smallest total loosening over all panels (None: no panel can be made valid).

    For a fixed panel the cheapest relaxation is independent per quota:
    max(0, min - count) + max(0, count - max), allowed only within the flex limits.
    """
    best = None
    for panel in combinations(instance.people, instance.seats):
        households = [p.household for p in panel if p.household]
        if len(households) != len(set(households)):
            continue
        cost = 0
        for name, value, quota in instance.quota_items():
            count = sum(1 for p in panel if p.values[name] == value)
            if quota.min_flex is not None and count < quota.min_flex:
                break
            if quota.max_flex is not None and count > quota.max_flex:
                break
            cost += max(0, quota.min - count) + max(0, count - quota.max)
        else:
            best = cost if best is None else min(best, cost)
    return best


@st.composite
def tiny_instances(draw) -> Instance:
    n_features = draw(st.integers(1, 3))
    features = []
    for f in range(n_features):
        n_values = draw(st.integers(1, 3))
        quotas = {}
        for v in range(n_values):
            lo = draw(st.integers(0, 3))
            hi = draw(st.integers(lo, 4))
            lo_flex = draw(st.none() | st.none() | st.integers(0, lo))
            hi_flex = draw(st.none() | st.none() | st.integers(hi, hi + 2))
            quotas[f"v{v}"] = Quota(lo, hi, lo_flex, hi_flex)
        features.append(Feature(f"f{f}", quotas))
    seats = draw(st.integers(1, 4))
    n_people = draw(st.integers(seats - 1, 8))  # seats - 1: pool too small, sometimes
    people = []
    for i in range(n_people):
        values = {f.name: draw(st.sampled_from(f.values)) for f in features}
        household = draw(st.sampled_from([None, None, None, "h1", "h2", "h3"]))
        people.append(Person(f"p{i}", values, household))
    return Instance(tuple(people), tuple(features), seats)


def test_highs_presolve_solve_error_is_retried():
    # Regression (found by the property test below): HiGHS 1.16's presolve answered
    # "Solve error" to the tie-break program of this relaxation; check() raised.
    q = Quota
    quotas = {
        "f0": {"v0": q(0, 0), "v1": q(0, 0)},
        "f1": {"v0": q(2, 2), "v1": q(1, 1, 1, None), "v2": q(3, 3)},
        "f2": {"v0": q(0, 1), "v1": q(0, 0), "v2": q(0, 1)},
    }
    rows = ["v0 v2 v2", "v0 v1 v1", "v0 v2 v0", "v0 v0 v0", "v1 v2 v0", "v1 v2 v0"]
    groups = [(1, dict(zip(("f0", "f1", "f2"), r.split(), strict=True))) for r in rows]
    report = check(make(groups, quotas, 3))
    assert not report.feasible
    assert report.relaxation is not None and report.relaxation.total == 7
    assert check(report.relaxation.apply(make(groups, quotas, 3))).feasible


@settings(max_examples=200, deadline=None)
@given(tiny_instances())
def test_check_agrees_with_brute_force(instance):
    best = brute_force_cost(instance)
    event("feasible" if best == 0 else "no relaxation" if best is None else "relaxation")
    report = check(instance)
    assert report.feasible == (best == 0)
    if report.feasible:
        assert instance.panel_violations(report.example_panel) == []
        return
    assert report.reasons
    if best is None:
        assert report.relaxation is None
        return
    relaxation = report.relaxation
    assert relaxation.total == best  # never loosens more than needed
    for change in relaxation.changes:
        quota = instance.feature(change.feature).quotas[change.value]
        assert change.new_min <= quota.min and change.new_max >= quota.max
        assert quota.min_flex is None or change.new_min >= quota.min_flex
        assert quota.max_flex is None or change.new_max <= quota.max_flex
    assert brute_force_cost(relaxation.apply(instance)) == 0  # and it is enough
    # every simple reason is a true obstacle
    for reason in report.reasons:
        assert reason.message


def test_feasible_report_json():
    # two nord and two sud, one seat each: the first person of each type is chosen
    instance = make(
        [(2, {"secteur": "nord"}), (2, {"secteur": "sud"})],
        {"secteur": {"nord": (1, 1), "sud": (1, 1)}},
        2,
    )
    data = json.loads(check(instance).to_json())
    assert data == {
        "feasible": True,
        "reasons": [],
        "relaxation": None,
        "example_panel": ["1", "3"],
    }
