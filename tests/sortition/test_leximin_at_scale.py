"""The large-instance schedule of LEXIMIN (issue 13), checked on small instances.

``SCALE`` (several climbs per iteration, early exact pricing, smoothed duals)
must give the same LEXIMIN vector as ``CLASSIC`` and as brute force, and a time
limit must give an explicit « not proven » result, never a silent one.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tirage.sortition.leximin import CLASSIC, SCALE, leximin_types
from tirage.sortition.pricing import make_oracle
from tirage.sortition.solve import solve
from tirage.sortition.symmetry import build_type_model

from ._bruteforce import leximin_reference
from ._tiny import TINY, make


def _people_probs(instance, schedule, **kwargs):
    model = build_type_model(instance)
    sol = leximin_types(model, make_oracle(model, "highs"), schedule=schedule, **kwargs)
    probs = {pid: float(sol.type_probs[t]) for t, ids in enumerate(model.members) for pid in ids}
    return probs, sol


def single_and_forced():
    """p1 is a type of one person (the only 'rare'), forced onto every panel by a minimum;
    p0 is a type of one person nobody forces."""
    rows = [("c", "rare2"), ("b", "rare"), ("a", "common"), ("b", "common"), ("b", "common")]
    rows += [("c", "common"), ("c", "common"), ("a", "common")]
    quotas = [
        ("zone", {"a": (0, 2), "b": (1, 2), "c": (0, 2)}),
        ("kind", {"rare": (1, 1), "rare2": (0, 1), "common": (0, 3)}),
    ]
    return make(rows, quotas, 3)


@pytest.mark.parametrize("name", [*sorted(TINY), "single_and_forced"])
def test_scale_schedule_matches_brute_force(name):
    instance = single_and_forced() if name == "single_and_forced" else TINY[name]()
    reference = leximin_reference(instance)
    probs, sol = _people_probs(instance, SCALE)
    assert sol.proven and sol.gap == 0.0
    for pid in instance.ids:
        assert probs[pid] == pytest.approx(reference[pid], abs=1e-6), pid


def test_a_single_person_type_and_a_forced_one():
    instance = single_and_forced()
    probs, _ = _people_probs(instance, SCALE)
    assert probs["p1"] == pytest.approx(1.0, abs=1e-7)  # the only 'rare': forced onto every panel
    model = build_type_model(instance)
    singles = {ids[0] for ids in model.members if len(ids) == 1}
    assert singles == {"p0", "p1"}
    assert 0 < probs["p0"] < 1
    result = solve(instance)
    assert result.ok and result.proven
    assert result.probabilities["p1"] == pytest.approx(1.0, abs=1e-7)


@pytest.mark.parametrize("pool", ["fixture150", "civic"])
def test_scale_and_classic_give_the_same_leximin_vector(pool, request):
    instance = request.getfixturevalue(pool)
    classic, a = _people_probs(instance, CLASSIC)
    scale, b = _people_probs(instance, SCALE)
    assert a.proven and b.proven
    for pid in instance.ids:  # every level, person by person (types are the same)
        assert scale[pid] == pytest.approx(classic[pid], abs=1e-6), pid
    # SCALE peeled the relaxation's LEXIMIN vector into panels: no round, no LP
    assert b.stats["decomposition"] == "exact" and b.stats["rounds"] == 0
    assert b.stats["peel_steps"] > 0 and b.stats["peel_rest"] <= 1e-11


def test_time_limit_gives_an_explicit_not_proven_result(fixture150):
    probs, sol = _people_probs(fixture150, SCALE, time_limit=0.0)
    assert not sol.proven
    assert sol.gap > 1e-7 and sol.stats["proven"] == 0 and sol.stats["gap"] == sol.gap
    # still a distribution over valid panels, with the k seats shared out
    assert sol.weights.sum() == pytest.approx(1.0)
    assert sum(probs.values()) == pytest.approx(fixture150.seats, abs=1e-6)
    model = build_type_model(fixture150)
    for counts in sol.columns:
        assert model.counts_violations(counts) == []
    exact = solve(fixture150)
    assert min(probs.values()) <= exact.min_probability + 1e-9


def test_solve_says_not_proven_with_the_gap(fixture150):
    result = solve(fixture150, time_limit=0.0)
    assert not result.proven and result.gap > 1e-7
    assert result.warnings[0].startswith("not proven leximin: the time limit (0 s) was reached")
    data = result.to_json()
    assert data["proven"] is False and data["gap"] == result.gap
    json.dumps(data)
    assert np.isclose(sum(result.probabilities.values()), fixture150.seats)


def test_without_time_limit_the_result_is_proven(fixture150_highs):
    assert fixture150_highs.proven and fixture150_highs.gap == 0.0
    assert fixture150_highs.to_json()["proven"] is True
