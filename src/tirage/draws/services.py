"""The draw protocol, step by step (each step audited).

1. ``pool.freeze_pool`` — the eligible applications, by receipt code.
2. ``prepare_draw`` — LEXIMIN (or Goldilocks) probabilities, rounded to a
   uniform lottery over m panels, written as a bundle (no personal data).
   Long: a task on the queue (``draws.tasks.prepare``, run by ``tirage
   worker``); progress and a heartbeat are stored on the ``Draw`` row, and a
   run whose worker died is shown interrupted and restarted by staff
   (``restart_preparation``).
3. ``commit_draw`` — publish the bundle's SHA-256 commitment.
4. ``perform_draw`` — public randomness (dice or seed) → panel index →
   council and reserve list; recorded once, never re-drawn.
5. ``redraw`` — a new commitment on the same pool, publicly logged with its reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.draws.diagnosis import french_error
from tirage.draws.models import Draw, DrawResult, FrozenPool
from tirage.ops.heartbeat import abandon_task, beating
from tirage.site.dates import french_date
from tirage.sortition.bundle import compute_commitment, load_bundle
from tirage.sortition.choices import LOTTERY_OBJECTIVES, LOTTERY_SIZES
from tirage.sortition.errors import SortitionError
from tirage.sortition.model import Feature, Instance, Person, Progress, Quota
from tirage.sortition.result import make_result


class DrawError(Exception):
    """A step of the protocol is refused; the message (French) says why."""


def instance_for(pool: FrozenPool) -> Instance:
    """The engine's ``Instance`` for a frozen pool: ids are receipt codes, values are feature keys."""
    call = pool.call
    features = tuple(
        Feature(
            name=f.key,
            label=f.label,
            quotas={v.key: Quota(v.min, v.max) for v in f.values.all()},
            value_labels={v.key: v.label for v in f.values.all()},
        )
        for f in call.features.prefetch_related("values")
    )
    people = tuple(
        Person(id=m.receipt_code, values=dict(m.values))
        for m in pool.members.order_by("receipt_code")
    )
    return Instance(people=people, features=features, seats=call.seats)


def documents_dir(draw: Draw) -> Path:
    path = Path(settings.DOCUMENTS_DIR) / "draws" / str(draw.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def bundle_file(draw: Draw) -> Path:
    return Path(settings.DOCUMENTS_DIR) / draw.bundle_path


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 2. prepare -------------------------------------------------------------------
@transaction.atomic
def create_draw(
    pool: FrozenPool,
    *,
    actor=None,
    panels: int = 1000,
    objective: str = "leximin",
    method: str = "dice",
    redraw_of: Draw | None = None,
    reason: str = "",
) -> Draw:
    """Register a lottery to compute on ``pool`` (status pending)."""
    if not pool.is_current:
        raise DrawError("Ce vivier a été remplacé par un vivier plus récent.")
    if panels not in LOTTERY_SIZES:
        raise DrawError(f"Nombre de panels {panels} : choisissez 1000 (3 dés) ou 10000 (4 dés).")
    if objective not in LOTTERY_OBJECTIVES:
        raise DrawError(f"Objectif inconnu : {objective}.")
    if pool.draws.filter(status=Draw.Status.DRAWN).exists() and redraw_of is None:
        raise DrawError("Le tirage a déjà eu lieu sur ce vivier.")
    open_draws = pool.draws.filter(status__in=[Draw.Status.COMMITTED])
    if redraw_of is not None:
        open_draws = open_draws.exclude(pk=redraw_of.pk)
    if open_draws.exists():
        raise DrawError(
            "Un engagement est déjà publié pour ce vivier : procédez au tirage ou à un nouveau tirage motivé."
        )
    draw = Draw.objects.create(
        pool=pool,
        panels=panels,
        objective=objective,
        method=method,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        redraw_of=redraw_of,
        redraw_reason=reason,
    )
    log_action(
        draw,
        "draw.created",
        actor=actor,
        reason=reason,
        data={"pool": pool.pk, "panels": panels, "objective": objective, "method": method},
    )
    return draw


class _StoredProgress(Progress):
    """Writes the engine's progress (and a heartbeat) on the Draw row, for run ``run`` only."""

    def __init__(self, draw_id: int, run: int) -> None:
        self.draw_id, self.run = draw_id, run
        self.rows = Draw.objects.filter(pk=draw_id, run_number=run, status=Draw.Status.RUNNING)

    def update(self, stage: str, done: int, total: int | None = None, message: str = "") -> None:
        self.rows.update(
            progress_stage=stage[:40],
            progress_done=done,
            progress_total=total,
            progress_message=message[:300],
            heartbeat_at=timezone.now(),
        )

    def beat(self) -> None:
        self.rows.update(heartbeat_at=timezone.now())


def prepare_draw(draw_id: int, *, run: int | None = None) -> Draw:
    """Compute the lottery of a pending draw and write its bundle (long: minutes at most).

    ``run``: the run number the queued task was given; a task of an older run
    (restarted meanwhile) does nothing. On failure the draw is marked failed
    with the error; nothing else changes. Deterministic: the same pool gives
    the same bundle and commitment, so a restarted run ends as the first would have.
    """
    # Function-level: numpy and the solver load only in the process that computes
    # (the worker), never in a web request.
    from tirage.sortition.pipeline import prepare_lottery

    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw_id)
        if run is not None and run != draw.run_number:
            return draw  # superseded by a restart
        if draw.status not in (Draw.Status.PENDING, Draw.Status.FAILED):
            raise DrawError(f"Ce tirage est déjà « {draw.get_status_display()} ».")
        now = timezone.now()
        draw.status = Draw.Status.RUNNING
        draw.error = ""
        draw.started_at = draw.heartbeat_at = now
        draw.progress_stage, draw.progress_done, draw.progress_total, draw.progress_message = (
            "start",
            0,
            None,
            "",
        )
        draw.save(
            update_fields=[
                "status",
                "error",
                "started_at",
                "heartbeat_at",
                "progress_stage",
                "progress_done",
                "progress_total",
                "progress_message",
            ]
        )
    progress = _StoredProgress(draw.pk, draw.run_number)
    try:
        instance = instance_for(draw.pool)
        call = draw.pool.call
        with beating(progress.beat):
            prepared = prepare_lottery(
                instance,
                panels=draw.panels,
                objective=draw.objective,
                metadata={
                    "council": call.council_name,
                    "city": call.city_name,
                    "call": call.slug,
                    "pool_fingerprint": draw.pool.fingerprint,
                    "draw_date": call.draw_date.isoformat(),
                    "method": draw.method,
                },
                progress=progress,
            )
        path = documents_dir(draw) / "bundle.json"
        prepared.bundle.write(path)
    except (SortitionError, OSError, ValueError) as exc:
        message = french_error(exc, draw.pool)
        progress.rows.update(status=Draw.Status.FAILED, error=message, progress_stage="failed")
        draw.refresh_from_db()
        log_action(
            draw,
            "draw.prepare_failed",
            actor_label="système",
            data={
                "error": message,
                "engine_code": getattr(exc, "code", ""),
                "engine_message": str(exc),
            },
        )
        return draw
    except Exception as exc:
        # An unexpected error must not leave the draw « running » forever on the staff page.
        message = f"Erreur inattendue pendant le calcul ({type(exc).__name__}). Signalez-la avec le numéro du tirage."
        progress.rows.update(status=Draw.Status.FAILED, error=message, progress_stage="failed")
        log_action(
            draw,
            "draw.prepare_failed",
            actor_label="système",
            data={"error": message, "engine_message": repr(exc)},
        )
        raise
    result, lottery = prepared.solution, prepared.lottery
    summary: dict[str, Any] = {
        "algorithm": result.algorithm,
        "seconds": round(result.seconds, 3),
        "min_probability": result.min_probability,
        "max_probability": result.max_probability,
        "max_change": lottery.max_change,
        "rounding": lottery.method,
        # False when the engine stopped before proving its optimum (e.g. an exact pricing's
        # own time limit on a very large pool): shown to staff and on the announcement.
        "proven": bool(result.proven),
        "gap": float(result.gap),
        "warnings": list(result.warnings),
        "invariants": [
            {"name": c.name, "ok": bool(c.ok), "detail": c.detail} for c in result.invariants
        ],
        "probabilities": {pid: lottery.selections[pid] for pid in instance.ids},
    }
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.status != Draw.Status.RUNNING or draw.run_number != progress.run:
            # Cancelled (redrawn) or restarted while computing: a cancelled draw must not come
            # back as « calculé » and be published next to its replacement.
            return draw
        draw.status = Draw.Status.PREPARED
        draw.prepared_at = timezone.now()
        draw.bundle_path = str(path.relative_to(settings.DOCUMENTS_DIR))
        draw.commitment = prepared.commitment
        draw.summary = summary
        draw.progress_stage = "done"
        draw.save()
        log_action(
            draw,
            "draw.prepared",
            actor_label="système",
            data={
                "commitment": prepared.commitment,
                "bundle_sha256": sha256_file(path),
                "algorithm": result.algorithm,
                "min_probability": result.min_probability,
            },
        )
    return draw


def start_preparation(draw: Draw) -> None:
    """Queue ``prepare_draw`` for ``draw``'s current run (``draws.tasks.prepare``).

    The worker (``tirage worker``, started by ``tirage serve``) computes it; the
    queue is a table of the database, so the task is queued with the caller's
    transaction. The queue's id is kept on the draw to abandon it on a restart.
    """
    # The task module imports this one: imported here, when a preparation is queued.
    from tirage.draws.tasks import prepare

    result = prepare.enqueue(draw_id=draw.pk, run=draw.run_number)
    Draw.objects.filter(pk=draw.pk).update(task_id=str(result.id))


@transaction.atomic
def restart_preparation(draw: Draw, *, actor=None, now=None) -> Draw:
    """Start again the computation of an interrupted draw (its worker died); audited.

    The older run is abandoned (its queue row marked failed; anything it might
    still write is ignored: a new run number) and a new task queued. Raises
    ``DrawError`` when the draw is not interrupted.
    """
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if not draw.is_interrupted(now=now):
        raise DrawError(
            f"Ce calcul n'est pas interrompu (statut : {draw.get_status_display()}) : "
            "rien à relancer."
        )
    last = draw.heartbeat_at or draw.started_at
    abandoned = abandon_task(draw.task_id)
    previous = draw.run_number
    draw.status = Draw.Status.PENDING
    draw.run_number = previous + 1
    draw.started_at = draw.heartbeat_at = None
    draw.progress_stage, draw.progress_done, draw.progress_total, draw.progress_message = (
        "",
        0,
        None,
        "",
    )
    draw.save(
        update_fields=[
            "status",
            "run_number",
            "started_at",
            "heartbeat_at",
            "progress_stage",
            "progress_done",
            "progress_total",
            "progress_message",
        ]
    )
    log_action(
        draw,
        "draw.prepare_restarted",
        actor=actor,
        data={
            "run": draw.run_number,
            "interrupted_run": previous,
            "last_heartbeat": last.isoformat() if last else None,
            "queue_row_abandoned": bool(abandoned),
        },
    )
    start_preparation(draw)
    draw.refresh_from_db()
    return draw


# -- 3. commit --------------------------------------------------------------------
@transaction.atomic
def commit_draw(draw: Draw, *, actor=None) -> Draw:
    """Publish the commitment of a prepared draw (before any randomness exists)."""
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status != Draw.Status.PREPARED:
        raise DrawError(
            f"Seul un tirage calculé peut être publié (statut : {draw.get_status_display()})."
        )
    path = bundle_file(draw)
    bundle = load_bundle(path)
    # The file's content, hashed again: a changed panel with the old commitment left in the
    # file must not be published (the file's own "commitment" field proves nothing).
    if bundle.commitment != draw.commitment or compute_commitment(bundle.data) != draw.commitment:
        raise DrawError(
            "Le fichier de la loterie ne correspond plus à son engagement : recalculez-la."
        )
    draw.status = Draw.Status.COMMITTED
    draw.committed_at = timezone.now()
    draw.committed_by = actor if getattr(actor, "is_authenticated", False) else None
    draw.save(update_fields=["status", "committed_at", "committed_by"])
    log_action(
        draw,
        "draw.committed",
        actor=actor,
        data={"commitment": draw.commitment, "bundle_sha256": sha256_file(path)},
    )
    return draw


# -- 4. ceremony ------------------------------------------------------------------
def perform_draw(
    draw: Draw,
    *,
    actor=None,
    dice: list[int] | None = None,
    seed: str | None = None,
    place: str = "",
    early_reason: str = "",
    today=None,
) -> DrawResult:
    """Draw once with the public randomness; record and write the result file.

    Raises ``DrawError`` if the draw is not committed or was already drawn
    (a second draw on the same commitment is refused: the database holds one
    result per draw), for dice that do not fit ``m``, and before the announced
    draw date (``today``, default the local date) unless ``early_reason`` says
    why (recorded in the audit log with the result).
    """
    today = today or timezone.localdate()
    announced = draw.pool.call.draw_date
    early_reason = early_reason.strip()
    if today < announced and not early_reason:
        raise DrawError(
            f"Le tirage est annoncé pour le {french_date(announced)} : pour tirer avant cette date, "
            "indiquez le motif (il est consigné au journal)."
        )
    with transaction.atomic():
        # Lock: two operators pressing "tirer" at once record one result.
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.status == Draw.Status.DRAWN or DrawResult.objects.filter(draw=draw).exists():
            raise DrawError("Ce tirage a déjà eu lieu : son résultat est définitif.")
        if draw.status != Draw.Status.COMMITTED:
            raise DrawError("L'engagement de ce tirage n'est pas publié : impossible de tirer.")
        bundle = load_bundle(bundle_file(draw))
        if bundle.commitment != draw.commitment:
            raise DrawError("Le fichier de la loterie ne correspond pas à l'engagement publié.")
        try:
            result = make_result(bundle, dice=dice, seed=seed)
        except SortitionError as exc:
            raise DrawError(f"Aléa refusé : {exc.message}") from exc
        path = documents_dir(draw) / "result.json"
        result.write(path)
        record = DrawResult.objects.create(
            draw=draw,
            randomness=result.randomness.to_json(),
            panel_index=result.index,
            selected=list(result.selected),
            reserve=list(result.reserve.order),
            result_path=str(path.relative_to(settings.DOCUMENTS_DIR)),
            result_sha256=sha256_file(path),
            drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
            place=place or draw.pool.call.draw_place,
        )
        draw.status = Draw.Status.DRAWN
        draw.save(update_fields=["status"])
        log_action(
            draw,
            "draw.drawn",
            actor=actor,
            reason=early_reason if today < announced else "",
            data={
                "announced_date": announced.isoformat(),
                "early": today < announced,
                "randomness": result.randomness.to_json(),
                "index": result.index,
                "selected": list(result.selected),
                "result_sha256": record.result_sha256,
            },
        )
    return record


@transaction.atomic
def redraw(draw: Draw, *, actor=None, reason: str) -> Draw:
    """Cancel ``draw`` and register a new lottery on the same pool (new commitment needed).

    The reason is mandatory and public.
    """
    if not reason.strip():
        raise DrawError("Un nouveau tirage doit être motivé (le motif est public).")
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if hasattr(draw, "redrawn_by"):
        raise DrawError("Ce tirage a déjà été remplacé.")
    draw.status = Draw.Status.CANCELLED
    draw.redraw_reason = reason.strip()
    draw.save(update_fields=["status", "redraw_reason"])
    log_action(draw, "draw.cancelled", actor=actor, reason=reason)
    return create_draw(
        draw.pool,
        actor=actor,
        panels=draw.panels,
        objective=draw.objective,
        method=draw.method,
        redraw_of=draw,
        reason=reason.strip(),
    )


def public_draw(call) -> Draw | None:
    """The draw the public pages show: the latest committed, drawn or cancelled one."""
    return (
        Draw.objects.filter(pool__call=call, status__in=[Draw.Status.COMMITTED, Draw.Status.DRAWN])
        .order_by("-created_at", "-id")
        .first()
    )
