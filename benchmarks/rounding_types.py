"""Rounding to a lottery: over people (before issue 13) against over types + rotation, same run.

For each shipped instance (``data/sortition``) and ``m`` in 1000 and 10000, LEXIMIN is
solved once, then rounded two ways:

* ``old``: the type panels expanded to panels of people (``expand.expand_to_people``)
  and that distribution rounded (``rounding.round_distribution``: largest remainder +
  local search) - the path of ``pipeline.prepare_lottery`` before issue 13; its time
  includes the expansion;
* ``new``: ``rotation.round_types`` - largest remainder + local search over the type
  panels, then the rotation of people within types (the path now).

Printed per row: instance, people, types, m, support (panels of people for old, type
panels for new), the largest change of a probability (old / new), the guaranteed bound
(new), the smallest probability after rounding (old / new) and the times (old / new).
``--synthetic`` adds the 30,000-person synthetic pool reduced to 3 features (new only:
the old path expands to hundreds of thousands of panels).

Usage:
    uv run python benchmarks/rounding_types.py [--synthetic]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from lottery_at_scale import reduced  # noqa: E402
from synthetic_pools import make_instance  # noqa: E402

from sortition._data import load  # noqa: E402
from tirage.sortition.expand import expand_to_people  # noqa: E402
from tirage.sortition.rotation import round_types  # noqa: E402
from tirage.sortition.rounding import round_distribution  # noqa: E402
from tirage.sortition.solve import solve  # noqa: E402

SHIPPED = [
    "citizensassemblies_example_small_20",
    "sortition_algorithms_fixture_150",
    "civic_synth_400_k20",
    "citizensassemblies_example_large_200",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", action="store_true", help="add syn30000 (3 features)")
    args = parser.parse_args()
    header = ("instance", "n", "types", "m", "support old/new", "max change old / new",
              "bound new", "min p old / new", "time old / new")  # fmt: skip
    print(" | ".join(header))
    print("|".join("---" for _ in header))
    names = SHIPPED + (["syn30000/3 features"] if args.synthetic else [])
    for name in names:
        if name.startswith("syn"):
            instance = reduced(make_instance(30000), 3)
        else:
            instance = load(name)
        types = solve(instance).types
        assert types is not None
        for m in (1000, 10000):
            start = time.perf_counter()
            new = round_types(types.model, types.columns, types.weights, m)
            new_time = time.perf_counter() - start
            if name.startswith("syn"):
                old_change, old_min, old_support, old_time = "-", "-", "-", "-"
            else:
                start = time.perf_counter()
                people = expand_to_people(types.model, types.columns, types.weights)
                old = round_distribution(people, m, ids=instance.ids)
                old_time = f"{time.perf_counter() - start:.2f} s"
                old_change = f"{old.max_change:.6f}"
                old_min = f"{min(old.selections.values()) / m:.4f}"
                old_support = str(len(people.panels))
            row = (
                name, str(instance.n), str(types.model.n_types), str(m),
                f"{old_support} / {len(types.columns)}",
                f"{old_change} / {new.max_change:.6f}",
                f"{new.bound:.6f}",
                f"{old_min} / {min(new.selections.values()) / m:.4f}",
                f"{old_time} / {new_time:.2f} s",
            )  # fmt: skip
            print(" | ".join(row), flush=True)


if __name__ == "__main__":
    main()
