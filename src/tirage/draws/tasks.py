"""Background task of the draw: computing the lottery (``tirage worker`` runs it)."""

from __future__ import annotations

from django.tasks import task

from tirage.draws.services import prepare_draw


@task()
def prepare(*, draw_id: int, run: int) -> str:
    """Compute the lottery of draw ``draw_id`` for run ``run``; returns the draw's status.

    A run superseded by a restart does nothing. Failures of the engine mark the
    draw failed (shown on the draw page) and the task succeeds; an unexpected
    error marks the draw failed and fails the task with its traceback.
    """
    return prepare_draw(draw_id, run=run).status
