"""Reserve lists and replacements. Reserve keys hand-computed with hashlib:
SHA-256(COMMITMENT + ":dice=427:reserve:" + id) starts with
p04 94d29d, p05 aefd1c, p06 012786, p07 507820, p08 3f677f,
so the global order of the non-selected is p06, p08, p07, p04, p05."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.sortition.errors import InfeasibleError, InputError
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.reserve import (
    build_reserve,
    first_valid_set,
    replacements,
    reserve_order,
    seat_reserves,
)

COMMITMENT = "51fcc684f75fa7299186241673bd0f2f3c19ddf7e151075eaa3ff85491814b02"


def small_instance() -> Instance:
    rows = [
        ("p01", "nord", "f", None),
        ("p02", "nord", "m", "h1"),
        ("p03", "sud", "f", None),
        ("p04", "sud", "m", None),
        ("p05", "nord", "f", None),
        ("p06", "sud", "m", None),
        ("p07", "nord", "m", "h1"),  # same household as p02
        ("p08", "sud", "f", None),
    ]
    people = tuple(Person(i, {"secteur": s, "genre": g}, h) for i, s, g, h in rows)
    features = (
        Feature("secteur", {"nord": Quota(1, 2), "sud": Quota(1, 2)}),
        Feature("genre", {"f": Quota(1, 2), "m": Quota(1, 2)}),
    )
    return Instance(people, features, 3)


PANEL = ["p01", "p02", "p03"]


def test_global_order_follows_reserve_keys():
    assert reserve_order(small_instance().ids, PANEL, COMMITMENT, "dice=427") == (
        "p06",
        "p08",
        "p07",
        "p04",
        "p05",
    )


def test_seat_reserves_hand_checked():
    reserve = build_reserve(small_instance(), PANEL, COMMITMENT, "dice=427")
    assert reserve.order == ("p06", "p08", "p07", "p04", "p05")
    assert reserve.seats == {
        # nord f leaves: exact profile p05, then p08 (f), then p06, p04; p07 shares p02's household
        "p01": ("p05", "p08", "p06", "p04"),
        # nord m leaves: a man is needed; p07 may come since p02 (same household) leaves
        "p02": ("p07", "p06", "p04"),
        # sud f leaves: someone from sud is needed (nord would be 3 > max 2)
        "p03": ("p08", "p06", "p04"),
    }


def test_seat_reserves_keep_every_quota_and_are_complete():
    instance = small_instance()
    order = reserve_order(instance.ids, PANEL, COMMITMENT, "dice=427")
    seats = seat_reserves(instance, PANEL, order)
    for member, listed in seats.items():
        for candidate in order:
            swapped = sorted([*(p for p in PANEL if p != member), candidate])
            valid = not instance.panel_violations(swapped)
            assert valid == (candidate in listed), (member, candidate)


def test_one_replacement_uses_residual_quotas():
    instance = small_instance()
    order = ["p06", "p08", "p07", "p04", "p05"]
    assert first_valid_set(instance, PANEL, ["p02"], order) == ["p06"]
    assert first_valid_set(instance, PANEL, ["p03"], order) == ["p06"]
    # Only women left in the reserve: p02 (the only man) cannot be replaced.
    with pytest.raises(InfeasibleError, match="genre=m") as err:
        first_valid_set(instance, PANEL, ["p02"], ["p08", "p05"])
    assert err.value.code == "no_replacement"
    assert err.value.params["reasons"]


def test_two_replacements_first_valid_set_in_order():
    instance = small_instance()
    order = ["p06", "p08", "p07", "p04", "p05"]
    # Staying: p02 (nord m). Residual: sud 1..2, f 1..2, nord 0..1, m 0..1.
    # p07 is excluded (household of p02). p06 (sud m) then p08 (sud f) is valid.
    assert first_valid_set(instance, PANEL, ["p01", "p03"], order) == ["p06", "p08"]
    # p06 + p04 would make 3 men (> max 2): skipped; p06 + p05 (nord f) gives
    # nord 2, sud 1, f 1, m 2: valid.
    assert first_valid_set(instance, PANEL, ["p01", "p03"], ["p06", "p04", "p05"]) == ["p06", "p05"]
    with pytest.raises(InfeasibleError):
        first_valid_set(instance, PANEL, ["p01", "p03"], ["p04", "p06"])


def test_replacement_input_errors():
    instance = small_instance()
    with pytest.raises(InputError):
        first_valid_set(instance, PANEL, ["p05"], ["p06"])
    with pytest.raises(InputError):
        first_valid_set(instance, PANEL, ["p01"], ["nobody"])
    assert first_valid_set(instance, PANEL, [], ["p06"]) == []


@pytest.mark.parametrize(
    "panel", [["p01", "p03"], ["p01", "p03", "p04", "p05"], ["p01", "p01", "p03"]]
)
def test_current_panel_of_the_wrong_size_is_refused(panel):
    # Regression: a 2-member --panel for 3 seats gave "no replacement within the quotas".
    with pytest.raises(InputError) as info:
        first_valid_set(small_instance(), panel, ["p01"], ["p06", "p08"])
    assert info.value.code == "bad_panel"
    assert "must have 3 distinct members" in str(info.value)


@st.composite
def cases(draw):
    n = draw(st.integers(4, 9))
    k = draw(st.integers(2, min(4, n - 1)))
    people = tuple(
        Person(
            f"x{i}",
            {"a": draw(st.sampled_from("uv")), "b": draw(st.sampled_from("xyz"))},
            draw(st.sampled_from([None, None, "H1", "H2"])),
        )
        for i in range(n)
    )

    def quota():
        lo = draw(st.integers(0, k))
        return Quota(lo, draw(st.integers(lo, k)))

    features = (
        Feature("a", {"u": quota(), "v": quota()}),
        Feature("b", {"x": quota(), "y": quota(), "z": quota()}),
    )
    instance = Instance(people, features, k)
    valid = [c for c in itertools.combinations(instance.ids, k) if not instance.panel_violations(c)]
    if not valid:
        return None
    panel = draw(st.sampled_from(valid))
    leaving = draw(st.lists(st.sampled_from(panel), min_size=1, max_size=k, unique=True))
    order = draw(st.permutations([i for i in instance.ids if i not in panel]))
    return instance, list(panel), leaving, order


@settings(max_examples=300, deadline=None)
@given(cases())
def test_replacements_match_brute_force(case):
    if case is None:
        return
    instance, panel, leaving, order = case
    staying = [p for p in panel if p not in leaving]
    expected = None
    for combo in itertools.combinations(order, len(leaving)):
        if not instance.panel_violations(sorted([*staying, *combo])):
            expected = list(combo)
            break
    if expected is None:
        with pytest.raises(InfeasibleError):
            first_valid_set(instance, panel, leaving, order)
    else:
        assert first_valid_set(instance, panel, leaving, order) == expected


@settings(max_examples=200, deadline=None)
@given(cases())
def test_seat_reserves_match_the_rule(case):
    if case is None:
        return
    instance, panel, _, order = case
    seats = seat_reserves(instance, panel, order)
    by_id = {p.id: p for p in instance.people}
    names = [f.name for f in instance.features]
    for member in panel:
        others = [p for p in panel if p != member]
        valid = [c for c in order if not instance.panel_violations(sorted([*others, c]))]

        def rank(c, member=member):
            common = sum(by_id[c].values[f] == by_id[member].values[f] for f in names)
            return (common != len(names), -common, order.index(c))

        assert list(seats[member]) == sorted(valid, key=rank)


def test_one_member_leaving_gets_the_first_of_the_published_seat_list():
    """The product replaces one member at a time: the person called is the one the
    result's seat list names first (most agreeing features, then the reserve order),
    not the first valid person of the global order (p06 for p02, a man from sud)."""
    instance = small_instance()
    reserve = build_reserve(instance, PANEL, COMMITMENT, "dice=427")
    for member in PANEL:
        assert replacements(instance, PANEL, [member], reserve.order) == [reserve.seats[member][0]]
    assert replacements(instance, PANEL, ["p02"], reserve.order) == ["p07"]
    assert first_valid_set(instance, PANEL, ["p02"], reserve.order) == ["p06"]
    # Several at once keep the first valid set in the global order.
    assert replacements(instance, PANEL, ["p01", "p03"], reserve.order) == first_valid_set(
        instance, PANEL, ["p01", "p03"], reserve.order
    )
