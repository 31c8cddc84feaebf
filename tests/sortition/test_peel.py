"""Peeling panels off the relaxation's LEXIMIN vector (``peel``, issue 13).

The walk must give valid panels whose weights reproduce the target counts to
round-off, stop as *stuck* where the relaxation's point is not a distribution
over panels, and as *stopped* at its deadline with what it has.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from tirage.sortition.decompose import MATCH_TOL, polish
from tirage.sortition.peel import REST_TOL, peel
from tirage.sortition.relaxation import Relaxation
from tirage.sortition.symmetry import build_type_model

from ._tiny import TINY
from .test_leximin_decompose import outside_the_hull


def _target(model):
    probs = Relaxation(model).leximin()
    assert probs is not None
    return probs * model.sizes


@pytest.mark.parametrize("pool", ["fixture150", "civic"])
def test_peeled_panels_reproduce_the_target_counts(pool, request):
    model = build_type_model(request.getfixturevalue(pool))
    x = _target(model)
    out = peel(model, x)
    assert out.status == "peeled" and out.rest <= REST_TOL
    assert out.weights.sum() == pytest.approx(1.0 - out.rest, abs=1e-12)
    assert (out.weights > 0).all() and len(out.columns) == out.stats["peel_steps"]
    # the weights as peeled, before any polishing: off by at most the mass left
    assert np.abs(out.weights @ out.columns - x).max() <= 2 * REST_TOL * model.sizes.max()
    for counts in out.columns:
        assert model.counts_violations(counts) == []
    cols, wts = polish(out.columns, out.weights, x)
    assert np.abs(wts @ cols - x).max() <= MATCH_TOL and wts.sum() == pytest.approx(1.0)
    # far fewer panels than types: the walk peels most of the mass in a few steps
    assert len(cols) < model.n_types


@pytest.mark.parametrize("name", sorted(TINY))
def test_peeling_respects_every_rule_of_the_tiny_instances(name):
    model = build_type_model(TINY[name]())
    x = _target(model)
    out = peel(model, x)
    for counts in out.columns:  # households too: at most one per panel
        assert model.counts_violations(counts) == []
    if out.status == "peeled":
        assert np.abs(out.weights @ out.columns - x).max() <= 1e-9


def test_a_point_outside_the_hull_gets_stuck():
    model = build_type_model(outside_the_hull())
    out = peel(model, _target(model))
    assert out.status == "stuck" and out.rest > 0.1
    for counts in out.columns:
        assert model.counts_violations(counts) == []


def test_the_deadline_stops_the_walk(fixture150):
    model = build_type_model(fixture150)
    out = peel(model, _target(model), deadline=time.perf_counter() - 1.0)
    assert out.status == "stopped" and out.rest == 1.0 and len(out.columns) == 0


@pytest.mark.parametrize("seconds", [0.0, 0.05])
def test_a_stopped_walk_bounds_its_gap_by_the_relaxation(fixture150, seconds):
    """Stopped by the time limit in the first round, the result's gap is at most the
    relaxation's maximin minus the minimum reached (PEELED has no relaxation rounds: it
    said 0.91, or « inf » on the progress, for a minimum 1/11 already at the optimum)."""
    from tirage.sortition.leximin import PEELED, leximin_types
    from tirage.sortition.pricing import make_oracle

    model = build_type_model(fixture150)
    target = Relaxation(model).leximin()
    assert target is not None
    sol = leximin_types(model, make_oracle(model, "highs"), time_limit=seconds, schedule=PEELED)
    assert not sol.proven
    reached = float(sol.type_probs.min())
    assert sol.gap <= target.min() - reached + 1e-9
    assert reached + sol.gap >= 1 / 11 - 1e-9  # still an upper bound: LEXIMIN's minimum is 1/11
