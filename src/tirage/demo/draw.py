"""The demo's draw: the shortcuts a real call never takes, then the real draw flow.

A real call is drawn after its closing date once staff have decided every
application (``tirage draw_flow`` refuses otherwise). The demo, for itself only,
closes its call early and settles what staff would settle by hand (probable
duplicates, unknown secteurs), audited as « démo », then runs the same
``draws.flow.run_flow`` as ``draw_flow``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Status
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.draws.flow import run_flow
from tirage.draws.pool import current_pool


@transaction.atomic
def close_call_now(call: Call, *, actor=None, now: dt.datetime | None = None) -> Call:
    """Move the closing time to ``now`` (the demo only); audited (``call.closed_early``)."""
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
    it was handed in (or is declared ineligible). Returns the number of decisions.
    """
    decided = 0
    for app in call.applications.filter(status=Status.RECEIVED).select_related("duplicate_of"):
        if app.duplicate_of_id and app.duplicate_of is not None:
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
        secteur = app.office.secteur if app.office is not None else ""
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


def run_demo_draw(
    call: Call,
    *,
    until: str = "results",
    dice: list[int] | None = None,
    seed: str | None = None,
    actor=None,
) -> dict[str, Path]:
    """The demo's call drawn up to ``until`` (``draws.flow.STEPS``): closed early and
    settled first when no pool is frozen yet; returns the published files."""
    if current_pool(call) is None:
        close_call_now(call, actor=actor)
        if until == "close":
            return {}
        settle_pending(call, actor=actor)
    return run_flow(
        call,
        until=until,
        dice=dice,
        seed=seed,
        actor=actor,
        early_reason="Démonstration : l'appel est clos et tiré avant les dates annoncées.",
    )
