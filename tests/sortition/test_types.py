"""Grouping people into types (identical feature vectors, households apart)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from tirage.sortition.io import read_instance
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.symmetry import build_type_model

from ._tiny import TINY

DATA = Path(__file__).resolve().parents[2] / "data" / "sortition"


def small() -> Instance:
    genre = Feature("genre", {"f": Quota(0, 2), "h": Quota(1, 2)})
    secteur = Feature("secteur", {"nord": Quota(0, 3), "sud": Quota(1, 3), "est": Quota(0, 1)})
    people = (
        Person("p1", {"genre": "h", "secteur": "sud"}),
        Person("p2", {"genre": "f", "secteur": "nord"}),
        Person("p3", {"genre": "h", "secteur": "sud"}, household="x"),
        Person("p4", {"genre": "f", "secteur": "est"}),
        Person("p5", {"genre": "f", "secteur": "nord"}, household="y"),
        Person("p0", {"genre": "f", "secteur": "nord"}),
    )
    return Instance(people, (genre, secteur), 2)


def test_types_by_hand():
    model = build_type_model(small())
    # households of one person link nobody: p3 and p5 group with their look-alikes;
    # types are ordered by their first member id, members sorted by id
    assert model.members == (("p0", "p2", "p5"), ("p1", "p3"), ("p4",))
    assert model.values == (("f", "nord"), ("h", "sud"), ("f", "est"))
    assert model.sizes.tolist() == [3, 2, 1]
    assert model.households == ()
    assert [(r.label, r.types, r.min, r.max) for r in model.quota_rows] == [
        ("genre=f", (0, 2), 0, 2),
        ("genre=h", (1,), 1, 2),
        ("secteur=nord", (0,), 0, 3),
        ("secteur=sud", (1,), 1, 3),
        ("secteur=est", (2,), 0, 1),
    ]
    assert model.quota_matrix.tolist() == [[1, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    lower, upper = model.quota_bounds
    assert lower.tolist() == [0, 1, 0, 1, 0] and upper.tolist() == [2, 2, 3, 3, 1]
    assert model.type_of() == {"p0": 0, "p2": 0, "p5": 0, "p1": 1, "p3": 1, "p4": 2}
    # one (h, sud) and one (f, nord): f=1, h=1, nord=1, sud=1, est=0
    assert (model.quota_matrix @ np.array([1, 1, 0])).tolist() == [1, 1, 1, 1, 0]
    assert model.panel_of(np.array([1, 1, 0])) == ("p0", "p1")
    assert model.counts_violations(np.array([1, 1, 0])) == []
    assert model.counts_violations(np.array([2, 0, 0])) == [
        "genre=h: 0 < min 1",
        "secteur=sud: 0 < min 1",
    ]
    assert model.counts_violations(np.array([0, 0, 2])) == ["type count outside [0, size]"]


def test_shared_households_split_their_members_into_types_of_one():
    instance = TINY["with_households"]()
    model = build_type_model(instance)
    assert ("p0",) in model.members  # alone in zone a without household link
    assert ("p1",) in model.members and ("p2",) in model.members
    assert ("p3", "p6") in model.members
    assert len(model.households) == 2
    p1, p2 = model.members.index(("p1",)), model.members.index(("p2",))
    assert (p1, p2) in model.households
    assert model.household_of[p1] == model.household_of[p2] >= 0
    both = np.zeros(model.n_types, dtype=np.int64)
    both[[p1, p2]] = 1
    both[model.members.index(("p3", "p6"))] = 1
    assert model.counts_violations(both) == ["p1 and p2 share a household"]


def test_types_do_not_depend_on_the_pool_order():
    instance = small()
    reversed_pool = Instance(tuple(reversed(instance.people)), instance.features, instance.seats)
    a, b = build_type_model(instance), build_type_model(reversed_pool)
    assert (a.members, a.values, a.quota_rows) == (b.members, b.values, b.quota_rows)


def test_nature_large_has_three_types_matching_the_csv():
    instance = read_instance(
        DATA / "citizensassemblies_example_large_200" / "categories.csv",
        DATA / "citizensassemblies_example_large_200" / "respondents.csv",
        seats=200,
    )
    model = build_type_model(instance)
    with open(DATA / "citizensassemblies_example_large_200" / "respondents.csv") as f:
        expected = Counter((row["gender"], row["leaning"]) for row in csv.DictReader(f))
    assert dict(zip(model.values, model.sizes.tolist(), strict=True)) == dict(expected)
    # `sort respondents.csv | uniq -c`: 1 female,conservative; 999 female,liberal;
    # 1000 male,conservative (no male liberal): the "Alternate" instance of the paper.
    assert sorted(zip(model.values, model.sizes.tolist(), strict=True)) == [
        (("female", "conservative"), 1),
        (("female", "liberal"), 999),
        (("male", "conservative"), 1000),
    ]
    assert model.pool_size == 2000
    # every person in exactly one type, members sorted by id (as text)
    members = [m for t in model.members for m in t]
    assert sorted(members, key=int) == [str(i) for i in range(1, 2001)]
    for t in model.members:
        assert list(t) == sorted(t)
