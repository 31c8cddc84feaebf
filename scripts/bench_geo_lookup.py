"""Measure the time of one ``lookup_street`` call (not run in the tests).

    uv run python scripts/bench_geo_lookup.py

Queries: every official street name, in upper case, with its last letter dropped
(a typo, which forces the fuzzy path), and a made-up name (fuzzy path, no match).
Prints the first-call (loading) time, and the mean, median and 99th percentile
per call in milliseconds, after loading.
"""

from __future__ import annotations

import statistics
import time

from tirage.geo import lookup


def main() -> None:
    t0 = time.perf_counter()
    lookup.lookup_street("Boulevard de Fourmies")
    load_ms = (time.perf_counter() - t0) * 1000
    queries: list[str] = []
    for s in lookup.streets():
        queries += [s.label.upper(), s.label[:-1], f"12 {s.label}"]
    queries += [f"rue imaginaire {i}" for i in range(300)]
    timings = []
    for q in queries:
        t = time.perf_counter()
        lookup.lookup_street(q, postcode="59100", commune="Roubaix")
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    print(f"first call (loads and indexes the data): {load_ms:.1f} ms")
    print(
        f"{len(timings)} lookups: mean {statistics.fmean(timings):.3f} ms, "
        f"median {statistics.median(timings):.3f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)]:.3f} ms, max {timings[-1]:.3f} ms"
    )
    t = time.perf_counter()
    for s in lookup.streets()[:200]:
        lookup.suggest_streets(s.label[:4])
    print(f"suggest_streets: mean {(time.perf_counter() - t) * 1000 / 200:.3f} ms")


if __name__ == "__main__":
    main()
