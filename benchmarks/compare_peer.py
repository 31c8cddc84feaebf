"""Tirage's engine against the field's reference library, side by side.

Runs, on every instance of ``data/sortition/`` that has a pool, each in its own
subprocess with a timeout:

* tirage ``solve`` - LEXIMIN with HiGHS and CP-SAT pricing, maximin, Goldilocks,
  and the LEGACY greedy baseline (Monte-Carlo estimate, for comparison only);
* tirage ``lottery`` - the whole pipeline a draw runs (``pipeline.prepare_lottery``:
  LEXIMIN, rounding to 1000 panels, bundle and commitment);
* the peer ``sortition-algorithms`` (GPL, benchmark dependency only, never imported
  by the engine) - ``find_distribution_leximin`` (its dual LP needs ``gurobipy``; the
  pip licence is size-limited) with its ``mip-cbc`` and ``highspy`` pricing backends,
  and ``find_distribution_maximin`` with both backends.

``--baseline SRC`` also runs every tirage row with the engine found in the source
tree ``SRC`` (e.g. ``git worktree add /tmp/base main`` then ``--baseline
/tmp/base/src``), as tool ``base``, alternating with the current engine run by
run, so that before and after share the machine's load.

Prints a table (instance, tool, algorithm, seconds, min probability, Gini,
support size) and writes ``benchmarks/results.json``. ``seconds`` is the
wall-clock time of the distribution computation alone (no file reading; for
tirage, ``SolveResult.seconds``, which excludes the invariant checks);
``cpu_seconds`` is the process CPU time of the same call (all threads; for
tirage it includes the invariant checks), less sensitive to a loaded machine.
Medians of ``--repeat`` runs.

Usage:
    uv sync --group bench
    uv run python benchmarks/compare_peer.py [--repeat 3] [--timeout 600]
    uv run python benchmarks/compare_peer.py --runs tirage:leximin:highs tirage:lottery:highs \
        --baseline /tmp/base/src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

INSTANCES = [
    "citizensassemblies_example_small_20",
    "sortition_algorithms_fixture_150",
    "civic_synth_400_k20",
    "citizensassemblies_example_large_200",
]

RUNS = [
    ("tirage", "leximin", "highs"),
    ("tirage", "leximin", "cpsat"),
    ("tirage", "maximin", "highs"),
    ("tirage", "goldilocks", "highs"),
    ("tirage", "legacy", "highs"),  # Monte-Carlo, 1000 draws, seed 0: a baseline, not a method
    ("tirage", "lottery", "highs"),  # LEXIMIN + rounding to 1000 panels + bundle
    ("peer", "leximin", "mip-cbc"),
    ("peer", "leximin", "highspy"),
    ("peer", "maximin", "mip-cbc"),
    ("peer", "maximin", "highspy"),
]


def _gini(values) -> float:
    from tirage.sortition.solve import gini

    return gini(values)


def _prepare_lottery(instance, pricing: str):
    """``pipeline.prepare_lottery``, or its steps by hand in a baseline tree that predates it."""
    try:
        from tirage.sortition.pipeline import prepare_lottery
    except ImportError:  # engine before issue 8: solve → round → bundle, chained by the caller
        from tirage.sortition.bundle import make_bundle
        from tirage.sortition.rounding import round_distribution
        from tirage.sortition.solve import solve

        result = solve(instance, pricing=pricing)
        lottery = round_distribution(result.distribution, 1000, ids=instance.ids)
        make_bundle(instance, lottery, objective="leximin", algorithm=result.algorithm)
        return result, lottery
    prepared = prepare_lottery(instance, panels=1000, pricing=pricing)
    return prepared.solution, prepared.lottery


def run_tirage(name: str, objective: str, pricing: str) -> dict:
    from sortition._data import load
    from tirage.sortition.solve import solve

    instance = load(name)
    if pricing == "cpsat":  # import outside the timed region, as the peer's solvers are
        import ortools.sat.python.cp_model  # noqa: F401
    if objective == "lottery":
        start, cpu = time.perf_counter(), time.process_time()
        result, lottery = _prepare_lottery(instance, pricing)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        values = [count / lottery.m for count in lottery.selections.values()]
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "min_probability": min(values),
            "max_probability": max(values),
            "gini": _gini(values),
            "support": len(lottery.counts),
            "ok": result.ok,
        }
    cpu = time.process_time()
    result = solve(instance, objective=objective, pricing=pricing)
    cpu = time.process_time() - cpu  # includes the invariant checks
    return {
        "seconds": result.seconds,
        "cpu_seconds": cpu,
        "min_probability": result.min_probability,
        "max_probability": result.max_probability,
        "gini": result.gini,
        "support": result.support_size,
        "ok": result.ok,
    }


def _peer_inputs(name: str):
    from sortition._data import load

    instance = load(name)
    return (instance, *peer_inputs(instance))


def peer_inputs(instance):
    """The peer's ``(features, people, address columns)`` for a tirage ``Instance``."""
    from sortition_algorithms.features import read_in_features
    from sortition_algorithms.people import read_in_people
    from sortition_algorithms.settings import Settings

    head = ["feature", "value", "min", "max"]
    body = [
        {"feature": f, "value": v, "min": str(q.min), "max": str(q.max)}
        for f, v, q in instance.quota_items()
    ]
    features, _, _ = read_in_features(head, body, instance.seats)
    has_households = any(p.household for p in instance.people)
    names = [f.name for f in instance.features]
    people_head = ["id", *names, "household"]
    people_body = [
        {"id": p.id, **{f: p.values[f] for f in names}, "household": p.household or f"solo:{p.id}"}
        for p in instance.people
    ]
    address = ["household"] if has_households else []
    settings = Settings(
        id_column="id",
        columns_to_keep=[],
        check_same_address=has_households,
        check_same_address_columns=address,
    )
    people, _ = read_in_people(people_head, people_body, features, settings)
    return features, people, address


def run_peer(name: str, algorithm: str, backend: str) -> dict:
    from sortition_algorithms.committee_generation import (
        find_distribution_leximin,
        find_distribution_maximin,
    )

    instance, features, people, address = _peer_inputs(name)
    fn = find_distribution_leximin if algorithm == "leximin" else find_distribution_maximin
    start, cpu = time.perf_counter(), time.process_time()
    committees, probs, _report = fn(
        features, people, instance.seats, address, solver_backend=backend
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    marg = {pid: 0.0 for pid in instance.ids}
    for committee, p in zip(committees, probs, strict=True):
        for m in committee:
            marg[m] += p
    values = list(marg.values())
    support = sum(1 for p in probs if p > 1e-12)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "min_probability": min(values),
        "max_probability": max(values),
        "gini": _gini(values),
        "support": support,
        "ok": True,
    }


def worker(spec: dict) -> None:
    if spec["tool"] in ("tirage", "base"):
        out = run_tirage(spec["instance"], spec["algorithm"], spec["backend"])
    else:
        out = run_peer(spec["instance"], spec["algorithm"], spec["backend"])
    print("RESULT " + json.dumps(out))


def one(spec: dict, timeout: float, baseline: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--worker", json.dumps(spec)]
    env = dict(os.environ)
    if spec["tool"] == "base":  # the baseline tree's engine comes first on the path
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [baseline, env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (proc.stderr or proc.stdout).strip().splitlines()
    message = tail[-1] if tail else f"exit code {proc.returncode}"
    if "size-limited" in (proc.stderr or "") or "Model too large" in (proc.stderr or ""):
        message = "gurobipy size-limited licence: model too large"
    return {"error": message[:160]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--instances", nargs="*", default=INSTANCES)
    parser.add_argument("--runs", nargs="*", help="tool:algorithm:backend filters")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    parser.add_argument("--baseline", metavar="SRC", help="source tree of the engine to compare")
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return
    runs = RUNS
    if args.runs:
        runs = [r for r in RUNS if ":".join(r) in args.runs]
    rows = []
    for name in args.instances:
        for tool, algorithm, backend in runs:
            tools = [tool, "base"] if tool == "tirage" and args.baseline else [tool]
            specs = [
                {"instance": name, "tool": t, "algorithm": algorithm, "backend": backend}
                for t in tools
            ]
            results: list[list[dict]] = [[] for _ in specs]
            for _ in range(args.repeat):  # alternate: before and after share the load
                for i, spec in enumerate(specs):
                    results[i].append(one(spec, args.timeout, args.baseline))
            for spec, runs_of_spec in zip(specs, results, strict=True):
                row = _summary(runs_of_spec)
                row.update(spec)
                rows.append(row)
                _print_row(row)
    Path(args.out).write_text(json.dumps(rows, indent=1))


def _summary(results: list[dict]) -> dict:
    """Medians of the successful runs, or the first error."""
    good = [r for r in results if "error" not in r]
    if not good:
        return dict(results[0])
    row = dict(good[0])
    row["seconds"] = statistics.median(r["seconds"] for r in good)
    if all("cpu_seconds" in r for r in good):
        row["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in good)
    row["runs"] = len(good)
    return row


def _print_row(row: dict) -> None:
    label = f"{row['instance'][:38]:38} {row['tool']:6} {row['algorithm']:10} {row['backend']:8}"
    if "error" in row:
        print(f"{label} cannot run: {row['error']}", flush=True)
        return
    cpu = row.get("cpu_seconds", float("nan"))
    print(
        f"{label} {row['seconds']:8.2f} s (cpu {cpu:7.2f})"
        f"  min {row['min_probability'] * 100:7.3f} %  max {row['max_probability'] * 100:7.3f} %"
        f"  gini {row['gini'] * 100:5.1f} %  support {row['support']:6d}",
        flush=True,
    )


if __name__ == "__main__":
    main()
