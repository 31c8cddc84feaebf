"""The one pipeline from a pool to a public lottery (``pipeline.prepare_lottery``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tirage.sortition.leximin as leximin
from tirage.sortition.bundle import load_bundle, make_bundle
from tirage.sortition.choices import LOTTERY_OBJECTIVES, OBJECTIVES
from tirage.sortition.cli import main
from tirage.sortition.errors import InfeasibleError, InputError
from tirage.sortition.model import Progress
from tirage.sortition.pipeline import prepare_lottery
from tirage.sortition.rotation import round_types
from tirage.sortition.solve import solve
from tirage.sortition.verify import verify

from ._data import load
from ._tiny import make


class _Recorder(Progress):
    def __init__(self) -> None:
        self.stages: list[str] = []

    def update(self, stage: str, done: int, total: int | None = None, message: str = "") -> None:
        if not self.stages or self.stages[-1] != stage:
            self.stages.append(stage)


def test_prepared_lottery_is_the_chain_of_its_steps():
    instance = load("citizensassemblies_example_small_20")
    progress = _Recorder()
    prepared = prepare_lottery(
        instance, panels=1000, metadata={"title": "Conseil"}, progress=progress
    )
    assert progress.stages == ["leximin", "peeling", "leximin", "rounding"]
    # the same steps by hand give the same bytes
    solution = solve(instance)
    types = solution.types
    assert types is not None
    lottery = round_types(types.model, types.columns, types.weights, 1000)
    bundle = make_bundle(instance, lottery, objective="leximin", algorithm="leximin/highs",
                         metadata={"title": "Conseil"})  # fmt: skip
    assert prepared.bundle.to_bytes() == bundle.to_bytes()
    assert prepared.commitment == bundle.commitment
    assert prepared.solution.ok and prepared.lottery.m == 1000
    assert verify(prepared.bundle).ok
    # leximin gives everybody 20/200 = 100/1000: the rotation gives everybody exactly 100
    assert prepared.min_probability == min(prepared.bundle.selections.values()) / 1000
    assert set(prepared.bundle.selections.values()) == {100}
    assert prepared.bundle.data["rounding"]["method"].startswith("type-rotation/1")
    # the solver's panels of people are never made on the way to a lottery
    assert prepared.solution.person_panels is None


@pytest.mark.parametrize(
    ("objective", "panels", "code"),
    [
        ("legacy", 1000, "objective_not_for_lottery"),
        ("maximin", 1000, "objective_not_for_lottery"),
        ("fairest", 1000, "unknown_objective"),
        ("leximin", 100, "bad_lottery_size"),
    ],
)
def test_refused_before_any_computation(objective, panels, code):
    # an infeasible instance: had the solver run, InfeasibleError would be raised
    instance = make([("f",), ("m",)], [("gender", {"f": (2, 2), "m": (0, 2)})], 2)
    with pytest.raises(InputError) as info:
        prepare_lottery(instance, objective=objective, panels=panels)
    assert info.value.code == code
    if code == "objective_not_for_lottery":
        assert "use leximin or goldilocks" in info.value.message


def test_objectives_are_listed_once():
    assert set(LOTTERY_OBJECTIVES) < set(OBJECTIVES)
    with pytest.raises(InputError, match="unknown objective 'fairest'"):
        solve(load("citizensassemblies_example_small_20"), objective="fairest")
    with pytest.raises(InputError, match="unknown pricing 'gurobi'"):
        solve(load("citizensassemblies_example_small_20"), pricing="gurobi")


def test_infeasible_quotas_carry_the_feasibility_report():
    instance = make(
        [("f", "young"), ("f", "old"), ("m", "old"), ("m", "old")],
        [("gender", {"f": (1, 2), "m": (1, 2)}), ("age", {"young": (2, 2), "old": (0, 2)})],
        2,
    )
    with pytest.raises(InfeasibleError) as info:
        prepare_lottery(instance)
    report = info.value.report
    assert report is not None and not report.feasible
    assert [r.code for r in report.reasons] == ["value_below_min"]
    assert report.relaxation is not None
    assert [c.message for c in report.relaxation.changes] == ["age=young: min 2 → 1 (−1)"]
    assert info.value.params["reasons"] == [r.message for r in report.reasons]


def test_a_lottery_from_an_unproven_result_says_so_in_the_bundle(monkeypatch, tmp_path):
    # Regression: without a time limit, an exact pricing stopped at PRICING_TIME_LIMIT
    # left the result not proven, and solve() then failed formatting its warning
    # (TypeError on `None:g`): `lottery` ended in « internal error ».
    monkeypatch.setattr(leximin, "PRICING_TIME_LIMIT", 0.0)
    monkeypatch.setattr(leximin, "PEELED", leximin.CLASSIC)  # by rounds, not by peeling
    prepared = prepare_lottery(load("civic_synth_400_k20"), panels=1000)
    assert not prepared.solution.proven and prepared.solution.gap > 1e-7
    assert prepared.solution.warnings[0].startswith(
        "not proven leximin: an exact pricing reached its own time limit before proving the round;"
    )
    assert prepared.bundle.data["algorithm"] == (
        f"leximin/highs, not proven (gap {prepared.solution.gap:.2e})"
    )
    path = tmp_path / "b.json"
    prepared.bundle.write(path)
    assert verify(load_bundle(path)).ok
    fixture = Path(__file__).resolve().parents[2] / "data" / "sortition" / "civic_synth_400_k20"
    summary = tmp_path / "s.json"
    code = main(["lottery", str(fixture / "features.csv"), str(fixture / "people.csv"),
                 "--seats", "20", "--out", str(tmp_path / "c.json"), "--json", str(summary)])  # fmt: skip
    assert code == 0
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["proven"] is False and data["gap"] > 1e-7
