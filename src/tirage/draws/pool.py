"""Freezing the pool: the eligible applications at one moment, by receipt code.

The fingerprint is the SHA-256 of a canonical JSON text (sorted keys, no
spaces, UTF-8) of the call's seats and quotas and of the list of
``[receipt code, {feature: value}]`` sorted by code — what anyone can
recompute from the published bundle. Nothing personal enters it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Application, Status
from tirage.applications.services import feature_values
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.draws.models import Draw, FrozenPool, PoolMember


class FreezeError(Exception):
    """The pool cannot be frozen now; the message (French) says why and what to do.

    ``blockers``: every application that stops the freeze, as
    ``(application id, receipt code, what to do)``, all at once (the staff page
    lists them as links).
    """

    def __init__(self, message: str, blockers: list[tuple[int, str, str]] | None = None) -> None:
        super().__init__(message)
        self.blockers = blockers or []


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def quotas_of(call: Call) -> list[dict[str, Any]]:
    """The call's features and quotas as plain data, in display order."""
    return [
        {
            "feature": f.key,
            "label": f.label,
            "values": [
                {"value": v.key, "label": v.label, "min": v.min, "max": v.max}
                for v in f.values.all()
            ],
        }
        for f in call.features.prefetch_related("values")
    ]


def pool_fingerprint(call: Call, members: list[tuple[str, dict[str, str]]]) -> str:
    payload = {
        "seats": call.seats,
        "quotas": quotas_of(call),
        "pool": sorted([code, values] for code, values in members),
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def current_pool(call: Call) -> FrozenPool | None:
    return call.pools.filter(replaced_by__isnull=True).order_by("-created_at", "-id").first()


def _screen(
    call: Call,
) -> tuple[list[tuple[int, str, str]], list[tuple[Application, dict[str, str]]]]:
    """The blockers of a freeze (see ``FreezeError.blockers``) and the eligible members with their values."""
    blockers: list[tuple[int, str, str]] = [
        (pk, code, "attend une décision (recevable, doublon…)")
        for pk, code in call.applications.filter(status=Status.RECEIVED)
        .order_by("receipt_code")
        .values_list("pk", "receipt_code")
    ]
    eligible = Application.objects.filter(call=call, status=Status.ELIGIBLE).order_by(
        "receipt_code"
    )
    features = list(call.features.prefetch_related("values"))
    members: list[tuple[Application, dict[str, str]]] = []
    for application in eligible:
        values = feature_values(application)
        absent = [f.label for f in features if f.key not in values]
        if absent:
            blockers.append(
                (
                    application.pk,
                    application.receipt_code,
                    f"sans valeur pour : {', '.join(absent)}",
                )
            )
        members.append((application, values))
    return blockers, members


def freeze_blockers(call: Call) -> list[tuple[int, str, str]]:
    """Every application that would stop the freeze now: ``(id, receipt code, what to do)``."""
    return _screen(call)[0]


@transaction.atomic
def freeze_pool(call: Call, *, actor=None, reason: str = "", now=None) -> FrozenPool:
    """Freeze the eligible applications of ``call`` into a new ``FrozenPool``.

    Refused (``FreezeError``) before the deadline, while applications await a
    decision, when an eligible application lacks a value for a feature (e.g.
    an unknown secteur), when the current pool has already been drawn, or —
    for a second pool — without a reason. Writes the audit trail.
    """
    now = now or timezone.now()
    # Lock the call row: two staff clicking "geler" at once make one pool.
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.is_closed(now):
        raise FreezeError(
            f"L'appel n'est pas clos (clôture le {timezone.localtime(call.closes_at):%d/%m/%Y à %H:%M}) : "
            "le vivier ne peut être gelé qu'après la date limite."
        )
    previous = current_pool(call)
    if previous is not None:
        if Draw.objects.filter(pool=previous, status=Draw.Status.DRAWN).exists():
            raise FreezeError(
                "Le tirage a déjà eu lieu sur le vivier actuel : il ne peut plus être modifié."
            )
        if not reason.strip():
            raise FreezeError(
                "Un vivier est déjà gelé : indiquez le motif de ce nouveau gel (correction tardive…)."
            )
    blockers, members = _screen(call)
    if not members and not blockers:
        raise FreezeError("Aucune candidature recevable : rien à geler.")
    if blockers:
        waiting = sum(1 for *_, why in blockers if why.startswith("attend"))
        incomplete = len(blockers) - waiting
        parts = []
        if waiting:
            parts.append(f"{waiting} candidature(s) attendent une décision (recevable, doublon…)")
        if incomplete:
            parts.append(
                f"{incomplete} candidature(s) recevable(s) n'ont pas de valeur pour un critère"
            )
        listed = "; ".join(f"{code} ({why})" for _, code, why in blockers)
        raise FreezeError(
            f"Le vivier ne peut pas être gelé : {' et '.join(parts)}. Traitez-les d'abord : {listed}.",
            blockers,
        )
    fingerprint = pool_fingerprint(call, [(a.receipt_code, v) for a, v in members])
    pool = FrozenPool.objects.create(
        call=call,
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason.strip(),
        size=len(members),
        fingerprint=fingerprint,
        replaces=previous,
    )
    PoolMember.objects.bulk_create(
        PoolMember(pool=pool, application=a, receipt_code=a.receipt_code, values=v)
        for a, v in members
    )
    if previous is not None:
        for draw in previous.draws.exclude(status__in=[Draw.Status.CANCELLED, Draw.Status.FAILED]):
            draw.status = Draw.Status.CANCELLED
            draw.redraw_reason = reason.strip()
            draw.save(update_fields=["status", "redraw_reason"])
            log_action(
                draw, "draw.cancelled", actor=actor, reason=reason, data={"new_pool": pool.pk}
            )
    log_action(
        pool,
        "pool.frozen",
        actor=actor,
        reason=reason,
        data={
            "size": pool.size,
            "fingerprint": fingerprint,
            "replaces": previous.pk if previous else None,
        },
    )
    return pool
