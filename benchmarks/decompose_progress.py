"""The stages before LEXIMIN's rounds on a large pool, in CPU seconds: this engine vs another.

``SCALE`` (``leximin.py``) first seeds panels, computes the relaxation's LEXIMIN
vector ``x*``, herds panels towards it, then tries to decompose ``x*`` into panels
(``decompose.py``). Each engine runs in its own subprocess, both at once; each
reports the CPU seconds of every stage, and for the decomposition (bounded by
``--wall`` seconds of wall time, as in ``SCALE``) the CPU seconds spent, the phase-1
deviation reached (sum over types of ``|expected count - x*|``, in people; 0: exact),
LP solves and columns.

    uv run python benchmarks/decompose_progress.py syn1500 --wall 120 --baseline /tmp/base/src
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def worker(name: str, wall: float) -> None:
    import numpy as np
    from leximin_scale import load_instance

    from tirage.sortition.colgen import ColumnPool, seed_columns
    from tirage.sortition.decompose import decompose
    from tirage.sortition.leximin import HERD_WORK, SCALE
    from tirage.sortition.pricing import make_oracle
    from tirage.sortition.relaxation import Relaxation, herd
    from tirage.sortition.swaps import SwapSearch
    from tirage.sortition.symmetry import build_type_model

    out: dict[str, object] = {}
    clock = time.process_time()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.process_time()
        out[stage] = round(now - clock, 2)
        clock = now

    model = build_type_model(load_instance(name))
    oracle = make_oracle(model, "highs")
    pool, swaps = ColumnPool(model), SwapSearch(model)
    lap("model")
    impossible = seed_columns(model, oracle, pool, climb=swaps.climb)
    lap("seed")
    upper = Relaxation(model)
    for t in np.flatnonzero(impossible):
        upper.fix(int(t), 0.0)
    target = upper.leximin()
    assert target is not None
    lap("relaxation")
    count = min(SCALE.herd, HERD_WORK // model.n_types)
    for panel in herd(model, target, pool.columns[-1], swaps.climb, count):
        pool.add(panel)
    lap("herd")
    until = time.perf_counter() + wall
    swaps.deadline = until
    dec = decompose(model, target * model.sizes, pool, swaps.climb, oracle, until)
    lap("decompose")
    out.update(
        types=model.n_types,
        status=dec.status,
        deviation=dec.deviation,
        lp_solves=dec.stats.get("decomposition_lp_solves"),
        lp_cpu=round(float(dec.stats.get("decomposition_lp_seconds", 0.0)), 2),
        columns=dec.stats.get("decomposition_columns"),
        pricing=dec.stats.get("decomposition_pricing_calls"),
    )
    print("RESULT " + json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--wall", type=float, default=60.0, help="decomposition limit, seconds")
    parser.add_argument("--baseline", metavar="SRC")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.instance, args.wall)
        return
    tools = {"tirage": None, **({"base": args.baseline} if args.baseline else {})}
    procs = {}
    for tool, src in tools.items():
        env = dict(os.environ)
        if src:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
        cmd = [sys.executable, __file__, args.instance, "--wall", str(args.wall), "--worker"]
        procs[tool] = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    for tool, proc in procs.items():
        stdout, _ = proc.communicate()
        line = next((x for x in stdout.splitlines() if x.startswith("RESULT ")), None)
        print(f"{args.instance} {tool:8} {line[7:] if line else 'failed'}", flush=True)


if __name__ == "__main__":
    main()
