"""``tirage sortition …`` through ``main(argv)``, in process: exit codes, messages, files.

Two subprocess smoke tests remain at the end: the ``python -m tirage`` entry point,
and the light install (``draw``/``verify`` without numpy or the solver, no Django).
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tirage.sortition.bundle import Bundle, canonical_json, compute_commitment, make_bundle
from tirage.sortition.cli import main
from tirage.sortition.model import Distribution, Feature, Instance, Person, Quota
from tirage.sortition.rounding import round_distribution

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "data" / "sortition" / "citizensassemblies_example_small_20"
SMALL_ARGS = (SMALL / "categories.csv", SMALL / "respondents.csv")
INFEASIBLE = "minimums of feature gender add up to 18 > 17 seats"


class Run:
    """``main(argv)`` with its exit code and what it printed."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def fails_cleanly(self, *needles: str) -> bool:
        assert self.code == 2, (self.out, self.err)
        for needle in needles:
            assert needle in self.err, self.err
        return True


Cli = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*args: object) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def _write_bundle(path: Path, inst: Instance) -> None:
    valid = [
        c for c in itertools.combinations(inst.ids, inst.seats) if not inst.panel_violations(c)
    ]
    dist = Distribution(tuple(valid), tuple(1 / len(valid) for _ in valid))
    lottery = round_distribution(dist, 1000, ids=inst.ids)
    make_bundle(inst, lottery, objective="leximin", algorithm="hand").write(path)


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
    path = tmp_path / "bundle.json"
    _write_bundle(path, Instance(people, features, 3))
    return path


# -- draw, verify, replace (no solver) ----------------------------------------------
def test_draw_then_verify(cli: Cli, bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    run = cli("draw", bundle_path, "--dice", "4", "2", "7", "--json", result)
    assert run.code == 0, run.err
    assert "panel 427 of 1000" in run.out and f"Wrote {result}" in run.out
    data = json.loads(result.read_text("utf-8"))
    bundle = json.loads(bundle_path.read_text("utf-8"))
    assert data["index"] == 427
    assert data["selected"] == bundle["panels"][427]
    # canonical JSON, as the protocol says (regression: the result file was indented)
    assert result.read_bytes() == canonical_json(data) + b"\n"
    run = cli("verify", bundle_path, result, "--commitment", bundle["commitment"])
    assert run.code == 0, run.err
    assert "Verified" in run.out and "announced commitment" in run.out
    cli("verify", bundle_path, result, "--commitment", "ab" * 32).fails_cleanly(
        "announced commitment"
    )
    run = cli("verify", bundle_path, result, "--json", "-")
    assert run.code == 0 and json.loads(run.out)["ok"] is True
    assert "Verified" in run.err  # the table goes to stderr when stdout holds the JSON


def test_a_long_path_is_printed_on_one_line(cli: Cli, bundle_path: Path, tmp_path: Path):
    folder = tmp_path / ("un-dossier-au-nom-tres-long-" * 4)
    folder.mkdir()
    result = folder / "resultat-du-tirage.json"
    run = cli("draw", bundle_path, "--dice", "4", "2", "7", "--json", result)
    assert run.code == 0, run.err
    assert len(str(result)) > 100 and f"Wrote {result}\n" in run.out


def test_draw_without_json_prints_the_panel_and_says_it_is_not_saved(cli: Cli, bundle_path):
    run = cli("draw", bundle_path, "--seed", "Roubaix 2026")
    assert run.code == 0, run.err
    index = int(run.out.split("→ panel ")[1].split()[0])
    panel = json.loads(bundle_path.read_text("utf-8"))["panels"][index]
    assert all(pid in run.out for pid in panel)
    reserve = [pid for pid in json.loads(bundle_path.read_text("utf-8"))["selections"]
               if pid not in panel]  # fmt: skip
    line = next(x for x in run.out.splitlines() if x.startswith("Reserve order"))
    assert line.startswith("Reserve order: ") and sorted(line[15:].split(", ")) == reserve
    assert "result not saved" in run.err
    run = cli("draw", bundle_path, "--seed", "Roubaix 2026", "--json", "-")
    assert json.loads(run.out)["index"] == index


def test_seed_draw_verifies(cli: Cli, bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert cli("draw", bundle_path, "--seed", "Roubaix 2026", "--json", result).code == 0
    assert cli("verify", bundle_path, result).code == 0


def test_tampered_bundle_fails_verify_and_draw(cli: Cli, bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert cli("draw", bundle_path, "--dice", "0", "0", "1", "--json", result).code == 0
    data = json.loads(bundle_path.read_text("utf-8"))
    published = data["commitment"]
    data["pool"][0]["values"]["genre"] = "m"
    bundle_path.write_text(json.dumps(data), "utf-8")
    run = cli("verify", bundle_path, result)
    assert run.fails_cleanly("commitment mismatch", f"published {published}")
    assert "FAILED" in run.out
    cli("draw", bundle_path, "--dice", "4", "2", "7").fails_cleanly("does not verify")
    cli("replace", bundle_path, result, "--leaving", "a01").fails_cleanly("do not verify")


def test_edited_panel_is_named(cli: Cli, bundle_path: Path):
    data = json.loads(bundle_path.read_text("utf-8"))
    data["panels"][17] = ["a01", "a02", "a05"]
    data["commitment"] = compute_commitment(data)
    bundle_path.write_text(json.dumps(data), "utf-8")
    cli("verify", bundle_path).fails_cleanly("panel 17 violates secteur=nord: 3 > max 2")


@pytest.mark.parametrize(
    ("dice", "needle"),
    [(["4", "2"], "needs 3 dice"), (["4", "12", "7"], "die 2"), (["4", "x", "7"], "die 2")],
)
def test_bad_dice(cli: Cli, bundle_path: Path, dice, needle):
    cli("draw", bundle_path, "--dice", *dice).fails_cleanly(needle)


def test_bad_files_and_arguments(cli: Cli, tmp_path: Path):
    cli("verify", tmp_path / "missing.json").fails_cleanly("missing.json")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{oops", "utf-8")
    cli("verify", garbage).fails_cleanly("not a valid UTF-8 JSON")
    bad = tmp_path / "features.csv"
    bad.write_text("feature,value,min,max\ngender,female,x,20\n", "utf-8")
    people = SMALL / "respondents.csv"
    for command in ("check", "solve", "lottery"):
        out = ["--out", tmp_path / "b.json"] if command == "lottery" else []
        run = cli(command, bad, people, "--seats", "20", *out)
        assert run.fails_cleanly("features.csv, line 2, column 'min': min 'x' is not a whole")
    assert not (tmp_path / "b.json").exists()
    cli("draw").fails_cleanly("usage: tirage sortition draw")
    cli("frobnicate").fails_cleanly("invalid choice")
    # a public lottery is fair or is not made (maximin and legacy are for comparison)
    for objective in ("legacy", "maximin"):
        run = cli("lottery", *SMALL_ARGS, "--seats", "20", "--objective", objective,
                  "--out", tmp_path / "b.json")  # fmt: skip
        assert run.fails_cleanly("invalid choice", "leximin", "goldilocks")
    assert not (tmp_path / "b.json").exists()
    cli("lottery", *SMALL_ARGS, "--seats", "20", "--panels", "500",
        "--out", tmp_path / "b.json").fails_cleanly("invalid choice: 500")  # fmt: skip


def test_help_exits_with_zero(cli: Cli):
    run = cli("lottery", "--help")
    assert run.code == 0 and "--panels" in run.out


def test_replace_after_the_draw(cli: Cli, bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert cli("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).code == 0
    drawn = json.loads(result.read_text("utf-8"))
    leaving = drawn["selected"][:2]
    outcome = tmp_path / "replace.json"
    run = cli("replace", bundle_path, result, "--leaving", *leaving, "--json", outcome)
    assert run.code == 0, run.err
    data = json.loads(outcome.read_text("utf-8"))
    assert data["leaving"] == leaving and len(data["replacements"]) == 2
    assert f"Replacements, in reserve order: {', '.join(data['replacements'])}" in run.out
    order = drawn["reserve"]["order"]
    positions = [order.index(r) for r in data["replacements"]]
    assert positions == sorted(positions)
    bundle = Bundle(json.loads(bundle_path.read_text("utf-8")))
    assert bundle.instance().panel_violations(data["panel"]) == []
    cli("replace", bundle_path, result, "--leaving", "zz").fails_cleanly("not on the")
    # a member counted twice leaves once
    member = drawn["selected"][0]
    run = cli("replace", bundle_path, result, "--leaving", member, member, "--json", "-")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["leaving"] == [member] and len(data["replacements"]) == 1
    # the current panel may differ from the drawn one
    others = [p for p in data["panel"] if p != data["replacements"][0]]
    run = cli("replace", bundle_path, result, "--leaving", others[0], "--panel", *data["panel"],
              "--json", "-")  # fmt: skip
    assert run.code == 0, run.err
    assert data["replacements"][0] in json.loads(run.out)["panel"]


def test_failed_replacement_is_not_called_infeasible_quotas(cli: Cli, tmp_path: Path):
    # Regression: "Infeasible quotas: no panel meets them" and "No change of quotas alone
    # can make a panel possible" were printed when the reserve could not fill the seats.
    rows = [("c1", "nord", "f"), ("c2", "nord", "m"), ("c3", "sud", "f"), ("c4", "sud", "m"),
            ("c5", "nord", "f"), ("c6", "sud", "m"), ("c7", "nord", "m")]  # fmt: skip
    people = tuple(Person(i, {"secteur": s, "genre": g}) for i, s, g in rows)
    features = (
        Feature("secteur", {"nord": Quota(2, 2), "sud": Quota(2, 2)}),
        Feature("genre", {"f": Quota(2, 2), "m": Quota(2, 2)}),
    )
    bundle, result = tmp_path / "bundle.json", tmp_path / "result.json"
    _write_bundle(bundle, Instance(people, features, 4))
    assert cli("draw", bundle, "--dice", "0", "0", "0", "--json", result).code == 0
    selected = json.loads(result.read_text("utf-8"))["selected"]
    run = cli("replace", bundle, result, "--leaving", *selected)
    assert run.fails_cleanly("No replacement within the quotas", "revisit")
    assert "Infeasible quotas" not in run.err
    assert "No change of quotas" not in run.err


def test_draw_and_replace_never_overwrite_their_inputs(cli: Cli, bundle_path, tmp_path):
    # Regression: `draw BUNDLE --json BUNDLE` replaced the published bundle by the result.
    before = bundle_path.read_bytes()
    run = cli("draw", bundle_path, "--dice", "4", "2", "7", "--json", bundle_path)
    assert run.fails_cleanly("would overwrite the input")
    assert bundle_path.read_bytes() == before
    result = tmp_path / "result.json"
    assert cli("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).code == 0
    member = json.loads(result.read_text("utf-8"))["selected"][0]
    run = cli("replace", bundle_path, result, "--leaving", member, "--json", result)
    assert run.fails_cleanly("would overwrite the input")
    assert cli("verify", bundle_path, result).code == 0


# -- check, solve, lottery (solver) ---------------------------------------------------
def test_check(cli: Cli, tmp_path: Path):
    run = cli("check", *SMALL_ARGS, "--seats", "20", "--json", tmp_path / "report.json")
    assert run.code == 0, run.err
    assert "Feasible: 200 people, 2 features, 20 seats." in run.out
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["feasible"] is True and len(report["example_panel"]) == 20
    run = cli("check", *SMALL_ARGS, "--seats", "17")
    assert run.fails_cleanly(INFEASIBLE, "Smallest relaxation of the quotas")
    assert "gender=female: min 9 → 8 (−1)" in run.err or "gender=male: min 9 → 8 (−1)" in run.err


def test_solve_reports_the_invariants(cli: Cli, tmp_path: Path):
    out = tmp_path / "solve.json"
    run = cli("solve", *SMALL_ARGS, "--seats", "20", "--json", out)
    assert run.code == 0, run.err
    assert "8/8 hold" in run.out and "leximin/highs" in run.out
    data = json.loads(out.read_text("utf-8"))
    assert data["min_probability"] == pytest.approx(0.1, abs=1e-6)
    assert sum(data["probabilities"].values()) == pytest.approx(20)
    # the rare profiles are pushed above 50 % by the quotas' shape: none here
    assert "warning" not in run.err


def test_solve_warns_about_high_probabilities(cli: Cli):
    # LEXIMIN is unique: the quotas force somebody to 100 % here (a maximin vertex is arbitrary)
    fixture = ROOT / "data" / "sortition" / "civic_synth_400_k20"
    run = cli("solve", fixture / "features.csv", fixture / "people.csv", "--seats", "20",
              "--household-columns", "address", "postcode", "--json", "-")  # fmt: skip
    assert run.code == 0, run.err
    data = json.loads(run.out)
    high = sorted(pid for pid, p in data["probabilities"].items() if p > 0.5)
    assert high and all(f"warning: {pid} has selection probability" in run.err for pid in high)


def test_solve_with_a_time_limit_says_not_proven(cli: Cli):
    fixture = ROOT / "data" / "sortition" / "sortition_algorithms_fixture_150"
    run = cli("solve", fixture / "features.csv", fixture / "candidates.csv", "--seats", "22",
              "--id-column", "nationbuilder_id", "--time-limit", "0", "--json", "-")  # fmt: skip
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["proven"] is False and data["gap"] > 1e-7
    assert "warning: not proven leximin: the time limit (0 s) was reached" in run.err


@pytest.mark.parametrize("command", ["solve", "lottery"])
def test_infeasible_solve_and_lottery_explain_and_write_the_report(cli, command, tmp_path):
    # Regression: `solve --json -` printed nothing on stdout when the quotas were infeasible.
    extra = ["--out", tmp_path / "b.json"] if command == "lottery" else []
    run = cli(command, *SMALL_ARGS, "--seats", "17", "--json", "-", *extra)
    assert run.fails_cleanly(INFEASIBLE, "Smallest relaxation of the quotas")
    report = json.loads(run.out)
    assert report["feasible"] is False and report["relaxation"]["changes"]
    assert not (tmp_path / "b.json").exists()


def test_lottery_draw_verify_on_small_20(cli: Cli, tmp_path: Path):
    bundle = tmp_path / "bundle.json"
    run = cli("lottery", *SMALL_ARGS, "--seats", "20", "--out", bundle, "--json", "-")
    assert run.code == 0, run.err
    summary = json.loads(run.out)
    data = json.loads(bundle.read_text("utf-8"))
    assert summary["commitment"] == data["commitment"] and summary["m"] == 1000
    assert summary["commitment"] in run.err  # printed to be published
    # deterministic: the same files give the same bundle, byte for byte
    again = tmp_path / "again.json"
    assert cli("lottery", *SMALL_ARGS, "--seats", "20", "--out", again).code == 0
    assert again.read_bytes() == bundle.read_bytes()
    result = tmp_path / "result.json"
    assert cli("draw", bundle, "--dice", "4", "2", "7", "--json", result).code == 0
    assert json.loads(result.read_text("utf-8"))["index"] == 427
    assert cli("verify", bundle, result).code == 0
    assert float(data["rounding"]["max_change"]) <= float(data["rounding"]["bound"])
    # leximin gives everyone k/n = 10%: the lottery keeps every probability close
    assert min(data["selections"].values()) >= 90
    assert summary["min_probability_after"] == min(data["selections"].values()) / 1000
    # tampering: one feature value changed
    person = data["pool"][5]["values"]
    person["gender"] = "male" if person["gender"] == "female" else "female"
    bundle.write_text(json.dumps(data), "utf-8")
    cli("verify", bundle, result).fails_cleanly("commitment mismatch")


def test_lottery_options_reach_the_bundle(cli: Cli, tmp_path: Path):
    bundle = tmp_path / "bundle.json"
    run = cli("lottery", *SMALL_ARGS, "--seats", "20", "--objective", "goldilocks",
              "--panels", "10000", "--title", "Conseil é", "--out", bundle)  # fmt: skip
    assert run.code == 0, run.err
    data = json.loads(bundle.read_text("utf-8"))
    assert (data["objective"], data["algorithm"], data["m"]) == (
        "goldilocks", "goldilocks/highs", 10000)  # fmt: skip
    assert data["metadata"] == {"title": "Conseil é"}
    assert len(data["panels"]) == 10000


# -- subprocess smoke tests -------------------------------------------------------------
def test_entry_point(bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, "-m", "tirage", "sortition", "draw", str(bundle_path),
         "--dice", "4", "2", "7", "--json", str(result)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(result.read_text("utf-8"))["index"] == 427
    proc = subprocess.run(
        [sys.executable, "-m", "tirage", "sortition", "verify", str(tmp_path / "missing.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "missing.json" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_draw_and_verify_need_neither_solver_numpy_nor_django(bundle_path: Path, tmp_path):
    result = tmp_path / "result.json"
    script = (
        "import importlib, pkgutil, sys\n"
        "from tirage.sortition.cli import main\n"
        f"assert main(['draw', {str(bundle_path)!r}, '--dice', '4', '2', '7',"
        f" '--json', {str(result)!r}]) == 0\n"
        f"assert main(['verify', {str(bundle_path)!r}, {str(result)!r}]) == 0\n"
        "heavy = [m for m in ('highspy', 'numpy', 'django', 'ortools') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import tirage.sortition as s\n"
        "for m in pkgutil.iter_modules(s.__path__):\n"
        "    importlib.import_module('tirage.sortition.' + m.name)\n"
        "assert 'django' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_verify_answers_in_french(cli: Cli, bundle_path: Path, tmp_path: Path):
    result = tmp_path / "result.json"
    assert cli("draw", bundle_path, "--dice", "4", "2", "7", "--json", result).code == 0
    run = cli("verify", bundle_path, result, "--lang", "fr")
    assert run.code == 0, run.err
    assert "Vérification du tirage au sort" in run.out and "engagement (SHA-256)" in run.out
    assert "liste complémentaire" in run.out and "juste" in run.out and "FAUX" not in run.out
    # This hand-made bundle was not rounded by the rotation: said, not a failure.
    out = " ".join(run.out.split())  # rich wraps to the terminal's width
    assert "Vérifié : les 14 contrôles effectués sont justes ; non vérifié : rotation" in out
    assert "non vérifié" in run.out
    data = json.loads(bundle_path.read_text("utf-8"))
    data["pool"][0]["values"]["genre"] = "m"
    bundle_path.write_text(json.dumps(data), "utf-8")
    run = cli("verify", bundle_path, result, "--lang", "fr")
    assert run.code == 2 and "FAUX" in run.out
    assert "La vérification a échoué" in run.err and "engagement (SHA-256)" in run.err


def test_verify_names_a_rotation_it_did_not_re_derive(cli: Cli, tmp_path: Path):
    """A sceptic changes ``rounding.method`` of a rotated lottery and commits again: every
    other check holds, so the CLI must list the rotation as not verified, in both languages."""
    from tirage.sortition.pipeline import prepare_lottery

    def flat(run: Run) -> str:  # rich wraps the table and verdict to the terminal's width
        return " ".join(run.out.split())

    from ._data import load

    data = copy.deepcopy(prepare_lottery(load("citizensassemblies_example_small_20")).bundle.data)
    assert data["rounding"]["method"].startswith("type-rotation/")
    path = tmp_path / "bundle.json"
    path.write_bytes(canonical_json(data))
    run = cli("verify", path)
    assert run.code == 0 and "not verified" not in flat(run)
    assert "Verified: every check passed." in flat(run)

    data["rounding"]["method"] = "largest-remainder/1"
    data["commitment"] = compute_commitment(data)
    path.write_bytes(canonical_json(data))
    run = cli("verify", path, "--json", tmp_path / "report.json")
    assert run.code == 0
    assert "not verified" in flat(run)
    assert "Verified: every check made passed; not verified: rotation." in flat(run)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert [s["name"] for s in report["skipped"]] == ["rotation"]
    assert "'largest-remainder/1'" in report["skipped"][0]["reason"]
    assert "rotation" not in [c["name"] for c in report["checks"]]

    run = cli("verify", path, "--lang", "fr")
    assert run.code == 0 and "non vérifié" in flat(run)
    assert "recalculée" in flat(run)
    assert "Vérifié : les 7 contrôles effectués sont justes ; non vérifié : rotation des" in flat(
        run
    )


def test_verify_in_french_says_the_rotation_failures_in_french(cli: Cli, tmp_path: Path):
    """A sceptic swaps two people of the same type between two panels and commits again:
    in French the rotation check is named, and its detail is French too."""
    from tirage.sortition.pipeline import prepare_lottery

    from ._data import load

    data = copy.deepcopy(prepare_lottery(load("sortition_algorithms_fixture_150")).bundle.data)
    profile = {p["id"]: tuple(sorted(p["values"].items())) for p in data["pool"]}
    panels = data["panels"]
    i, j, x, y = next(
        (i, j, x, y)
        for i in range(len(panels))
        for j in range(i + 1, len(panels))
        for x in sorted(set(panels[i]) - set(panels[j]))
        for y in sorted(set(panels[j]) - set(panels[i]))
        if profile[x] == profile[y]
    )
    panels[i] = sorted(y if k == x else k for k in panels[i])
    panels[j] = sorted(x if k == y else k for k in panels[j])
    panels.sort()
    data["commitment"] = compute_commitment(data)
    path = tmp_path / "bundle.json"
    path.write_bytes(canonical_json(data))
    run = cli("verify", path, "--lang", "fr")
    assert run.code == 2
    assert "1 contrôle(s) faux : rotation des personnes au sein de chaque type" in run.err
    assert "n'est pas celui de la rotation : il contient" in run.err
    assert "(en anglais)" not in run.err  # every detail of this failure is in French
    flat = " ".join(run.out.split())
    assert "personnes," in flat and "caractéristiques," in flat and "sièges" in flat  # pool
    assert "people" not in flat and "seats" not in flat


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal(cli: Cli):
    # Regression: the rich bar printed nothing at all into a log file or a pipe, so
    # `solve … 2> log` on a large pool said nothing for minutes.
    fixture = ROOT / "data" / "sortition" / "sortition_algorithms_fixture_150"
    run = cli("solve", fixture / "features.csv", fixture / "candidates.csv", "--seats", "22",
              "--id-column", "nationbuilder_id")  # fmt: skip
    assert run.code == 0, run.err
    lines = [line for line in run.err.splitlines() if line.startswith("[")]
    assert re.fullmatch(
        r"\[ +\d+\.\d s\] leximin: 150 people, 22 seats: computing the distribution", lines[0]
    )
    assert any(re.search(r"\] leximin: proven, \d+ panels peeled off", x) for x in lines)
    assert len(lines) == len(set(lines))  # a message is written once
    assert "\x1b[" not in run.err  # no terminal control codes in a log


def _tiny_pool(folder: Path, forced_id: str) -> tuple[Path, Path]:
    """8 seats; ``forced_id`` is the only person of gender x, whom the quotas force in."""
    features, people = folder / "features.csv", folder / "people.csv"
    features.write_text(
        "feature,value,min,max\ngender,f,3,5\ngender,m,3,5\ngender,x,1,1\n", encoding="utf-8"
    )
    rows = ["id,gender", *(f"p{i},{'fm'[i % 2]}" for i in range(20)), f"{forced_id},x"]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return features, people


def test_ids_and_values_with_brackets_are_printed_as_written(cli: Cli, tmp_path: Path):
    # Regression: user text went through rich markup: an id `so[/]lo` made `solve`
    # fail with « internal error (MarkupError) », and `[bold]solo` was shown as `solo`
    # in the drawn panel.
    features, people = _tiny_pool(tmp_path, "so[/]lo")
    run = cli("solve", features, people, "--seats", "8")
    assert run.code == 0, run.err
    assert "warning: so[/]lo has selection probability 1.0000 > 0.5" in run.err
    features, people = _tiny_pool(tmp_path, "[bold]solo")
    bundle, result = tmp_path / "b[1].json", tmp_path / "r.json"
    assert cli("lottery", features, people, "--seats", "8", "--out", bundle).code == 0
    run = cli("draw", bundle, "--seed", "[red]x", "--json", result)
    assert run.code == 0, run.err
    assert "│ [bold]solo │" in run.out and "Randomness '[red]x' → panel" in run.out
    run = cli("replace", bundle, result, "--leaving", "[bold]solo")
    assert run.fails_cleanly("gender=x: need 1 to 1 more among the newcomers")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_verify_reports_a_hostile_bundle_instead_of_crashing(cli: Cli, tmp_path: Path, lang):
    # Regression: a bundle holding `[/]` in a value made `verify` stop with an internal
    # error (MarkupError) instead of naming the failed check.
    features, people = _tiny_pool(tmp_path, "solo")
    bundle = tmp_path / "b.json"
    assert cli("lottery", features, people, "--seats", "8", "--out", bundle).code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["pool"][0]["values"]["gender"] = "[/]m"
    del data["commitment"]
    data["commitment"] = compute_commitment(data)
    bundle.write_bytes(canonical_json(data))
    run = cli("verify", bundle, "--lang", lang)
    assert run.fails_cleanly("'[/]m'")
    assert "internal error" not in run.err


def _swap_within_a_profile(data: dict) -> tuple[str, str]:
    """Swap two people of one profile between two panels, re-sort, re-commit (§4)."""
    profile = {p["id"]: json.dumps(p["values"], sort_keys=True) for p in data["pool"]}
    panels = data["panels"]
    for i, j in itertools.combinations(range(len(panels)), 2):
        a, b = set(panels[i]), set(panels[j])
        for x, y in itertools.product(sorted(a - b), sorted(b - a)):
            if profile[x] == profile[y]:
                panels[i], panels[j] = sorted(a - {x} | {y}), sorted(b - {y} | {x})
                panels.sort()
                data["commitment"] = compute_commitment(data)
                return x, y
    raise AssertionError("no two people of one profile to swap")


def test_verify_catches_a_swap_within_a_profile_in_french_too(cli: Cli, tmp_path: Path):
    # Same counts per person, same probabilities, valid panels, a fresh commitment:
    # only the published rotation tells the swap apart.
    features, people = _tiny_pool(tmp_path, "solo")
    bundle, result = tmp_path / "b.json", tmp_path / "r.json"
    assert cli("lottery", features, people, "--seats", "8", "--out", bundle).code == 0
    assert cli("draw", bundle, "--dice", "4", "2", "7", "--json", result).code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    _swap_within_a_profile(data)
    tampered = tmp_path / "t.json"
    tampered.write_bytes(canonical_json(data))
    run = cli("verify", tampered)
    assert run.fails_cleanly("is not the rotation of the type panels: it lists ['p")
    assert "│ rotation " in run.out and "│ probabilities │ ok " in run.out
    run = cli("verify", tampered, result, "--lang", "fr")
    assert run.fails_cleanly(
        "n'est pas celui de la rotation : il contient ['p",
        "empreinte citée par le résultat ",
    )
    assert "(en anglais)" not in run.out + run.err


def test_at_most_ten_people_above_one_half_are_listed_on_stderr(cli: Cli, tmp_path: Path):
    # Regression: an unproven solve on 30,000 people listed 89 such lines before its table.
    features, people = tmp_path / "features.csv", tmp_path / "people.csv"
    features.write_text("feature,value,min,max\ngroup,a,12,12\ngroup,b,3,3\n", encoding="utf-8")
    rows = ["id,group", *(f"a{i:02d},a" for i in range(12)), *(f"b{i},b" for i in range(9))]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = cli("solve", features, people, "--seats", "15", "--json", tmp_path / "s.json")
    assert run.code == 0, run.err
    listed = [line for line in run.err.splitlines() if "has selection probability" in line]
    assert listed == [
        f"warning: a{i:02d} has selection probability 1.0000 > 0.5" for i in range(10)
    ]
    assert "warning: … and 2 more people above 0.5 (all in --json)" in run.err
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert len(data["warnings"]) == 12


def test_lottery_counts_the_type_panels_it_lists_as_verify_does(cli: Cli, tmp_path: Path):
    # Regression: `lottery` said 113 distinct panels of types on fixture_150 (the
    # solver's support) where the bundle lists 106, the figure `verify` re-derives.
    fixture = ROOT / "data" / "sortition" / "sortition_algorithms_fixture_150"
    bundle = tmp_path / "b.json"
    run = cli("lottery", fixture / "features.csv", fixture / "candidates.csv", "--seats", "22",
              "--id-column", "nationbuilder_id", "--out", bundle)  # fmt: skip
    assert run.code == 0, run.err
    said = re.search(r"distinct panels of types +│ +(\d+) \(solver support (\d+)\)", run.out)
    assert said, run.out
    run = cli("verify", bundle)
    assert run.code == 0, run.err
    derived = re.search(r"(\d+) types, (\d+) type panels", run.out.replace("│", " "))
    assert derived and said[1] == derived[2] and int(said[1]) < int(said[2])


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "abc"])
def test_a_time_limit_must_be_seconds(cli: Cli, tmp_path: Path, value):
    # Regression: -1 and nan were accepted (« the time limit (nan s) was reached »).
    features, people = _tiny_pool(tmp_path, "solo")
    run = cli("solve", features, people, "--seats", "8", "--time-limit", value)
    assert run.fails_cleanly(f"argument --time-limit: '{value}' is not a number of seconds >= 0")


@pytest.mark.parametrize("objective", ["goldilocks", "legacy"])
def test_a_time_limit_is_refused_where_it_would_be_ignored(cli: Cli, tmp_path: Path, objective):
    # Regression: goldilocks ignored --time-limit 5 silently (still running after 120 s
    # on the 1,500-person pool).
    features, people = _tiny_pool(tmp_path, "solo")
    run = cli("solve", features, people, "--seats", "8", "--time-limit", "5",
              "--objective", objective)  # fmt: skip
    assert run.fails_cleanly(
        f"--time-limit applies to leximin and maximin only, not to {objective}"
    )


def test_the_readme_commands_run_as_written(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    """The README's block « With the shipped instances, from a clone » runs as printed: each
    change of the engine may change fixture_150's lottery, and with it panel 427. Between
    6b161d3 and ad32561 its ``replace … --leaving p100`` failed (« 'p100' is not on the
    current panel ») for a new user, and nothing said so."""
    import shlex

    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("With the shipped instances, from a clone:", 1)[1]
    block = block.split("```sh\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    monkeypatch.chdir(tmp_path)
    variables: dict[str, str] = {}
    commitment = ""
    ran = 0
    for line in filter(None, (raw.strip() for raw in block.splitlines())):
        if re.fullmatch(r"[A-Z]+=\S+", line):
            name, value = line.split("=", 1)
            variables[name] = str(ROOT / value)
            continue
        for name, value in variables.items():
            line = line.replace(f"${name}", value)
        line = line.replace("<the published commitment>", commitment)
        words = shlex.split(line)
        assert words[:4] == ["uv", "run", "tirage", "sortition"], line
        run = cli(*words[4:])
        assert run.code == 0, (line, run.err)
        if words[4] == "lottery":
            commitment = json.loads((tmp_path / "bundle.json").read_text("utf-8"))["commitment"]
        ran += 1
    assert ran == 6
