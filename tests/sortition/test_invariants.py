"""The invariants checked on every result (``invariants.check_invariants``)."""

from __future__ import annotations

import numpy as np

from tirage.sortition.invariants import check_invariants
from tirage.sortition.pricing import make_oracle
from tirage.sortition.symmetry import build_type_model


def _zero_check(instance, *, exact):
    model = build_type_model(instance)
    oracle = make_oracle(model, "highs")
    probabilities = dict.fromkeys(instance.ids, 0.0)  # everybody at 0: every type could sit
    columns, weights = np.zeros((1, model.n_types), dtype=np.int64), np.ones(1)
    checks = check_invariants(
        instance, model, probabilities, oracle, None,
        exact=exact, maximin_required=False, types=(columns, weights),
    )  # fmt: skip
    return model, oracle, next(c for c in checks if c.name == "zero_only_if_impossible")


def test_an_exact_result_checks_every_type_at_zero(fixture150):
    model, oracle, check = _zero_check(fixture150, exact=True)
    assert model.n_types == 122 and oracle.calls == 122
    assert not check.ok and check.required
    assert check.detail.startswith("122 type(s) at 0 could be on a panel, e.g. ")


def test_an_unproven_result_stops_at_the_first_counterexample(fixture150):
    # Regression: after `solve --time-limit 20` on 30,000 people (3,219 types, the
    # seeding stopped early) this check solved one integer program per type at 0,
    # minutes past the time limit, for a check that is only informative then.
    _, oracle, check = _zero_check(fixture150, exact=False)
    assert oracle.calls == 1
    assert not check.ok and not check.required
    assert check.detail.startswith(
        "150 people in 122 type(s) at 0, at least one type could be on a panel"
        " (not every type checked: the result is not exact), e.g. "
    )
