"""Fault test: the real worker (``tirage worker``, a child process) is killed with SIGKILL
in the middle of the lottery's computation; the draw page says « interrompu », the
coordinator restarts it, a new worker computes it to the same commitment as an
uninterrupted run.

PostgreSQL only: the worker must reach the test database (SQLite's test
database lives in this process's memory).
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.draws.conftest import AFTER_DEADLINE, fill_pool
from tests.workers import start_worker, wait_for, worker_env
from tirage.audit.models import AuditEntry
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import freeze_pool
from tirage.draws.staff_views import STAGE_LABELS

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a second process needs PostgreSQL"
    ),
]

OVERVIEW = "/gestion/tirage/"


def test_killed_preparation_is_shown_interrupted_and_restarts_to_the_same_lottery(
    call, settings, client, coordinator
):
    settings.TASK_STALE_SECONDS = 2
    began = time.monotonic()
    fill_pool(call, per_secteur=20)  # 100 applicants: LEXIMIN lasts long enough to be caught
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool, panels=10000)
    services.start_preparation(draw)
    print(f"pool ready in {time.monotonic() - began:.1f} s")  # noqa: T201
    env = worker_env(settings, heartbeat=0.3)
    client.force_login(coordinator)

    launched = time.monotonic()
    worker = start_worker(env)
    seen = []

    def caught_computing():
        row = Draw.objects.values_list("status", "progress_stage", "progress_done").get(pk=draw.pk)
        if not seen or seen[-1] != row:
            seen.append(row)
        # LEXIMIN, or the start of the rounding when LEXIMIN ended between two reports (an
        # idle machine); not later, when the bundle may be a moment from being saved.
        if row[1] in ("leximin", "peeling") or row[1:] == ("rounding", 0):
            worker.kill_group()  # SIGKILL at once: no chance to tidy up
            return True
        return False

    try:
        # Generous timeouts: a loaded CI machine starts a worker (Django, the solver) slowly.
        wait_for(caught_computing, timeout=120, what=lambda: f"the lottery under way ({seen})")
    finally:
        worker.kill_group()
    print(f"killed after {time.monotonic() - launched:.1f} s")  # noqa: T201
    draw.refresh_from_db()
    assert draw.status == Draw.Status.RUNNING and not draw.commitment
    assert DBTaskResult.objects.running().count() == 1  # the queue still believes it runs

    # Within TASK_STALE_SECONDS plus a beat, the page says so and offers the restart.
    def shown_interrupted():
        return "Le calcul est interrompu." in client.get(OVERVIEW).content.decode()

    wait_for(shown_interrupted, timeout=60, what="« interrompu » on the page")
    page = client.get(OVERVIEW).content.decode()
    assert "Relancer le calcul</button>" in page and "<progress" not in page
    # The stage stored when the worker died (it may have moved on between the poll and the kill).
    assert draw.progress_stage in ("leximin", "peeling", "rounding"), seen
    assert f"Il était à l'étape : {STAGE_LABELS[draw.progress_stage]}" in page

    response = client.post(f"/gestion/tirage/{draw.pk}/relancer/")
    assert response.status_code == 302
    assert DBTaskResult.objects.running().count() == 0  # the dead run's row is closed
    started = time.monotonic()
    again = start_worker(env, batch=True)
    assert again.wait(timeout=240) == 0
    draw.refresh_from_db()
    assert draw.status == Draw.Status.PREPARED, (draw.error, seen)
    assert draw.run_number == 1 and len(draw.commitment) == 64
    assert services.bundle_file(draw).is_file()
    print(f"restarted run: {time.monotonic() - started:.1f} s")  # noqa: T201

    # The same lottery as an uninterrupted run on the same pool (the computation is deterministic).
    twin = services.create_draw(pool, panels=10000)
    twin = services.prepare_draw(twin.pk)
    assert twin.commitment == draw.commitment
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            object_id=str(draw.pk), action__startswith="draw."
        ).order_by("id")
    ][-2:] == ["draw.prepare_restarted", "draw.prepared"]
    page = client.get(OVERVIEW).content.decode()
    assert "interrompu" not in page
