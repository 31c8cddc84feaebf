"""HiGHS MIP vs OR-Tools CP-SAT as the pricing oracle of column generation.

For each instance of ``data/sortition``: (1) the time of single pricing calls on
the same ``--calls`` random weight vectors (seeded; weights drawn like LEXIMIN
duals: a few large, most zero), checking that both oracles find the same optimal
value (within CP-SAT's rounding bound); (2) the wall time of a whole
``solve(objective="leximin")`` with each pricing, and the largest difference
between the probabilities they give.

Usage:  uv run python benchmarks/pricing.py [--calls 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sortition._data import load  # noqa: E402
from tirage.sortition.pricing import CpSatPricing, HighsPricing  # noqa: E402
from tirage.sortition.solve import solve  # noqa: E402
from tirage.sortition.symmetry import build_type_model  # noqa: E402

INSTANCES = [
    "citizensassemblies_example_small_20",
    "sortition_algorithms_fixture_150",
    "civic_synth_400_k20",
    "citizensassemblies_example_large_200",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    import ortools.sat.python.cp_model  # noqa: F401  (import outside the timings)

    print(
        f"{'instance':38} {'T':>4} {'highs ms/call':>14} {'cpsat ms/call':>14} "
        f"{'max |value gap|':>16} {'leximin highs s':>16} {'leximin cpsat s':>16} {'max |dp|':>10}"
    )
    for name in INSTANCES:
        instance = load(name)
        model = build_type_model(instance)
        rng = np.random.default_rng(0)
        oracles = {"highs": HighsPricing(model), "cpsat": CpSatPricing(model)}
        times = {k: [] for k in oracles}
        gap = 0.0
        for _ in range(args.calls):
            y = rng.exponential(size=model.n_types) * (rng.random(model.n_types) < 0.3)
            y = y / max(y.sum(), 1e-12)
            w = y / model.sizes
            values = {}
            for key, oracle in oracles.items():
                start = time.perf_counter()
                _, values[key] = oracle.best(w)
                times[key].append(time.perf_counter() - start)
            gap = max(gap, abs(values["highs"] - values["cpsat"]))
        whole = {}
        probs = {}
        for key in oracles:
            result = solve(instance, pricing=key)
            whole[key], probs[key] = result.seconds, result.probabilities
        dp = max(abs(probs["highs"][i] - probs["cpsat"][i]) for i in instance.ids)
        print(
            f"{name[:38]:38} {model.n_types:4d} {statistics.median(times['highs']) * 1e3:14.2f} "
            f"{statistics.median(times['cpsat']) * 1e3:14.2f} {gap:16.2e} {whole['highs']:16.2f} "
            f"{whole['cpsat']:16.2f} {dp:10.1e}",
            flush=True,
        )


if __name__ == "__main__":
    main()
