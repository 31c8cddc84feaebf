"""Housekeeping run by the worker every ``HOUSEKEEPING_HOURS``: a self-rescheduling task.

Jobs are registered by the apps that own the data (``register``), so this lowest
layer imports none of them: expired sessions (abandoned form drafts hold names and
addresses: Django's ``clearsessions``), the form's flood counters, the import files
kept for « Importer les lignes valides »… Every job is idempotent: two workers that
both run it do no harm. ``tirage worker`` queues the first run; ``tirage housekeeping``
runs the jobs once (for a cron, without a worker).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

HOUSEKEEPING_HOURS = 1
_JOBS: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    """Add (or replace, by ``name``) a job; its return value (a count) is reported."""
    _JOBS[name] = job


def clear_sessions() -> None:
    """Django's ``clearsessions``: delete the expired sessions (drafts of the public form)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


register("sessions", clear_sessions)


def run_jobs() -> dict[str, str]:
    """Run every job; ``{name: result or error}`` (one failing job does not stop the others)."""
    results = {}
    for name, job in sorted(_JOBS.items()):
        try:
            results[name] = str(job())
        except Exception as exc:  # noqa: BLE001 - reported, and the next jobs still run
            logger.exception("housekeeping job %s failed", name)
            results[name] = f"error: {exc.__class__.__name__}"
    return results


@task()
def housekeeping() -> dict[str, str]:
    """Run the jobs, then queue the next run in ``HOUSEKEEPING_HOURS``."""
    try:
        return run_jobs()
    finally:
        housekeeping.using(
            run_after=timezone.now() + dt.timedelta(hours=HOUSEKEEPING_HOURS)
        ).enqueue()


def ensure_scheduled() -> bool:
    """Queue a run now unless one is already waiting; True when one was queued."""
    from django_tasks_db.models import DBTaskResult  # the queue's table

    waiting = DBTaskResult.objects.filter(
        task_path=housekeeping.module_path, status__in=["READY", "RUNNING"]
    )
    if waiting.exists():
        return False
    housekeeping.enqueue()
    return True
