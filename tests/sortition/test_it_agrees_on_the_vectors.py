"""The shared verifier vectors (tests/vectors/draw): Python's ``verify`` on each, and their regeneration.

The browser verifier runs the same files in
``tests/browser/test_it_verifies_the_draw_in_the_browser.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tirage.sortition.verify import verify

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "draw"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in MANIFEST["cases"]}


def load(name: str | None):
    return None if name is None else json.loads((VECTORS / name).read_bytes().decode("utf-8"))


@pytest.mark.parametrize("name", list(CASES))
def test_python_verifier_gives_the_recorded_outcome(name):
    case = CASES[name]
    report = verify(load(case["bundle"]), load(case["result"]), announced=case["announced"])
    failing = [n for n, passed, _ in report.checks if not passed]
    passing = [n for n, passed, _ in report.checks if passed]
    assert failing == case["failing"]
    assert passing == case["passing"]
    assert set(case["must_fail"]) <= set(failing)
    assert report.ok == (not case["must_fail"])


def test_every_tampering_the_issue_names_is_covered():
    must_fail = {name: CASES[name]["must_fail"] for name in CASES}
    assert "commitment" in must_fail["pool-receipt-changed"]
    assert "panels" in must_fail["panel-swapped"]
    assert "index" in must_fail["result-other-index"]
    assert "panels" in must_fail["quota-changed"]
    assert must_fail["recommitted"] == ["announced commitment"]
    # two people of one type exchanged on two panels: only the re-derived rotation tells
    assert must_fail["rotation-exchanged"] == ["rotation"]
    assert CASES["rotation-exchanged"]["failing"] == ["rotation"]
    assert sum(1 for c in MANIFEST["cases"] if not c["must_fail"]) >= 5


def test_the_script_writes_the_same_files_again(tmp_path):
    out = tmp_path / "vectors"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_verifier_vectors.py"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(p.name for p in VECTORS.iterdir())
    for name in written:
        assert (out / name).read_bytes() == (VECTORS / name).read_bytes(), (
            f"{name} differs: run `uv run python scripts/make_verifier_vectors.py` and commit"
        )
