"""``tirage sortition …`` end to end, in a subprocess (exit codes, messages, no traceback)."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tirage.sortition.bundle import compute_commitment, make_bundle
from tirage.sortition.model import Distribution, Feature, Instance, Person, Quota
from tirage.sortition.rounding import round_distribution

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "data" / "sortition" / "citizensassemblies_example_small_20"
HAS_SOLVER = importlib.util.find_spec("tirage.sortition.solve") is not None


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tirage", "sortition", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600, check=False,
    )  # fmt: skip


def assert_clean_failure(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


@pytest.fixture
def bundle_path(tmp_path: Path) -> Path:
    rows = [
        ("a01", "nord", "f"), ("a02", "nord", "m"), ("a03", "sud", "f"), ("a04", "sud", "m"),
        ("a05", "nord", "f"), ("a06", "sud", "m"), ("a07", "nord", "m"), ("a08", "sud", "f"),
    ]  # fmt: skip
    people = tuple(Person(i, {"secteur": s, "genre": g}) for i, s, g in rows)
    features = (
        Feature("secteur", {"nord": Quota(1, 2), "sud": Quota(1, 2)}),
        Feature("genre", {"f": Quota(1, 2), "m": Quota(1, 2)}),
    )
    inst = Instance(people, features, 3)
    valid = [c for c in itertools.combinations(inst.ids, 3) if not inst.panel_violations(c)]
    dist = Distribution(tuple(valid), tuple(1 / len(valid) for _ in valid))
    path = tmp_path / "bundle.json"
    make_bundle(inst, round_distribution(dist, 1000, ids=inst.ids),
                objective="leximin", algorithm="hand").write(path)  # fmt: skip
    return path


def test_draw_then_verify(bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    proc = run("draw", bundle_path, "--dice", "4", "2", "7", "--json", result)
    assert proc.returncode == 0, proc.stderr
    assert "427" in proc.stdout
    data = json.loads(result.read_text("utf-8"))
    bundle = json.loads(bundle_path.read_text("utf-8"))
    assert data["index"] == 427
    assert data["selected"] == bundle["panels"][427]
    proc = run("verify", bundle_path, result, "--commitment", bundle["commitment"])
    assert proc.returncode == 0, proc.stderr
    assert "Verified" in proc.stdout
    assert_clean_failure(
        run("verify", bundle_path, result, "--commitment", "ab" * 32), "announced commitment"
    )
    proc = run("verify", bundle_path, result, "--json", "-")
    assert json.loads(proc.stdout[proc.stdout.index("{") : proc.stdout.rindex("}") + 1])["ok"]


def test_seed_draw(bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert run("draw", bundle_path, "--seed", "Roubaix 2026", "--json", result).returncode == 0
    assert run("verify", bundle_path, result).returncode == 0


def test_tampered_bundle_fails_verify_and_draw(bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert run("draw", bundle_path, "--dice", "0", "0", "1", "--json", result).returncode == 0
    data = json.loads(bundle_path.read_text("utf-8"))
    published = data["commitment"]
    data["pool"][0]["values"]["genre"] = "m"
    bundle_path.write_text(json.dumps(data), "utf-8")
    proc = run("verify", bundle_path, result)
    assert_clean_failure(proc, "commitment mismatch", f"published {published}")
    assert_clean_failure(run("draw", bundle_path, "--dice", "4", "2", "7"), "does not verify")


def test_edited_panel_is_named(bundle_path: Path):
    data = json.loads(bundle_path.read_text("utf-8"))
    data["panels"][17] = ["a01", "a02", "a05"]
    data["commitment"] = compute_commitment(data)
    bundle_path.write_text(json.dumps(data), "utf-8")
    assert_clean_failure(run("verify", bundle_path), "panel 17 violates secteur=nord: 3 > max 2")


@pytest.mark.parametrize(
    ("dice", "needle"),
    [(["4", "2"], "needs 3 dice"), (["4", "12", "7"], "die 2"), (["4", "x", "7"], "die 2")],
)
def test_bad_dice(bundle_path: Path, dice, needle):
    assert_clean_failure(run("draw", bundle_path, "--dice", *dice), needle)


def test_bad_files(tmp_path: Path):
    assert_clean_failure(run("verify", tmp_path / "missing.json"), "missing.json")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{oops", "utf-8")
    assert_clean_failure(run("verify", garbage), "not a valid UTF-8 JSON")
    bad = tmp_path / "features.csv"
    bad.write_text("feature,value,min,max\ngender,female,x,20\n", "utf-8")
    assert_clean_failure(run("check", bad, SMALL / "respondents.csv", "--seats", "20"))
    assert_clean_failure(run("solve", bad, SMALL / "respondents.csv", "--seats", "20"))
    assert_clean_failure(run("lottery", bad, SMALL / "respondents.csv", "--seats", "20",
                             "--out", tmp_path / "b.json"))  # fmt: skip
    assert_clean_failure(run("draw"), "")
    assert_clean_failure(run("frobnicate"), "invalid choice")


def test_infeasible_check_prints_reasons_and_relaxation():
    proc = run("check", SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "17")
    assert_clean_failure(proc, "minimums of feature gender add up to 18 > 17 seats", "relaxation")


def test_draw_and_verify_need_neither_solver_numpy_nor_django(bundle_path: Path, tmp_path):
    result = tmp_path / "result.json"
    script = (
        "import sys\n"
        "from tirage.sortition.cli import main\n"
        f"assert main(['draw', {str(bundle_path)!r}, '--dice', '4', '2', '7',"
        f" '--json', {str(result)!r}]) == 0\n"
        f"assert main(['verify', {str(bundle_path)!r}, {str(result)!r}]) == 0\n"
        "heavy = [m for m in ('highspy', 'numpy', 'django', 'ortools') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_engine_never_imports_django():
    script = (
        "import importlib, pkgutil, sys\n"
        "import tirage.sortition as s\n"
        "for m in pkgutil.iter_modules(s.__path__):\n"
        "    importlib.import_module('tirage.sortition.' + m.name)\n"
        "assert 'django' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(not HAS_SOLVER, reason="tirage.sortition.solve not merged yet")
def test_lottery_draw_verify_on_small_20(tmp_path: Path):
    bundle = tmp_path / "bundle.json"
    proc = run("lottery", SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "20",
               "--panels", "1000", "--out", bundle)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # deterministic: the same files give the same bundle, byte for byte
    again = tmp_path / "again.json"
    proc = run("lottery", SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "20",
               "--panels", "1000", "--out", again)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert again.read_bytes() == bundle.read_bytes()
    result = tmp_path / "result.json"
    proc = run("draw", bundle, "--dice", "4", "2", "7", "--json", result)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(result.read_text("utf-8"))["index"] == 427
    proc = run("verify", bundle, result)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(bundle.read_text("utf-8"))
    assert float(data["rounding"]["max_change"]) <= float(data["rounding"]["bound"])
    # leximin gives everyone k/n = 10%: the lottery keeps every probability close
    assert min(data["selections"].values()) >= 90
    # tampering: one feature value changed
    data["pool"][5]["values"]["gender"] = (
        "male" if data["pool"][5]["values"]["gender"] == "female" else "female"
    )
    bundle.write_text(json.dumps(data), "utf-8")
    assert_clean_failure(run("verify", bundle, result), "commitment mismatch")


def test_replace_after_the_draw(bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert run("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).returncode == 0
    drawn = json.loads(result.read_text("utf-8"))
    leaving = drawn["selected"][:2]
    outcome = tmp_path / "replace.json"
    proc = run("replace", bundle_path, result, "--leaving", *leaving, "--json", outcome)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(outcome.read_text("utf-8"))
    assert len(data["replacements"]) == 2
    order = drawn["reserve"]["order"]
    assert [order.index(r) for r in data["replacements"]] == sorted(
        order.index(r) for r in data["replacements"]
    )
    bundle = json.loads(bundle_path.read_text("utf-8"))
    from tirage.sortition.bundle import Bundle

    assert Bundle(bundle).instance().panel_violations(data["panel"]) == []
    assert_clean_failure(run("replace", bundle_path, result, "--leaving", "zz"), "not on the")


@pytest.mark.parametrize("command", ["solve", "lottery"])
def test_infeasible_solve_and_lottery_explain(command, tmp_path: Path):
    extra = ["--out", str(tmp_path / "b.json")] if command == "lottery" else []
    proc = run(command, SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "17",
               *extra)  # fmt: skip
    assert_clean_failure(proc, "minimums of feature gender add up to 18 > 17 seats", "relaxation")
    assert not (tmp_path / "b.json").exists()


def test_draw_writes_the_result_in_canonical_json(bundle_path: Path, tmp_path: Path):
    # Regression: the result file was indented although the protocol says canonical.
    from tirage.sortition.bundle import canonical_json

    result = tmp_path / "result.json"
    assert run("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).returncode == 0
    raw = result.read_bytes()
    assert raw == canonical_json(json.loads(raw)) + b"\n"


def test_failed_replacement_is_not_called_infeasible_quotas(tmp_path: Path):
    # Regression: "Infeasible quotas: no panel meets them" and "No change of quotas alone
    # can make a panel possible" were printed when the reserve could not fill the seats.
    rows = [("c1", "nord", "f"), ("c2", "nord", "m"), ("c3", "sud", "f"), ("c4", "sud", "m"),
            ("c5", "nord", "f"), ("c6", "sud", "m"), ("c7", "nord", "m")]  # fmt: skip
    people = tuple(Person(i, {"secteur": s, "genre": g}) for i, s, g in rows)
    features = (
        Feature("secteur", {"nord": Quota(2, 2), "sud": Quota(2, 2)}),
        Feature("genre", {"f": Quota(2, 2), "m": Quota(2, 2)}),
    )
    inst = Instance(people, features, 4)
    valid = [c for c in itertools.combinations(inst.ids, 4) if not inst.panel_violations(c)]
    dist = Distribution(tuple(valid), tuple(1 / len(valid) for _ in valid))
    bundle, result = tmp_path / "bundle.json", tmp_path / "result.json"
    make_bundle(inst, round_distribution(dist, 1000, ids=inst.ids),
                objective="leximin", algorithm="hand").write(bundle)  # fmt: skip
    assert run("draw", bundle, "--dice", "0", "0", "0", "--json", result).returncode == 0
    selected = json.loads(result.read_text("utf-8"))["selected"]
    proc = run("replace", bundle, result, "--leaving", *selected)
    assert_clean_failure(proc, "No replacement within the quotas", "revisit")
    assert "Infeasible quotas" not in proc.stderr
    assert "No change of quotas" not in proc.stderr


def test_replace_counts_a_repeated_leaving_id_once(bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert run("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).returncode == 0
    member = json.loads(result.read_text("utf-8"))["selected"][0]
    proc = run("replace", bundle_path, result, "--leaving", member, member, "--json", "-")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["leaving"] == [member]
    assert len(data["replacements"]) == 1


@pytest.mark.skipif(not HAS_SOLVER, reason="needs the solver")
def test_solve_reports_the_invariants():
    proc = run("solve", SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "20")
    assert proc.returncode == 0, proc.stderr
    assert "invariants" in proc.stdout and "8/8 hold" in proc.stdout


@pytest.mark.skipif(not HAS_SOLVER, reason="needs the solver")
def test_infeasible_solve_still_writes_json():
    # Regression: `solve --json -` printed nothing on stdout when the quotas were infeasible.
    proc = run("solve", SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "17",
               "--json", "-")  # fmt: skip
    assert_clean_failure(proc, "minimums of feature gender add up to 18 > 17 seats")
    report = json.loads(proc.stdout)
    assert report["feasible"] is False
    assert report["relaxation"]["changes"]


def test_draw_and_replace_never_overwrite_their_inputs(bundle_path: Path, tmp_path: Path):
    # Regression: `draw BUNDLE --json BUNDLE` replaced the published bundle by the result.
    before = bundle_path.read_bytes()
    proc = run("draw", bundle_path, "--dice", "4", "2", "7", "--json", bundle_path)
    assert_clean_failure(proc, "would overwrite the input")
    assert bundle_path.read_bytes() == before
    result = tmp_path / "result.json"
    assert run("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).returncode == 0
    member = json.loads(result.read_text("utf-8"))["selected"][0]
    proc = run("replace", bundle_path, result, "--leaving", member, "--json", result)
    assert_clean_failure(proc, "would overwrite the input")
    assert run("verify", bundle_path, result).returncode == 0


def test_lottery_refuses_the_legacy_baseline(tmp_path):
    out = tmp_path / "bundle.json"
    proc = run(
        "lottery", SMALL / "categories.csv", SMALL / "respondents.csv", "--seats", "20",
        "--objective", "legacy", "--out", out,
    )  # fmt: skip
    assert_clean_failure(proc, "comparison only")
    assert not out.exists()
