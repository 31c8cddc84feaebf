"""Heartbeats of long background runs (draw preparation, letters batches).

The queue's worker can be killed mid-task (a reboot, the OOM killer, a
``kill -9``): the task's row then stays « running » for ever. A long run
writes a heartbeat on its own row every ``TASK_HEARTBEAT_SECONDS`` from a
thread beside the work; a run whose heartbeat is older than
``TASK_STALE_SECONDS`` is shown interrupted, and staff may restart it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)


@contextmanager
def beating(beat: Callable[[], object], *, every: float | None = None) -> Iterator[None]:
    """Call ``beat()`` every ``every`` seconds (``TASK_HEARTBEAT_SECONDS``) while the block runs.

    ``beat`` runs in a thread with its own database connection (closed at the
    end); a failing beat is logged, never raised into the work.
    """
    period = every if every is not None else settings.TASK_HEARTBEAT_SECONDS
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.wait(period):
                try:
                    beat()
                except Exception:  # noqa: BLE001 - a missed beat must not stop the work
                    logger.warning("heartbeat failed", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, name="tirage-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def is_stale(last_beat: dt.datetime | None, *, now: dt.datetime | None = None) -> bool:
    """True when ``last_beat`` is missing or older than ``TASK_STALE_SECONDS``."""
    if last_beat is None:
        return True
    now = now or timezone.now()
    return (now - last_beat).total_seconds() > settings.TASK_STALE_SECONDS


def abandon_task(task_id: str) -> int:
    """Mark the queue's row of a task whose worker died as failed (it stayed « running »).

    Returns 1 when a running row was found, else 0. Staff restarting a run call
    it so that ``/health/`` and the queue's table no longer count it as running.
    """
    if not task_id:
        return 0
    # The queue's model: importing it at module level would load it before the app registry.
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.running()
        .filter(id=task_id)
        .update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="tirage.ops.heartbeat.WorkerDied",
            traceback="The worker stopped during this task; staff restarted the run.",
        )
    )


def unclaimed_since(task_id: str) -> dt.datetime | None:
    """When task ``task_id`` was queued, if it is still waiting for a worker and stale (else None).

    A task that no worker claims for ``TASK_STALE_SECONDS`` means that no
    worker runs (``tirage serve --no-worker`` without ``tirage worker``).
    """
    if not task_id:
        return None
    # The queue's model: importing it at module level would load it before the app registry.
    from django_tasks_db.models import DBTaskResult, get_date_max

    row = DBTaskResult.objects.filter(id=task_id, status="READY").first()
    if row is None:
        return None
    # run_after holds the greatest date when the task may run at once.
    due = row.enqueued_at if row.run_after == get_date_max() else row.run_after
    return row.enqueued_at if is_stale(due) else None
