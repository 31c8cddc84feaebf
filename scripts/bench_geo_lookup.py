"""Measure the time of one ``lookup_street`` call (not run in the tests).

    uv run python scripts/bench_geo_lookup.py

Queries: every official street name, in upper case, with its last letter dropped
(a typo, which forces the fuzzy path), and a made-up name (fuzzy path, no match).
Prints the first-call (loading) time, then per-call times in milliseconds after
loading: for one pass, and the best of ``REPEAT`` runs of each query (which removes
the pauses caused by other processes on a shared machine).
"""

from __future__ import annotations

import statistics
import time

from tirage.geo import lookup

REPEAT = 5


def main() -> None:
    t0 = time.perf_counter()
    lookup.lookup_street("Boulevard de Fourmies")
    load_ms = (time.perf_counter() - t0) * 1000
    queries: list[str] = []
    for s in lookup.streets():
        queries += [s.label.upper(), s.label[:-1], f"12 {s.label}"]
    queries += [f"rue imaginaire {i}" for i in range(300)]
    runs: list[list[float]] = [[] for _ in queries]
    for _ in range(REPEAT):
        for i, q in enumerate(queries):
            t = time.perf_counter()
            lookup.lookup_street(q, postcode="59100", commune="Roubaix")
            runs[i].append((time.perf_counter() - t) * 1000)
    first = sorted(r[0] for r in runs)
    print(
        f"single pass: median {statistics.median(first):.3f} ms, "
        f"p99 {first[int(len(first) * 0.99)]:.3f} ms (includes scheduler noise on a busy machine)"
    )
    timings = sorted(min(r) for r in runs)
    print(f"first call (loads and indexes the data): {load_ms:.1f} ms")
    print(
        f"{len(timings)} lookups, best of {REPEAT} runs each: "
        f"mean {statistics.fmean(timings):.3f} ms, "
        f"median {statistics.median(timings):.3f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)]:.3f} ms, max {timings[-1]:.3f} ms"
    )
    t = time.perf_counter()
    for s in lookup.streets()[:200]:
        lookup.suggest_streets(s.label[:4])
    print(f"suggest_streets: mean {(time.perf_counter() - t) * 1000 / 200:.3f} ms")


if __name__ == "__main__":
    main()
