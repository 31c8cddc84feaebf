"""Background tasks of the council: the letters after the draw, and the letters of seats
offered or re-sent one by one (``tirage worker`` runs them)."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from tirage.calls.models import Call
from tirage.council.errors import CouncilError
from tirage.council.models import Offer
from tirage.council.services.seat_letters import (
    OfferAnsweredMeanwhile,
    run_letters,
    send_offer_letters,
)
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


@task()
def offer_letters(
    *, offer_ids: list[int], label: str, actor_id: int | None = None, now: str | None = None
) -> str:
    """Lay out and send the letters of the offers ``offer_ids`` still pending, as one batch.

    Queued by ``seat_letters.queue_offer_letters`` in the transaction of the
    change (a replacement offered, a letter lost). Each letter gets a new reply
    code, stored with the batch (``send_offer_letters``); the e-mail copies are
    queued. ``now``: ISO date-time of the change (the letter's date). Returns
    ``"done"``, ``"nothing"`` (every offer was answered or withdrawn before) or
    ``"answered"`` (one got its answer during the layout: nothing stored).
    An error is raised to the queue (the task is marked failed): the offer stays
    pending without a letter, its staff page says so and offers to send it again.
    """
    from django.contrib.auth import get_user_model

    offers = list(
        Offer.objects.filter(pk__in=offer_ids, status=Offer.Status.PENDING)
        .select_related("application", "replaces", "draw__pool__call")
        .order_by("pk")
    )
    if not offers:
        return "nothing"
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        send_offer_letters(
            offers[0].draw.pool.call,
            offers,
            label=label,
            actor=actor,
            now=dt.datetime.fromisoformat(now) if now else None,
        )
    except OfferAnsweredMeanwhile as exc:
        logger.info("%s", exc)
        return "answered"
    return "done"
