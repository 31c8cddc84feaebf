"""The whole draw flow, unattended: for the demo and for scripting.

Each step is the same service the web pages call; this module only chains
them and settles what a coordinator would settle by hand in the demo
(closing the call early, deciding pending applications).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Status
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import current_pool, freeze_pool

STEPS = ("close", "freeze", "prepare", "commit", "results")


@transaction.atomic
def close_call_now(call: Call, *, actor=None, now: dt.datetime | None = None) -> Call:
    """Move the closing time to ``now`` (demo, or a call closed early by decision); audited."""
    now = now or timezone.now()
    if call.closes_at <= now:
        return call
    old = call.closes_at
    call.closes_at = now - dt.timedelta(seconds=1)
    call.save(update_fields=["closes_at"])
    log_action(
        call,
        "call.closed_early",
        actor=actor,
        actor_label="démo",
        data={"from": old.isoformat(), "to": call.closes_at.isoformat()},
    )
    return call


def settle_pending(call: Call, *, actor=None) -> int:
    """Decide what the demo leaves to staff: probable duplicates and unknown secteurs.

    A probable duplicate becomes *duplicate* of the earlier application; an
    eligible application without secteur gets the secteur of the mairie where
    it was handed in (or is left for staff). Returns the number of decisions.
    """
    decided = 0
    for app in call.applications.filter(status=Status.RECEIVED).select_related("duplicate_of"):
        if app.duplicate_of_id:
            app.change_status(
                Status.DUPLICATE,
                actor=actor,
                actor_label="démo",
                reason=f"Doublon de {app.duplicate_of.receipt_code} (décision de démonstration).",
            )
        else:
            app.change_status(
                Status.ELIGIBLE, actor=actor, actor_label="démo", reason="Vérifiée (démonstration)."
            )
        decided += 1
    for app in call.applications.filter(status=Status.ELIGIBLE, secteur="").select_related(
        "office"
    ):
        secteur = app.office.secteur if app.office_id else ""
        if secteur:
            app.set_area(
                secteur=secteur,
                actor=actor,
                actor_label="démo",
                reason="Secteur de la mairie de dépôt (démonstration).",
            )
        else:
            app.change_status(
                Status.INELIGIBLE,
                actor=actor,
                actor_label="démo",
                reason="Secteur inconnu, non vérifié (démonstration).",
            )
        decided += 1
    return decided


def run_flow(
    call: Call,
    *,
    until: str = "results",
    dice: list[int] | None = None,
    seed: str | None = None,
    panels: int = 1000,
    actor=None,
    strict: bool = False,
) -> dict[str, Path]:
    """Run the draw steps up to ``until`` (one of ``STEPS``); returns the published files.

    Idempotent: steps already done are skipped (an existing drawn result is returned as is).
    With ``strict``, dice or a seed other than those of an existing result raise
    ``DrawError`` (``tirage draw_flow``); the demo keeps its result silently.
    """
    if until not in STEPS:
        raise ValueError(f"until must be one of {STEPS}")
    files: dict[str, Path] = {}
    pool = current_pool(call)
    draw = (
        pool.draws.exclude(status=Draw.Status.CANCELLED).order_by("-created_at").first()
        if pool
        else None
    )
    if draw is None or draw.status in (Draw.Status.FAILED,):
        close_call_now(call, actor=actor)
        if until == "close":
            return files
        if pool is None:
            settle_pending(call, actor=actor)
            pool = freeze_pool(call, actor=actor)
        if until == "freeze":
            return files
        draw = services.create_draw(pool, actor=actor, panels=panels)
    if draw.status in (Draw.Status.PENDING, Draw.Status.FAILED):
        draw = services.prepare_draw(draw.pk)
        if draw.status == Draw.Status.FAILED:
            raise services.DrawError(f"Échec du calcul : {draw.error}")
    files["bundle"] = services.bundle_file(draw)
    if until == "prepare":
        return files
    if draw.status == Draw.Status.PREPARED:
        draw = services.commit_draw(draw, actor=actor)
    if until == "commit":
        return files
    if draw.status == Draw.Status.COMMITTED:
        if dice is None and seed is None:
            raise services.DrawError("Indiquez les dés (--dice) ou la graine (--seed).")
        services.perform_draw(draw, actor=actor, dice=dice, seed=seed)
        draw.refresh_from_db()
    elif strict and (dice is not None or seed is not None):
        # Already drawn: other dice must not look as if they had been used.
        recorded = draw.result.randomness
        given = {"dice": list(dice)} if dice is not None else {"seed": seed}
        if any(recorded.get(key) != value for key, value in given.items()):
            done = (
                "les dés " + " ".join(str(d) for d in recorded["dice"])
                if recorded.get("dice") is not None
                else f"la graine « {recorded.get('seed', '')} »"
            )
            raise services.DrawError(
                f"Ce tirage a déjà eu lieu avec {done} : son résultat est définitif, "
                "l'aléa indiqué n'est pas utilisé."
            )
    files["result"] = Path(settings.DOCUMENTS_DIR) / draw.result.result_path
    return files
