"""LEXIMIN at national scale: tirage against the peer, in the same run (issue 13).

Instances: the shipped ones of ``data/sortition/`` and the synthetic pools of
``synthetic_pools.py`` (``syn1500``, ``syn5000``, ``syn30000``: fixed seed,
built in memory). Each run is its own subprocess, bounded by ``--timeout``
seconds (the per-instance time limit), so the script always stops by itself:

* ``tirage``: the engine's LEXIMIN over types (``leximin.leximin_types``, HiGHS
  pricing), given ``time_limit = --timeout - 10 s`` when the engine accepts one:
  a run that reaches it returns its best distribution flagged *not proven* with
  its gap; the expansion to panels of people is not timed here;
* ``base``: the same with the engine of another source tree (``--baseline SRC``,
  e.g. ``git archive main src | tar -x -C /tmp/base``), alternated with
  ``tirage`` so that before and after share the machine's load;
* ``peer``: ``sortition-algorithms`` (GPL, ``bench`` group only), its LEXIMIN
  with CBC pricing, and its maximin where its LEXIMIN cannot run (the pip
  ``gurobipy`` licence limits its LP's size) or with ``--peer-maximin``.

Printed per run: wall and CPU seconds, min and max selection probability,
support (panels of types for tirage, of people for the peer), types, peak
memory (the worker's ``ru_maxrss``: the whole process), LP solves, gap (0 when
proven LEXIMIN), the master LP's CPU time and simplex iterations per solve and
the rounds closed on the relaxation's bound (engines that count them), and ``Δlevels``: the largest difference between the sorted
probability vectors of tirage and the other run (every LEXIMIN level).

Usage:
    uv sync --group bench
    uv run python benchmarks/leximin_scale.py --timeout 300
    uv run python benchmarks/leximin_scale.py --instances syn1500 --baseline /tmp/base/src
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

SHIPPED = [
    "citizensassemblies_example_small_20",
    "sortition_algorithms_fixture_150",
    "civic_synth_400_k20",
    "citizensassemblies_example_large_200",
]
SYNTHETIC = ["syn1500", "syn5000", "syn30000"]


def load_instance(name: str):
    if name.startswith("syn"):
        from synthetic_pools import make_instance

        return make_instance(int(name[3:]))
    from sortition._data import load

    return load(name)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_tirage(name: str, time_limit: float) -> dict:
    import numpy as np

    from tirage.sortition.leximin import leximin_types
    from tirage.sortition.pricing import make_oracle
    from tirage.sortition.symmetry import build_type_model

    instance = load_instance(name)
    kwargs = {}
    if "time_limit" in inspect.signature(leximin_types).parameters:
        kwargs["time_limit"] = time_limit
    start, cpu = time.perf_counter(), time.process_time()
    model = build_type_model(instance)
    sol = leximin_types(model, make_oracle(model, "highs"), **kwargs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    people = np.repeat(sol.type_probs, model.sizes)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "min_probability": float(people.min()),
        "max_probability": float(people.max()),
        "support": len(sol.weights),
        "types": model.n_types,
        "peak_mb": _peak_mb(),
        "lp_solves": sol.stats.get("lp_solves"),
        "lp_seconds": getattr(sol, "lp_seconds", None),
        "lp_iterations": sol.stats.get("lp_iterations"),
        "closed_by_relaxation": sol.stats.get("rounds_closed_by_relaxation"),
        "rounds": sol.stats.get("rounds"),
        "pricing_calls": sol.stats.get("pricing_calls"),
        "gap": float(sol.stats.get("gap", 0.0)),
        "proven": bool(sol.stats.get("proven", True)),
        "levels": sorted(people.tolist()),
    }


def run_peer(name: str, algorithm: str) -> dict:
    from compare_peer import peer_inputs
    from sortition_algorithms.committee_generation import (
        find_distribution_leximin,
        find_distribution_maximin,
    )

    instance = load_instance(name)
    features, people, address = peer_inputs(instance)
    fn = find_distribution_leximin if algorithm == "leximin" else find_distribution_maximin
    start, cpu = time.perf_counter(), time.process_time()
    committees, probs, _report = fn(
        features, people, instance.seats, address, solver_backend="mip-cbc"
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    marg = {pid: 0.0 for pid in instance.ids}
    for committee, p in zip(committees, probs, strict=True):
        for m in committee:
            marg[m] += p
    values = sorted(marg.values())
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "min_probability": values[0],
        "max_probability": values[-1],
        "support": sum(1 for p in probs if p > 1e-12),
        "peak_mb": _peak_mb(),
        "levels": values,
    }


def one(spec: dict, timeout: float, baseline: str | None) -> dict:
    cmd = [sys.executable, __file__, "--worker", json.dumps(spec), "--timeout", str(timeout)]
    env = dict(os.environ)
    if spec["tool"] == "base":
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
    err = proc.stderr or ""
    if "size-limited" in err or "Model too large" in err:
        return {"error": "gurobipy size-limited licence: model too large"}
    tail = (err or proc.stdout).strip().splitlines()
    return {"error": (tail[-1] if tail else f"exit code {proc.returncode}")[:160]}


def _print(name: str, spec: dict, row: dict, ref: dict | None) -> None:
    label = f"{name[:36]:36} {spec['tool']:6} {spec['algorithm']:8}"
    if "error" in row:
        print(f"{label} cannot run: {row['error']}", flush=True)
        return
    delta = ""
    if ref is not None and "levels" in ref and len(ref["levels"]) == len(row["levels"]):
        d = max(abs(a - b) for a, b in zip(ref["levels"], row["levels"], strict=True))
        delta = f"  Δlevels {d:.1e}"
    extra = ""
    if "types" in row:
        proven = "proven" if row["proven"] else "NOT PROVEN"
        extra = (
            f"  types {row['types']:5d}  LPs {row['lp_solves']}  rounds {row['rounds']}"
            f"  gap {row['gap']:.1e} {proven}"
        )
        if row.get("lp_seconds") is not None and row["lp_solves"]:
            per = row["lp_seconds"] / row["lp_solves"]
            iters = row["lp_iterations"] / row["lp_solves"]
            extra += (
                f"  LP {row['lp_seconds']:.2f} s cpu ({per * 1000:.0f} ms, {iters:.0f} it/solve)"
                f"  closed by relaxation {row['closed_by_relaxation']}"
            )
    print(
        f"{label} {row['seconds']:8.2f} s (cpu {row['cpu_seconds']:8.2f})"
        f"  min {row['min_probability']:.9f}  max {row['max_probability']:.6f}"
        f"  support {row['support']:6d}  peak {row['peak_mb']:6.0f} MB{extra}{delta}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per run")
    parser.add_argument("--instances", nargs="*", default=SHIPPED + SYNTHETIC)
    parser.add_argument("--baseline", metavar="SRC", help="source tree of the engine to compare")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--peer-maximin", action="store_true", help="also the peer's maximin")
    parser.add_argument("--out", default=str(ROOT / "var" / "leximin_scale.json"))
    args = parser.parse_args()
    if args.worker:
        spec = json.loads(args.worker)
        if spec["tool"] == "peer":
            out = run_peer(spec["instance"], spec["algorithm"])
        else:
            out = run_tirage(spec["instance"], max(1.0, args.timeout - 10))
        print("RESULT " + json.dumps(out))
        return
    rows = []
    for name in args.instances:
        specs = [{"instance": name, "tool": "tirage", "algorithm": "leximin"}]
        if args.baseline:
            specs.insert(0, {"instance": name, "tool": "base", "algorithm": "leximin"})
        results = [one(spec, args.timeout, args.baseline) for spec in specs]
        ours = results[-1]
        for spec, row in zip(specs, results, strict=True):
            _print(name, spec, row, None if spec["tool"] == "tirage" else ours)
        if not args.no_peer:
            spec = {"instance": name, "tool": "peer", "algorithm": "leximin"}
            row = one(spec, args.timeout, None)
            specs.append(spec)
            results.append(row)
            _print(name, spec, row, ours)
            if "error" in row or args.peer_maximin:
                spec = {"instance": name, "tool": "peer", "algorithm": "maximin"}
                row = one(spec, args.timeout, None)
                specs.append(spec)
                results.append(row)
                _print(name, spec, row, None)
        for spec, row in zip(specs, results, strict=True):
            row.pop("levels", None)
            rows.append({**spec, **row})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
