"""Grouping people into types (identical feature vectors)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from tirage.sortition.io import read_instance
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.types import group_types

DATA = Path(__file__).resolve().parents[2] / "data" / "sortition"


def small() -> Instance:
    genre = Feature("genre", {"f": Quota(0, 2), "h": Quota(1, 2)})
    secteur = Feature("secteur", {"nord": Quota(0, 3), "sud": Quota(1, 3), "est": Quota(0, 1)})
    people = (
        Person("p1", {"genre": "h", "secteur": "sud"}),
        Person("p2", {"genre": "f", "secteur": "nord"}),
        Person("p3", {"genre": "h", "secteur": "sud"}, household="x"),
        Person("p4", {"genre": "f", "secteur": "est"}),
        Person("p5", {"genre": "f", "secteur": "nord"}, household="x"),
    )
    return Instance(people, (genre, secteur), 2)


def test_types_by_hand():
    table = group_types(small())
    assert len(table) == 3
    assert [t.values for t in table.types] == [("h", "sud"), ("f", "nord"), ("f", "est")]
    assert [t.members for t in table.types] == [("p1", "p3"), ("p2", "p5"), ("p4",)]
    assert table.counts.tolist() == [2, 2, 1]
    assert table.columns == (
        ("genre", "f"),
        ("genre", "h"),
        ("secteur", "nord"),
        ("secteur", "sud"),
        ("secteur", "est"),
    )
    assert table.incidence.tolist() == [
        [0, 1, 0, 1, 0],
        [1, 0, 1, 0, 0],
        [1, 0, 0, 0, 1],
    ]
    assert table.incidence.shape == (3, 5)
    assert table.mins.tolist() == [0, 1, 0, 1, 0]
    assert table.maxs.tolist() == [2, 2, 3, 3, 1]
    assert table.type_of == {"p1": 0, "p3": 0, "p2": 1, "p5": 1, "p4": 2}
    assert table.column("secteur", "est") == 4


def test_counts_per_value_from_type_vector():
    table = group_types(small())
    # one (h, sud) and two (f, nord): f=2, h=1, nord=2, sud=1, est=0
    y = np.array([1, 2, 0])
    assert (y @ table.incidence).tolist() == [2, 1, 2, 1, 0]
    # the whole pool: f=3, h=2, nord=2, sud=2, est=1
    assert (table.counts @ table.incidence).tolist() == [3, 2, 2, 2, 1]


def test_nature_large_has_three_types_matching_the_csv():
    instance = read_instance(
        DATA / "citizensassemblies_example_large_200" / "categories.csv",
        DATA / "citizensassemblies_example_large_200" / "respondents.csv",
        seats=200,
    )
    table = group_types(instance)
    with open(DATA / "citizensassemblies_example_large_200" / "respondents.csv") as f:
        expected = Counter((row["gender"], row["leaning"]) for row in csv.DictReader(f))
    assert {t.values: t.count for t in table.types} == dict(expected)
    # `sort respondents.csv | uniq -c`: 1 female,conservative; 999 female,liberal;
    # 1000 male,conservative (no male liberal): the "Alternate" instance of the paper.
    assert [(t.values, t.count) for t in table.types] == [
        (("female", "conservative"), 1),
        (("female", "liberal"), 999),
        (("male", "conservative"), 1000),
    ]
    assert int(table.counts.sum()) == 2000
    # every person in exactly one type, and type members in pool order
    members = [m for t in table.types for m in t.members]
    assert sorted(members, key=int) == [str(i) for i in range(1, 2001)]
    for t in table.types:
        assert list(t.members) == sorted(t.members, key=int)
