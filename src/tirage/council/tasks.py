"""Background task of the council: the letters after the draw (``tirage worker`` runs it)."""

from __future__ import annotations

import logging

from django.tasks import task

from tirage.calls.models import Call
from tirage.council.errors import CouncilError
from tirage.council.services.seat_letters import run_letters
from tirage.letters.services import SupersededRun, fail_run, start_run
from tirage.ops.heartbeat import beating

logger = logging.getLogger(__name__)


@task()
def draw_letters(*, run_id: int, run: int) -> str:
    """Produce the letters after the draw for ``BatchRun`` ``run_id``, run ``run``.

    Returns ``"done"``, ``"failed"`` (a French reason on the run) or
    ``"superseded"`` (restarted meanwhile). Progress and a heartbeat are written
    on the run; the batch is published whole, in one transaction, at the end;
    the e-mail copies are queued with it.
    """
    started = start_run(run_id, run)
    if started is None:
        return "superseded"
    row, progress = started
    call = Call.objects.get(pk=row.call_id)
    try:
        with beating(progress.beat):
            run_letters(call, actor=row.created_by, progress=progress, queue_email=True)
    except SupersededRun:
        return "superseded"
    except CouncilError as exc:
        fail_run(progress, str(exc))
        return "failed"
    except Exception as exc:
        fail_run(
            progress,
            f"Erreur inattendue pendant la production des courriers ({type(exc).__name__}) : "
            "aucun courrier n'a été publié. Relancez ou signalez-la.",
        )
        raise
    return "done"
