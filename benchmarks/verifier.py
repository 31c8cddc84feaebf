"""Benchmark: the browser verifier on a 30,000-person bundle of 10,000 panels.

Run: ``uv run python benchmarks/verifier.py [--people 30000] [--panels 10000]
[--seats 150] [--repeat 3]``. Not part of the test run.

1. Generates, from a fixed seed, a pool (4 features with realistic marginals,
   one person in five in a household of two), ``--panels`` distinct valid
   panels drawn at random (rejection sampling against the quotas and
   households), the bundle (``make_bundle``) and the result of the dice
   4 2 7 1 (``make_result``, with the reserve of every seat). The files are
   kept in ``var/bench-verifier/`` and reused while the parameters are the same.
2. Times the Python verifier (``tirage.sortition.bundle.verify``, the
   reference) on the same files, in this process.
3. Serves Tirage as in production (``tirage serve``: waitress, WhiteNoise,
   hashed static files) on a temporary SQLite database, opens
   ``/tirage/verifier/`` in Chromium, chooses the two files, types the
   commitment and the dice, presses « Vérifier ces fichiers » and times until
   the page's status says « Vérification terminée » (wall clock, reading the
   files included), ``--repeat`` times on a fresh page.

With ``--rotation`` the bundle is instead a real lottery rounded over types (issue
13): the 30,000-person synthetic pool of ``synthetic_pools.py`` reduced to 3 features,
LEXIMIN, ``rotation.round_types`` (so both verifiers also re-derive the rotation);
``--people`` and ``--seats`` are then ignored (30,000 and 150).

Target (issue 14): the page answers in under 10 s on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from tirage.sortition.bundle import Bundle, load_bundle, make_bundle, write_json
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.result import load_result, make_result
from tirage.sortition.rounding import Lottery
from tirage.sortition.verify import verify as python_verify

SEED = 20261206
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
MARGINALS = {
    "secteur": {"nord": 0.28, "sud": 0.24, "est": 0.2, "ouest": 0.16, "centre": 0.12},
    "genre": {"femme": 0.52, "homme": 0.48},
    "âge": {"16-29": 0.2, "30-44": 0.25, "45-59": 0.27, "60+": 0.28},
    "diplôme": {"aucun": 0.3, "secondaire": 0.4, "supérieur": 0.3},
}
DICE = [4, 2, 7, 1]
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TIRAGE_CHROMIUM", "/usr/bin/chromium")


def make_instance(rng: random.Random, people: int, seats: int) -> Instance:
    codes: set[str] = set()
    while len(codes) < people:
        raw = "".join(rng.choice(ALPHABET) for _ in range(8))
        codes.add(f"{raw[:4]}-{raw[4:]}")
    ids = sorted(codes)
    rng.shuffle(ids)
    pool = []
    for i, pid in enumerate(ids):
        values = {
            name: rng.choices(list(shares), weights=list(shares.values()))[0]
            for name, shares in MARGINALS.items()
        }
        household = f"foyer {i // 2}" if i < people // 5 else None
        pool.append(Person(pid, values, household))
    features = tuple(
        Feature(
            name,
            {
                v: Quota(max(0, round(seats * s * 0.7)), round(seats * s * 1.3) + 1)
                for v, s in shares.items()
            },
        )
        for name, shares in MARGINALS.items()
    )
    return Instance(tuple(pool), features, seats)


def random_panels(rng: random.Random, instance: Instance, m: int) -> list[tuple[str, ...]]:
    """``m`` distinct valid panels, drawn uniformly among random ``k``-subsets that are valid."""
    people = instance.people
    items = list(instance.quota_items())
    found: set[tuple[str, ...]] = set()
    tries = 0
    while len(found) < m:
        tries += 1
        members = [people[i] for i in rng.sample(range(len(people)), instance.seats)]
        counts = Counter((f, p.values[f]) for p in members for f in MARGINALS)
        households = [p.household for p in members if p.household]
        if len(set(households)) != len(households):
            continue
        if all(q.min <= counts[(f, v)] <= q.max for f, v, q in items):
            found.add(tuple(sorted(p.id for p in members)))
    print(f"  {m} valid panels out of {tries} random ones")
    return sorted(found)


def rotation_bundle(m: int) -> dict:
    """A real lottery over the synthetic 30,000-person pool (3 features), rounded over types."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from lottery_at_scale import reduced
    from synthetic_pools import make_instance as synthetic

    from tirage.sortition.rotation import round_types
    from tirage.sortition.solve import solve

    instance = reduced(synthetic(30000), 3)
    solution = solve(instance)
    assert solution.types is not None
    t = solution.types
    lottery = round_types(t.model, t.columns, t.weights, m)
    return make_bundle(instance, lottery, objective="leximin", algorithm=solution.algorithm,
                       metadata={"title": f"Banc d'essai : 30000 personnes, {m} panels, rotation"}
                       ).data  # fmt: skip


def generate(
    out: Path, people: int, m: int, seats: int, rotation: bool = False
) -> tuple[Path, Path, str]:
    stamp = out / "parameters.json"
    wanted = {"people": people, "panels": m, "seats": seats, "seed": SEED, "rotation": rotation}
    bundle_path, result_path = out / "bundle.json", out / "result.json"
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and result_path.exists():
        return bundle_path, result_path, load_bundle(bundle_path).commitment
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if rotation:
        data = rotation_bundle(m)
        write_json(bundle_path, data)
        write_json(result_path, make_result(Bundle(data), dice=DICE).to_json())
        stamp.write_text(json.dumps(wanted))
        print(f"  generated in {time.perf_counter() - started:.1f} s")
        return bundle_path, result_path, data["commitment"]
    rng = random.Random(SEED)
    instance = make_instance(rng, people, seats)
    panels = random_panels(rng, instance, m)
    selections = Counter(pid for panel in panels for pid in panel)
    marginals = {pid: selections[pid] / m for pid in instance.ids}
    lottery = Lottery(
        panels=tuple(panels),
        m=m,
        counts=dict.fromkeys(panels, 1),
        selections={pid: selections[pid] for pid in instance.ids},
        marginals=marginals,
        original=marginals,
        max_change=0.0,
        bound=0.0,
        bounds={},
        method="benchmark: distinct random valid panels, each listed once",
    )
    data = make_bundle(
        instance,
        lottery,
        objective="benchmark",
        algorithm="random valid panels (benchmarks/verifier.py)",
        metadata={"title": f"Banc d'essai : {people} personnes, {m} panels de {seats}"},
    ).data
    write_json(bundle_path, data)  # canonical JSON, as Bundle.write
    result = make_result(Bundle(data), dice=DICE).to_json()
    write_json(result_path, result)
    stamp.write_text(json.dumps(wanted))
    print(f"  generated in {time.perf_counter() - started:.1f} s")
    return bundle_path, result_path, data["commitment"]


def time_python(bundle_path: Path, result_path: Path) -> tuple[float, float, bool]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = python_verify(load_bundle(bundle_path), load_result(result_path))
    return time.perf_counter() - wall, time.process_time() - cpu, report.ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "TIRAGE_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    env.pop("DATABASE_URL")
    tirage = [sys.executable, "-m", "tirage"]
    subprocess.run([*tirage, "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*tirage, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/tirage/verifier/", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def time_page(url: str, bundle: Path, result: Path, commitment: str, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for _ in range(repeat):
            page = browser.new_page()
            # localhost is a secure context (WebCrypto) like https.
            page.goto(url.replace("127.0.0.1", "localhost") + "/tirage/verifier/")
            page.fill("#verifier-announced", commitment)
            page.fill("#verifier-dice", " ".join(map(str, DICE)))
            page.set_input_files("#verifier-bundle", str(bundle))
            page.set_input_files("#verifier-result", str(result))
            status = page.get_by_role("status")
            started = time.perf_counter()
            page.get_by_role("button", name="Vérifier ces fichiers").click()
            status.filter(has_text="Vérification terminée").wait_for(timeout=120_000)
            times.append(time.perf_counter() - started)
            statuses = page.eval_on_selector_all(
                "li[data-check]", "l => l.map(i => i.dataset.status)"
            )
            if set(statuses) != {"pass"}:
                raise SystemExit(f"the page does not find every check right: {status.inner_text()}")
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--panels", type=int, default=10_000)
    parser.add_argument("--seats", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rotation", action="store_true", help="a real lottery over types")
    args = parser.parse_args()
    out = ROOT / "var" / "bench-verifier"
    print(f"Generating {args.people} people, {args.panels} panels of {args.seats} (seed {SEED})…")
    bundle, result, commitment = generate(out, args.people, args.panels, args.seats, args.rotation)
    sizes = (
        f"bundle {bundle.stat().st_size / 1e6:.1f} MB, result {result.stat().st_size / 1e6:.1f} MB"
    )
    print(f"  {sizes}")

    wall, cpu, ok = time_python(bundle, result)
    with tempfile.TemporaryDirectory() as tmp:
        server, url = start_server(Path(tmp))
        try:
            page = time_page(url, bundle, result, commitment, args.repeat)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print()
    print(f"| verifier | {args.people} people, {args.panels} panels of {args.seats} ({sizes}) |")
    print("| --- | --- |")
    print(
        f"| Python `verify` (reference, this process) | {wall:.2f} s wall, {cpu:.2f} s CPU, ok={ok} |"
    )
    runs = ", ".join(f"{t:.2f}" for t in page)
    print(
        f"| browser page, Chromium (click → answer) | median {statistics.median(page):.2f} s ({runs}) |"
    )
    print(f"\nTarget: under 10 s → {'met' if max(page) < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
