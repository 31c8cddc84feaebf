"""The whole draw flow, unattended: for scripting (``tirage draw_flow``) and the demo.

Each step is the same service the web pages call; this module only chains them.
It never closes a call early and never decides an application: on a call still
open, or with applications awaiting a decision, it refuses with a French message
(the demo takes its own shortcuts first: ``tirage.demo.draw``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tirage.calls.models import Call
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import current_pool, freeze_pool
from tirage.site.dates import french_moment

STEPS = ("close", "freeze", "prepare", "commit", "results")


def run_flow(
    call: Call,
    *,
    until: str = "results",
    dice: list[int] | None = None,
    seed: str | None = None,
    panels: int = 1000,
    actor=None,
    strict: bool = False,
    early_reason: str = "",
) -> dict[str, Path]:
    """Run the draw steps up to ``until`` (one of ``STEPS``); returns the published files.

    Idempotent: steps already done are skipped (an existing drawn result is returned as is).
    Raises ``DrawError`` while the call is open, ``FreezeError`` while applications
    await a decision (nothing is decided here). With ``strict``, dice or a seed other
    than those of an existing result raise ``DrawError`` (``tirage draw_flow``); the
    demo keeps its result silently. Before the announced draw date the draw is
    refused unless ``early_reason`` says why (audited).
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
        if not call.is_closed():
            raise services.DrawError(
                f"L'appel est ouvert jusqu'au {french_moment(call.closes_at)} : le tirage a lieu "
                "après la clôture (ce script ne clôt jamais un appel)."
            )
        if until == "close":
            return files
        if pool is None:
            # Refused while applications await a decision or lack a secteur (FreezeError).
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
        services.perform_draw(draw, actor=actor, dice=dice, seed=seed, early_reason=early_reason)
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
