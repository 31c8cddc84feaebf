"""Panel validity, checked in one place (``Instance.panel_violations``)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from tirage.sortition.model import Feature, Instance, Person, Quota

ROWS = [
    ("a01", "nord", "f", "h1"),
    ("a02", "nord", "m", "h1"),
    ("a03", "sud", "f", None),
    ("a04", "sud", "m", None),
    ("a05", "nord", "f", None),
    ("a06", "sud", "m", None),
    ("a07", "nord", "m", None),
]


def instance() -> Instance:
    people = tuple(Person(i, {"secteur": s, "genre": g}, h) for i, s, g, h in ROWS)
    features = (
        Feature("secteur", {"nord": Quota(1, 2), "sud": Quota(1, 2)}),
        Feature("genre", {"f": Quota(1, 2), "m": Quota(1, 2)}),
    )
    return Instance(people, features, 3)


def test_messages_name_each_rule_in_order():
    inst = instance()
    assert inst.panel_violations(["a01", "a03", "a04"]) == []
    assert inst.panel_violations(["a01", "a02", "a03"]) == ["a01 and a02 share a household"]
    assert inst.panel_violations(["a01", "a05", "a07"]) == ["secteur=nord: 3 > max 2",
                                                             "secteur=sud: 0 < min 1"]  # fmt: skip
    # a repeated member counts once in the quotas (nord 1, sud 1, f 1, m 1: all met)
    assert inst.panel_violations(["a03", "a03", "zz", "a07"]) == [
        "panel has 4 members, 3 seats",
        "panel repeats a member",
        "unknown ids in panel: zz",
    ]


def _valid(panel: list[str]) -> bool:
    """An independent statement of the rules, for comparison."""
    people = {i: (s, g, h) for i, s, g, h in ROWS}
    if len(panel) != 3 or len(set(panel)) != 3 or not set(panel) <= set(people):
        return False
    secteurs = Counter(people[i][0] for i in panel)
    genres = Counter(people[i][1] for i in panel)
    households = [people[i][2] for i in panel if people[i][2]]
    return (
        all(1 <= secteurs[v] <= 2 for v in ("nord", "sud"))
        and all(1 <= genres[v] <= 2 for v in ("f", "m"))
        and len(households) == len(set(households))
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([r[0] for r in ROWS] + ["zz"]), max_size=5))
def test_a_panel_is_valid_exactly_when_every_rule_holds(panel):
    assert (instance().panel_violations(panel) == []) == _valid(panel)
