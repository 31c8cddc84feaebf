"""Benchmark: the server's CPU per applicant flow, in process, before and after, same run.

Run::

    git -C /work/main worktree add /tmp/base main        # the code before (any checkout)
    uv run python benchmarks/flow_cpu.py --baseline /tmp/base [--rounds 8 --flows 25]
    uv run python benchmarks/flow_cpu.py --baseline /tmp/base \
        --database postgres://postgres@127.0.0.1:5432/NAME   # NAME_before, NAME_after

One child process per side (``--baseline`` = a checkout of the code before, or its ``src``;
this checkout after), each with its own fresh database (SQLite in a temporary folder, or
``NAME_before`` / ``NAME_after`` on PostgreSQL, created or emptied), Roubaix's call re-dated
to be open today and a warm-up. The children then take turns, round after round (the order
alternates), each driving Django's WSGI handler in process through Django's test client
with CSRF checks on (``Client(enforce_csrf_checks=True)``), ``--flows`` applicant flows a
round, each a new browser through the real steps (5 requests):

    GET /candidater/ → POST step 1 → GET /candidater/verifier/ → POST (send) → GET confirmation

and ``--flows`` requests to ``/health/``. Prints the CPU seconds of the child process
(``time.process_time``: the machine is shared, wall time would measure the neighbours)
per flow and per ``/health/`` request, median and spread of the rounds, queries per flow,
before and after side by side. Every flow must end on its receipt (checked).

``--profile`` runs one side (this checkout, or ``--baseline`` with ``--profile-baseline``)
under cProfile for ``--flows`` flows and prints where the time goes, grouped (middleware,
views, forms, templates, ORM, sessions, address rules, flood counters) then by function.
The flood protection sees 127.0.0.1 in ``TIRAGE_FORM_TRUSTED_NETWORKS`` (the documented
setting for public computers; benchmarks/load.py does the same). Not part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_RE = re.compile(r'name="started" value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key" value="([0-9a-f]+)"')
CODE_RE = re.compile(r'id="receipt-code">([A-Z0-9-]+)<')
HERE = Path(__file__).resolve().parent


def source_dir(path: str) -> Path:
    """A checkout's ``src`` folder (``path`` may be the checkout or its ``src``)."""
    root = Path(path).resolve()
    if (root / "src" / "tirage").is_dir():
        return root / "src"
    if (root / "tirage").is_dir():
        return root
    raise SystemExit(f"{path}: no tirage package here (nor in its src/)")


def step1(number: int, run: str, token: str, started: str) -> dict[str, str]:
    """The answers of step 1: those of benchmarks/load.py."""
    from load import step1 as load_step1  # benchmarks/ is on the path of its scripts

    return load_step1(number, run, token, started, family="Cpu")


# -- the child: one side, in its own process ------------------------------------------
def child_setup(database: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="tirage-flowcpu-")
    os.environ.update(
        TIRAGE_DATA_DIR=folder,
        TIRAGE_FORM_TRUSTED_NETWORKS="127.0.0.1/32",
        TIRAGE_LOG_LEVEL="ERROR",
        TIRAGE_PLAIN_STATIC="1",  # no collected manifest in this process
        DJANGO_SETTINGS_MODULE="tirage.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    if database:
        import psycopg

        name = database.rsplit("/", 1)[1]
        admin = database.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database
    import django

    django.setup()
    from django.core.management import call_command

    from tirage.calls.callfile import load_call_file

    call_command("migrate", verbosity=0)
    load_call_file(shift_days=(dt.date.today() - dt.date(2025, 5, 15)).days)


def server_client(**defaults):
    """Django's test client that, like a server, ends each request with
    ``close_old_connections`` (the test client leaves the connection open: without this
    a server's reconnection per request, ``CONN_MAX_AGE`` = 0, would not be counted)."""
    from django.db import close_old_connections
    from django.test import Client

    class ServerClient(Client):
        def request(self, **request):
            try:
                return super().request(**request)
            finally:
                close_old_connections()

    return ServerClient(**defaults)


def flow(number: int, run: str) -> None:
    """One applicant from the first page to the receipt, CSRF checked as in a browser."""
    browser = server_client(REMOTE_ADDR="127.0.0.1", enforce_csrf_checks=True)
    page = browser.get("/candidater/").content.decode()
    data = step1(number, run, TOKEN_RE.search(page)[1], STARTED_RE.search(page)[1])
    sent = browser.post("/candidater/", data)
    assert sent.status_code == 302 and sent["Location"].endswith("/verifier/"), sent
    review = browser.get("/candidater/verifier/").content.decode()
    done = browser.post(
        "/candidater/verifier/",
        {"csrfmiddlewaretoken": TOKEN_RE.search(review)[1], "submission_key": KEY_RE.search(review)[1]},
    )  # fmt: skip
    assert done.status_code == 302, done
    receipt = browser.get("/candidater/confirmation/").content.decode()
    assert CODE_RE.search(receipt), "no receipt code"


def child(source: str, database: str | None) -> None:
    """Answer the parent's lines: ``N`` → N flows and N /health/ requests, one JSON line."""
    child_setup(database)
    from django.db import connection

    counter = 0

    def flows(count: int) -> float:
        nonlocal counter
        began = time.process_time()
        for _ in range(count):
            counter += 1
            flow(counter, "c")
        return time.process_time() - began

    flows(10)  # warm up: templates compiled, caches filled
    queries: list[str] = []

    def count_query(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_query):
        flows(1)
    health = server_client(REMOTE_ADDR="127.0.0.1")
    for _ in range(10):
        health.get("/health/")
    print(json.dumps({"ready": True, "queries": len(queries), "source": source}), flush=True)
    for line in sys.stdin:
        count = int(line)
        flow_cpu = flows(count)
        began = time.process_time()
        for _ in range(count):
            assert health.get("/health/").status_code == 200
        health_cpu = time.process_time() - began
        print(json.dumps({"flow": flow_cpu / count, "health": health_cpu / count}), flush=True)


# -- profile ---------------------------------------------------------------------------
AREAS = (
    # (label, file path ending, function name): inclusive (cumulative) time, so areas
    # overlap (the views include the templates they render, the ORM includes the driver).
    ("whole request (WSGI handler, all middleware)", "core/handlers/base.py", "get_response"),
    ("views: start (/candidater/, GET + POST)", "applications/views.py", "start"),
    ("views: review (/verifier/, GET + POST)", "applications/views.py", "review"),
    ("views: confirmation", "applications/views.py", "confirmation"),
    ("templates: render() of the five pages", "django/shortcuts.py", "render"),
    ("  of which form widgets (form renderer)", "django/forms/renderers.py", "render"),
    ("forms: ApplicantForm validation (full_clean)", "applications/forms.py", "full_clean"),
    ("address rules: resolve_address", "geo/address.py", "resolve_address"),
    ("the call: Call.objects.current()", "calls/models.py", "current"),
    ("the call's features + values (feature_list)", "calls/models.py", "feature_list"),
    ("the call's offices (office_list)", "calls/models.py", "office_list"),
    (
        "submit_application (the INSERT and its checks)",
        "applications/services.py",
        "submit_application",
    ),
    ("flood counters: check_step1", "applications/flood.py", "check_step1"),
    ("flood counters: check_submit", "applications/flood.py", "check_submit"),
    ("flood counters: accepted (records)", "applications/flood.py", "accepted"),
    ("receipt queued (task enqueue)", "applications/views.py", "_send_receipt"),
    ("sessions: load", "sessions/backends/db.py", "load"),
    ("sessions: save (process_response)", "sessions/middleware.py", "process_response"),
    ("CSRF middleware (process_view)", "django/middleware/csrf.py", "process_view"),
    ("auth: request.user", "contrib/auth/middleware.py", "get_user"),
    ("SQL: executed by the driver (cursor execute)", "db/backends/utils.py", "_execute"),
    ("ORM: compiling queries (as_sql)", "sql/compiler.py", "as_sql"),
    ("ORM: building model instances (from_db)", "db/models/base.py", "from_db"),
)


def profile(count: int, database: str | None) -> None:
    import cProfile
    import io
    import pstats

    child_setup(database)
    for number in range(10):
        flow(number, "w")
    profiler = cProfile.Profile(time.process_time)
    began = time.process_time()
    profiler.enable()
    for number in range(count):
        flow(number, "p")
    profiler.disable()
    cpu = time.process_time() - began
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values())
    print(
        f"{count} flows under cProfile: {cpu / count * 1000:.1f} ms CPU per flow (profiler included)"
    )
    print("Inclusive time per flow, share of the profiled total (areas overlap):")
    for label, ending, function in AREAS:
        # A recursive function's cumulative time is counted once (primitive calls).
        seconds = sum(
            ct for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in raw.items()
            if name == function and filename.endswith(ending)
        )  # fmt: skip
        print(f"  {seconds / count * 1000:6.2f} ms  {100 * seconds / total:5.1f} %  {label}")
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(r"tirage/", 30)
    stats.sort_stats("tottime").print_stats(20)
    print(out.getvalue())


# -- the parent ------------------------------------------------------------------------
def start_child(source: Path, database: str | None) -> tuple[subprocess.Popen, dict]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(source), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, str(HERE / "flow_cpu.py"), "--child", str(source)]
    if database:
        command += ["--database", database]
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())
    return process, ready


def ask(process: subprocess.Popen, count: int) -> dict:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(f"{count}\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def main(baseline: str | None, rounds: int, count: int, database: str | None) -> None:
    sides = {"after": source_dir(str(HERE.parent))}
    if baseline:
        sides = {"before": source_dir(baseline), **sides}
    children = {}
    for label, source in sides.items():
        url = f"{database}_{label}" if database else None
        children[label] = start_child(source, url)
    print(
        f"flow CPU in process — {'PostgreSQL' if database else 'SQLite'}, {rounds} rounds × "
        f"{count} flows per side, alternated; load average {os.getloadavg()[0]:.2f} "
        f"at the start, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    results: dict[str, list[dict]] = {label: [] for label in children}
    labels = list(children)
    for number in range(rounds):
        for label in labels if number % 2 == 0 else labels[::-1]:
            results[label].append(ask(children[label][0], count))
    load = os.getloadavg()[0]
    for process, _ready in children.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=60)

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.2f} ({min(values) * 1000:.2f}–{max(values) * 1000:.2f})"

    print(f"load average {load:.2f} at the end\n")
    print(f"| {'measure':<34} | " + " | ".join(f"{label:<22}" for label in children) + " |")
    print("|" + "---|" * (len(children) + 1))
    rows = [
        ("CPU ms per flow, median (min–max)", lambda rs: cell([r["flow"] for r in rs])),
        ("CPU ms per /health/", lambda rs: cell([r["health"] for r in rs])),
    ]
    for name, make in rows:
        print(f"| {name:<34} | " + " | ".join(f"{make(results[label]):<22}" for label in children) + " |")  # fmt: skip
    queries = " | ".join(f"{children[label][1]['queries']:<22}" for label in children)
    print(f"| {'SQL queries per flow':<34} | {queries} |")
    if "before" in results:
        ratio = statistics.median(r["flow"] for r in results["after"]) / statistics.median(
            r["flow"] for r in results["before"]
        )
        print(f"\nafter / before, CPU per flow: {ratio:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="a checkout of the code before (or its src/)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--flows", type=int, default=25, help="flows per round and side")
    parser.add_argument("--database", help="postgres://…/NAME (default: SQLite)")
    parser.add_argument("--profile", action="store_true", help="cProfile one side instead")
    parser.add_argument("--profile-baseline", action="store_true", help="profile --baseline")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.database)
    elif arguments.profile:
        if arguments.profile_baseline:
            source = source_dir(arguments.baseline)
            os.execve(
                sys.executable,
                [sys.executable, __file__, "--profile", "--flows", str(arguments.flows)]
                + (["--database", arguments.database] if arguments.database else []),
                {**os.environ, "PYTHONPATH": str(source)},
            )
        profile(arguments.flows, arguments.database)
    else:
        main(arguments.baseline, arguments.rounds, arguments.flows, arguments.database)
