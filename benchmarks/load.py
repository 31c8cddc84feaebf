"""Benchmark: the deadline rush on the public form, through ``tirage serve``, on loopback.

Run: ``uv run python benchmarks/load.py [--flows N] [--clients C] [--servers 1,2] [--database URL]``
(defaults: 600 flows, 16 clients, one then two server processes, SQLite in a temporary
folder; ``--database
postgres://postgres@127.0.0.1:5432/NAME`` creates NAME if needed and empties it).

It prepares a fresh database (migrations, Roubaix's call re-dated to be open today),
starts ``tirage serve --no-worker`` on a free port of 127.0.0.1 (the receipts wait in the
queue; no worker competes for the two cores), then ``C`` threads with ``requests`` play
``N`` applicant flows, each a new browser (cookies) going through the real steps:

    GET /candidater/ → POST step 1 → GET /candidater/verifier/ → POST (send) → GET confirmation

Stops by itself after ``N`` flows (and any request after 30 s). Prints flows/s, flow
p50/p95/p99, errors, then — counted in the database — lost flows (a receipt shown but no
application) and duplicates (one flow stored twice); and the same server's figure for a
trivial page (``/health/``) in the same run. Target (issue 12): ≥ 100 flows/s, p95 < 300 ms,
0 lost, 0 duplicated.

The loopback client would hit the form's flood protection (5 s minimum fill time, 20
applications an hour per address): the server runs with
``TIRAGE_FORM_TRUSTED_NETWORKS=127.0.0.1/32``, the documented setting for a mairie's public
computers. ``--profile`` instead runs one flow in this process under cProfile and prints
where its time goes. Not part of the test run.

``--server waitress,gunicorn-gthread`` measures each server in the same run (gunicorn is
not a dependency: ``uv run --with gunicorn python benchmarks/load.py …``); with gunicorn,
``--servers`` is its number of worker processes behind one port. Each configuration
also prints the CPU seconds of the server processes (and their children, from ``/proc``)
per ``/health/`` request and per flow: on a shared machine, the figure to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_RE = re.compile(r'name="started" value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key" value="([0-9a-f]+)"')
CODE_RE = re.compile(r'id="receipt-code">([A-Z0-9-]+)<')
TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(data_dir: Path, database: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TIRAGE_DATA_DIR=str(data_dir),
        TIRAGE_FORM_TRUSTED_NETWORKS="127.0.0.1/32",
        TIRAGE_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="tirage.settings",
    )
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    return env


def prepare(env: dict[str, str], database: str | None) -> None:
    """A new database with the Roubaix call open today (in a child process: its own settings)."""
    if database:
        from urllib.parse import urlsplit

        import psycopg

        url = urlsplit(database)
        name = url.path.lstrip("/")
        admin = database.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    script = (
        "import datetime as dt, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from tirage.calls.callfile import load_call_file\n"
        "load_call_file(shift_days=(dt.date.today() - dt.date(2025, 5, 15)).days)\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def start_server(
    env: dict[str, str], port: int, threads: int, server: str = "waitress", workers: int = 1
) -> subprocess.Popen:
    """``tirage serve`` (waitress, one process) or gunicorn with ``workers`` processes
    (``server`` = ``gunicorn-sync`` or ``gunicorn-gthread`` with ``threads`` threads each)."""
    if server == "waitress":
        command = [sys.executable, "-m", "tirage", "serve", "--no-worker", "--port", str(port),
                   "--threads", str(threads)]  # fmt: skip
    else:
        subprocess.run(
            [sys.executable, "-m", "tirage", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
        kind = server.removeprefix("gunicorn-")
        command = [sys.executable, "-m", "gunicorn", "tirage.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--worker-class", kind,
                   "--threads", str(threads if kind == "gthread" else 1), "--log-level", "error"]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health/", timeout=10).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not answer within 120 s")


def step1(
    number: int, run: str, token: str, started: str, *, family: str = "Charge"
) -> dict[str, str]:
    """The answers of the form's step 1 for flow ``number`` of run ``run`` (also used by
    benchmarks/flow_cpu.py)."""
    return {
        "csrfmiddlewaretoken": token,
        "started": started,
        "website": "",
        "gender": ("femme", "homme")[number % 2],
        "family_name": f"{family}{run}",
        "given_name": f"Flux{number}",
        "birth_day": str(1 + number % 28),
        "birth_month": str(1 + number % 12),
        "birth_year": str(1950 + number % 50),
        "street_number": str(1 + number % 90),
        "street_name": "Boulevard de Fourmies",
        "address_complement": "",
        "postcode": "59100",
        "commune": "Roubaix",
        "email": f"flux{number}.{run}@example.org",
        "phone": "",
        "motivation": "",
        "consent_notice": "on",
        "attests_residence": "on",
    }


def one_flow(base: str, number: int, run: str) -> str:
    """One applicant from the first page to the receipt; returns the receipt code."""
    with requests.Session() as browser:
        page = browser.get(f"{base}/candidater/", timeout=TIMEOUT)
        page.raise_for_status()
        data = step1(number, run, TOKEN_RE.search(page.text)[1], STARTED_RE.search(page.text)[1])
        review = browser.post(f"{base}/candidater/", data=data, timeout=TIMEOUT)
        review.raise_for_status()
        if not review.url.endswith("/candidater/verifier/"):
            raise RuntimeError(f"step 1 ended on {review.url}")
        sent = browser.post(
            f"{base}/candidater/verifier/",
            data={
                "csrfmiddlewaretoken": TOKEN_RE.search(review.text)[1],
                "submission_key": KEY_RE.search(review.text)[1],
            },
            timeout=TIMEOUT,
        )
        sent.raise_for_status()
        found = CODE_RE.search(sent.text)
        if not found:
            raise RuntimeError(f"no receipt code on {sent.url}")
        return found[1]


def server_cpu(roots: list[int]) -> float:
    """CPU seconds (user + system) used so far by the processes ``roots`` and their
    children (gunicorn's workers), read from ``/proc`` (Linux; 0.0 elsewhere)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid → (parent pid, cpu s)
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    wanted, total = set(roots), 0.0
    for pid, (parent, cpu) in stats.items():
        if pid in wanted or parent in wanted:
            total += cpu
    return total


def play(count: int, clients: int, work) -> tuple[float, list[float], list[str], list]:
    """``work(i)`` ``count`` times on ``clients`` threads: (elapsed s, latencies s, errors, results)."""
    latencies: list[float] = []
    errors: list[str] = []
    results: list = []
    lock = threading.Lock()
    counter = iter(range(count))

    def loop() -> None:
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                result = work(number)
            except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                with lock:
                    errors.append(f"{exc.__class__.__name__}: {str(exc)[:120]}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                results.append(result)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors, results


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100)
    return " ".join(f"p{p}={cuts[p - 1] * 1000:.0f} ms" for p in (50, 95, 99))


def count_in_database(env: dict[str, str], run: str) -> tuple[int, int, set[str]]:
    """(applications of this run, flows stored more than once, their receipt codes)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.db.models import Count\n"
        "from tirage.applications.models import Application\n"
        f"rows = Application.objects.filter(family_name='Charge{run}')\n"
        "twice = rows.values('given_name').annotate(n=Count('id')).filter(n__gt=1).count()\n"
        "print(json.dumps([rows.count(), twice, list(rows.values_list('receipt_code', flat=True))]))\n"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout
    total, twice, codes = json.loads(out.strip().splitlines()[-1])
    return total, twice, set(codes)


def measure(
    env: dict[str, str], flows: int, clients: int, threads: int, servers: int, server: str
) -> None:
    """One configuration: ``servers`` processes of ``tirage serve`` on loopback ports, each
    flow on one of them in turn (the sessions are in the database: any process serves any
    visitor, as behind the load balancer of docs/deployment.md); with gunicorn, one port
    and ``servers`` worker processes."""
    if server == "waitress":
        ports = [free_port() for _ in range(servers)]
        started = [start_server(env, port, threads) for port in ports]
    else:
        ports = [free_port()]
        started = [start_server(env, ports[0], threads, server, servers)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    run = dt.datetime.now().strftime("%H%M%S") + f"s{servers}{server[-4:]}"
    processes, servers = servers, len(ports)  # processes; the flows' spread over ports
    load_before = os.getloadavg()[0]
    try:
        # Warm up (first requests compile templates, open connections), not counted.
        play(
            clients * servers,
            clients,
            lambda n: one_flow(bases[n % servers], 10_000_000 + n, run + "w"),
        )
        local = threading.local()

        def health(n: int) -> requests.Response:
            if not hasattr(local, "session"):
                local.session = requests.Session()
            return local.session.get(f"{bases[n % servers]}/health/", timeout=TIMEOUT)

        pids = [process.pid for process in started]
        cpu_before = server_cpu(pids)
        trivial = play(flows, clients, health)
        cpu_health = server_cpu(pids) - cpu_before
        elapsed, latencies, errors, codes = play(
            flows, clients, lambda n: one_flow(bases[n % servers], n, run)
        )
        cpu_flows = server_cpu(pids) - cpu_before - cpu_health
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=30)
    stored, twice, stored_codes = count_in_database(env, run)
    lost = len(set(codes) - stored_codes)
    print(
        f"-- {server}: {processes} server process(es) × "
        f"{1 if server == 'gunicorn-sync' else threads} threads, {clients} clients; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    print(
        f"trivial page /health/: {flows / trivial[0]:.0f} requests/s, "
        f"{percentiles(trivial[1])}, {len(trivial[2])} errors"
    )
    print(
        f"applicant flows (5 requests each): {len(latencies)} in {elapsed:.1f} s = "
        f"{len(latencies) / elapsed:.1f} flows/s ({5 * len(latencies) / elapsed:.0f} req/s)"
    )
    print(f"flow latency: {percentiles(latencies)}")
    print(
        f"server CPU (all its processes): {cpu_health / flows * 1000:.2f} ms per /health/, "
        f"{cpu_flows / max(len(latencies), 1) * 1000:.1f} ms per flow"
    )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(
        f"database: {stored} applications for {len(codes)} receipts shown; "
        f"lost {lost}, duplicated {twice}"
    )


def main(
    flows: int,
    clients: int,
    threads: int,
    database: str | None,
    servers: list[int],
    kinds: list[str],
) -> None:
    with tempfile.TemporaryDirectory(prefix="tirage-load-") as folder:
        env = environment(Path(folder), database)
        prepare(env, database)
        engine = "PostgreSQL" if database else "SQLite"
        print(
            f"Tirage load benchmark — {engine}, {flows} flows per configuration, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start"
        )
        for count in servers:
            for kind in kinds:
                measure(env, flows, clients, threads, count, kind)


def profile_one_flow() -> None:
    """One flow in this process (Django's test client) under cProfile: where the time goes."""
    import cProfile
    import pstats

    folder = tempfile.mkdtemp(prefix="tirage-profile-")
    os.environ.update(environment(Path(folder), os.environ.get("DATABASE_URL")))
    os.environ["TIRAGE_PLAIN_STATIC"] = "1"  # no collected manifest in this process
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tirage.calls.callfile import load_call_file

    call_command("migrate", verbosity=0)
    load_call_file(shift_days=(dt.date.today() - dt.date(2025, 5, 15)).days)

    def flow(number: int) -> None:
        browser = Client(REMOTE_ADDR="127.0.0.1")
        page = browser.get("/candidater/").content.decode()
        data = step1(number, "p", "", STARTED_RE.search(page)[1])
        browser.post("/candidater/", data)
        review = browser.get("/candidater/verifier/").content.decode()
        browser.post("/candidater/verifier/", {"submission_key": KEY_RE.search(review)[1]})
        browser.get("/candidater/confirmation/")

    for number in range(5):
        flow(number)  # warm up
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for number in range(5, 25):
        flow(number)
    profiler.disable()
    print(f"20 flows in process: {(time.perf_counter() - began) / 20 * 1000:.1f} ms per flow")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"tirage/|sessions|tasks", 30)
    stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--database", help="postgres://… (default: SQLite)")
    parser.add_argument(
        "--servers",
        default="1,2",
        help="server processes per configuration, comma-separated (default 1,2: both, same run)",
    )
    parser.add_argument(
        "--server",
        default="waitress",
        help="waitress (tirage serve), gunicorn-sync, gunicorn-gthread; comma-separated: "
        "each, same run (gunicorn: --servers is its worker count, one port)",
    )
    parser.add_argument("--profile", action="store_true", help="profile one flow instead")
    arguments = parser.parse_args()
    if arguments.profile:
        profile_one_flow()
    else:
        counts = [int(n) for n in arguments.servers.split(",") if n.strip()]
        kinds = [k.strip() for k in arguments.server.split(",") if k.strip()]
        main(
            arguments.flows, arguments.clients, arguments.threads, arguments.database, counts, kinds
        )
