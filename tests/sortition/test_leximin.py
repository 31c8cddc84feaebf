"""LEXIMIN: agreement with an independent brute force, published optima, invariants."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tirage.sortition.errors import InfeasibleError
from tirage.sortition.leximin import PEEL_STAGE
from tirage.sortition.model import Progress
from tirage.sortition.solve import solve

from ._bruteforce import all_panels, leximin_reference
from ._data import load
from ._tiny import TINY, make


@pytest.mark.parametrize("name", sorted(TINY))
@pytest.mark.parametrize("pricing", ["highs", "cpsat"])
def test_matches_brute_force_on_tiny_instances(name, pricing):
    instance = TINY[name]()
    reference = leximin_reference(instance)
    result = solve(instance, pricing=pricing)
    for pid in instance.ids:
        assert result.probabilities[pid] == pytest.approx(reference[pid], abs=1e-6), pid
    assert result.ok, [c for c in result.invariants if not c.ok]


def test_rare_profile_is_pushed_to_one_and_warned():
    instance = TINY["rare_profile"]()
    result = solve(instance)
    assert result.probabilities["p0"] == pytest.approx(1.0, abs=1e-7)
    # the six men share the two other seats equally
    for i in range(1, 7):
        assert result.probabilities[f"p{i}"] == pytest.approx(2 / 6, abs=1e-7)
    assert any("p0" in w for w in result.warnings)
    assert not any("p1 " in w for w in result.warnings)


def test_household_members_never_sit_together():
    instance = TINY["with_households"]()
    result = solve(instance)
    for panel in result.distribution.panels:
        assert not {"p1", "p2"} <= set(panel)
        assert not {"p4", "p5"} <= set(panel)
    assert sum(result.probabilities.values()) == pytest.approx(3, abs=1e-9)


def test_infeasible_quotas_raise():
    instance = make([("f",), ("m",), ("m",)], [("gender", {"f": (2, 2), "m": (0, 2)})], 2)
    with pytest.raises(InfeasibleError) as info:
        solve(instance)
    assert info.value.code == "infeasible_quotas"


class _Recorder(Progress):
    def __init__(self):
        self.calls = []

    def update(self, stage, done, total=None, message=""):
        self.calls.append((stage, done, total, message))


def test_progress_reports_every_fixing_round(monkeypatch):
    from tirage.sortition import leximin

    monkeypatch.setattr(leximin, "PEELED", leximin.CLASSIC)  # by rounds, not by peeling
    instance = TINY["unbalanced"]()
    recorder = _Recorder()
    result = solve(instance, progress=recorder)
    reports = [c for c in recorder.calls if c[0] == "leximin"]
    # First the start (nobody settled yet), then one report per fixing round.
    assert reports[0][1] == 0 and "seeding" in reports[0][3]
    rounds = reports[1:]
    assert len(rounds) == result.stats["rounds"] >= 2
    assert rounds[-1][1] == rounds[-1][2] == instance.n  # everybody fixed at the end
    assert [c[1] for c in rounds] == sorted(c[1] for c in rounds)


def test_progress_reports_the_peeling_then_everybody_settled():
    instance = TINY["unbalanced"]()
    recorder = _Recorder()
    result = solve(instance, progress=recorder)
    reports = [c for c in recorder.calls if c[0] == "leximin"]
    assert reports[0][1] == 0 and "seeding" in reports[0][3]
    peeling = [c for c in recorder.calls if c[0] == PEEL_STAGE]
    assert "panels off the relaxation" in peeling[0][3] and peeling[0][1:3] == (0, 100)
    assert reports[-1][1] == reports[-1][2] == instance.n
    assert f"proven, {result.support_size} panels peeled" in reports[-1][3]
    assert result.stats["rounds"] == 0 and result.stats["decomposition"] == "exact"


def test_the_peeling_reports_how_far_the_walk_is(fixture150):
    """Nobody is settled before the walk ends: its progress is its own stage, in percent of
    the way down to ``REST_TOL`` (it was « 0 of 150 people » until the end, a bar at 0 %)."""
    recorder = _Recorder()
    solve(fixture150, progress=recorder)
    peeling = [c for c in recorder.calls if c[0] == PEEL_STAGE]
    assert len(peeling) >= 2 and all(c[2] == 100 for c in peeling)
    done = [c[1] for c in peeling]
    assert done[0] == 0 and 0 < done[-1] <= 99 and done == sorted(done)


def test_maximin_is_first_round_only():
    instance = TINY["unbalanced"]()
    lex = solve(instance)
    mm = solve(instance, objective="maximin")
    assert mm.min_probability == pytest.approx(lex.min_probability, abs=1e-7)
    assert mm.maximin == pytest.approx(lex.maximin, abs=1e-9)


def test_result_is_deterministic_and_json_ready(fixture150, fixture150_highs):
    a, b = fixture150_highs.to_json(), solve(fixture150).to_json()
    a.pop("seconds"), b.pop("seconds")
    assert a == b
    assert {"seats", "algorithm", "probabilities", "min_probability", "panels"} <= set(a)
    json.dumps(a)


@st.composite
def tiny_instances(draw):
    n = draw(st.integers(4, 9))
    k = draw(st.integers(1, min(4, n - 1)))
    values_a = ["a0", "a1", "a2"][: draw(st.integers(2, 3))]
    values_b = ["b0", "b1"]
    rows = [(draw(st.sampled_from(values_a)), draw(st.sampled_from(values_b))) for _ in range(n)]

    def quota():
        lo = draw(st.integers(0, min(2, k)))
        return (lo, draw(st.integers(lo, k)))

    quotas = [("fa", {v: quota() for v in values_a}), ("fb", {v: quota() for v in values_b})]
    households = draw(st.lists(st.sampled_from([None, None, "h1", "h2"]), min_size=n, max_size=n))
    return make(rows, quotas, k, households)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_random_tiny_instances(instance):
    if not all_panels(instance):
        with pytest.raises(InfeasibleError):
            solve(instance)
        return
    result = solve(instance)
    for panel in result.distribution.panels:
        assert instance.panel_violations(list(panel)) == []
    assert sum(result.probabilities.values()) == pytest.approx(instance.seats, abs=1e-6)
    # interchangeable people (same values, no household) get the same probability
    groups = {}
    for p in instance.people:
        if p.household is None:
            groups.setdefault(tuple(sorted(p.values.items())), []).append(
                result.probabilities[p.id]
            )
    for probs in groups.values():
        assert max(probs) - min(probs) <= 1e-9
    reference = leximin_reference(instance)
    for pid in instance.ids:
        assert result.probabilities[pid] == pytest.approx(reference[pid], abs=1e-6)
    assert result.ok, [c for c in result.invariants if not c.ok]


def test_example_small_20_reaches_published_minimum():
    result = solve(load("citizensassemblies_example_small_20"))
    assert result.min_probability >= 0.10 - 1e-6
    assert result.gini == pytest.approx(0.0, abs=1e-6)
    assert result.ok


def test_fixture_150_matches_peer_minimum_with_both_pricings(fixture150, fixture150_highs):
    highs = fixture150_highs
    cpsat = solve(fixture150, pricing="cpsat")
    for result in (highs, cpsat):
        assert result.min_probability >= 2 / 22 - 1e-6  # peer: 9.09 %
        assert result.ok, [c for c in result.invariants if not c.ok]
    a, b = highs.probabilities, cpsat.probabilities
    assert max(abs(a[i] - b[i]) for i in a) <= 1e-6
    assert highs.algorithm == "leximin/highs" and cpsat.algorithm == "leximin/cpsat"


def test_civic_synth_with_households_matches_peer_minimum(civic, civic_leximin):
    instance, result = civic, civic_leximin
    assert any(p.household for p in instance.people)
    assert result.min_probability >= 0.0405 - 1e-6
    assert result.ok, [c for c in result.invariants if not c.ok]
    by_id = {p.id: p for p in instance.people}
    for panel in result.distribution.panels[:200]:
        homes = [by_id[m].household for m in panel if by_id[m].household]
        assert len(homes) == len(set(homes))


def test_a_stop_at_the_maximin_says_that_level_holds(monkeypatch):
    """Stopped with no gap left on the smallest probability (the walk's panels reached the
    relaxation's maximin), the warning no longer reads « could still rise by up to 0.00e+00 »."""
    import dataclasses

    from tirage.sortition import solve as solve_module

    real = solve_module.leximin_types

    def stopped_at_the_maximin(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), proven=False, gap=0.0)

    monkeypatch.setattr(solve_module, "leximin_types", stopped_at_the_maximin)
    result = solve(TINY["unbalanced"](), time_limit=1.0)
    assert not result.proven
    assert result.warnings[0] == (
        "not proven leximin: the time limit (1 s) was reached; the smallest unsettled"
        " probability is the largest possible; the higher ones are not proven"
    )
