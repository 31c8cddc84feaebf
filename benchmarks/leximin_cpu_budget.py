"""How far LEXIMIN gets in a fixed budget of CPU seconds: this engine against another.

On a shared, overloaded machine wall-clock limits measure the neighbours; a CPU
budget (``setitimer(ITIMER_PROF)``, the process's own CPU time) does not. Each
engine runs in its own subprocess, both at once; when the budget is spent the
worker reports how far it got: rounds finished, people whose probability is
settled, the last master LP value ``z`` (the smallest unsettled probability so
far), LP solves, exact pricing calls. A run that finishes reports its time.

    uv run python benchmarks/leximin_cpu_budget.py syn1500 --cpu 60 --baseline /tmp/base/src
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


class _Budget(Exception):
    pass


def worker(name: str, cpu: float, schedule: str) -> None:
    from leximin_scale import load_instance

    from tirage.sortition import leximin
    from tirage.sortition.model import Progress
    from tirage.sortition.pricing import make_oracle
    from tirage.sortition.symmetry import build_type_model

    state = {"lp_solves": 0, "z": 0.0, "rounds": 0, "settled": 0}
    solve = leximin._Master.solve

    def counted(self):  # type: ignore[no-untyped-def]
        out = solve(self)
        state["lp_solves"] += 1
        state["z"] = out[0]
        return out

    leximin._Master.solve = counted  # type: ignore[method-assign]

    class Rounds(Progress):
        def update(self, stage, done, total=None, message=""):  # type: ignore[no-untyped-def]
            if "fixed" in message:
                state["rounds"] += 1
                state["settled"] = done

    def stop(*_args: object) -> None:
        raise _Budget

    instance = load_instance(name)
    start = time.process_time()
    signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, cpu)
    model = build_type_model(instance)
    oracle = make_oracle(model, "highs")
    try:
        kwargs = {"schedule": getattr(leximin, schedule.upper())} if schedule else {}
        sol = leximin.leximin_types(model, oracle, progress=Rounds(), **kwargs)
        signal.setitimer(signal.ITIMER_PROF, 0)
        state.update(finished=True, min=float(sol.type_probs.min()))
    except _Budget:
        state.update(finished=False)
    state.update(cpu=time.process_time() - start, pricing=oracle.calls, types=model.n_types)
    state["people"] = instance.n
    print("RESULT " + json.dumps(state))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--cpu", type=float, default=60)
    parser.add_argument("--baseline", metavar="SRC")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument(
        "--schedules", nargs="*", default=[], help="also run this engine with leximin.CLASSIC/SCALE"
    )
    parser.add_argument("--schedule", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.instance, args.cpu, args.schedule)
        return
    tools = {"tirage": None, **({"base": args.baseline} if args.baseline else {})}
    tools.update({f"tirage:{name}": None for name in args.schedules})
    procs = {}
    for tool, src in tools.items():
        env = dict(os.environ)
        if src:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
        cmd = [sys.executable, __file__, args.instance, "--cpu", str(args.cpu), "--worker"]
        if ":" in tool:
            cmd += ["--schedule", tool.split(":")[1]]
        procs[tool] = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    for tool, proc in procs.items():
        out, _ = proc.communicate()
        line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(f"{args.instance} {tool:14} failed")
            continue
        r = json.loads(line[7:])
        end = f"finished, min {r['min']:.9f}" if r["finished"] else "budget spent"
        print(
            f"{args.instance} {tool:14} cpu {r['cpu']:6.1f} s  types {r['types']}  rounds {r['rounds']}"
            f"  settled {r['settled']}/{r['people']}  z {r['z']:.6f}  LPs {r['lp_solves']}"
            f"  pricing {r['pricing']}  {end}",
            flush=True,
        )


if __name__ == "__main__":
    main()
