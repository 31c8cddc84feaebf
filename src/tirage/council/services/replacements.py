"""A seat left empty goes to the reserve list: the one path of every departure.

A decline, an offer without answer in time, a member who leaves (resignation,
the absence rule…) all call :func:`offer_next`. The replacement rule is the
engine's (``tirage.sortition.reserve.replacements``): the seat goes to the first
people of the reserve order fixed at the draw who keep every quota satisfied,
given the council as it stands (accepted or still pending offers).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirage.applications.models import Application, Status
from tirage.audit.services import log_action
from tirage.council.models import Offer
from tirage.council.services.offers import issue_offer, reply_deadline, reserve_open_until
from tirage.council.services.seat_letters import queue_offer_letters
from tirage.draws.models import Draw
from tirage.draws.services import instance_for
from tirage.sortition.errors import SortitionError
from tirage.sortition.reserve import replacements

LEAVING_LABELS: dict[str, str] = {
    Offer.Status.DECLINED: "désistement",
    Offer.Status.EXPIRED: "sans réponse dans le délai",
}


def offer_next(leaving: Offer, *, actor=None, now: dt.datetime | None = None) -> Offer | None:
    """Offer ``leaving``'s seat to the first of their seat list (quotas kept; most alike, then draw order).

    Returns the new offer, or ``None`` when nobody in the reserve can take the
    seat within the quotas or the reserve list is closed — both audited
    (``seat.replacement_impossible``) so that staff see it. The new offer's letter
    is produced once the caller's transaction commits.
    """
    now = now or timezone.now()
    draw = leaving.draw
    result = draw.result
    call = draw.pool.call
    if timezone.localdate(now) > reserve_open_until(result):
        log_action(
            leaving,
            "seat.replacement_impossible",
            actor=actor,
            actor_label="système",
            data={"code": leaving.receipt_code, "why": "reserve_closed"},
        )
        return None
    offers = list(draw.offers.all())
    # One person per seat: the last offer of each seat's chain (an offer nobody replaced yet). A seat
    # left empty earlier (reserve exhausted for its quotas) keeps its last person, so that the panel
    # still has ``seats`` members and the later replacements elsewhere are still possible.
    succeeded = {o.replaces_id for o in offers if o.replaces_id}
    panel = [o.receipt_code for o in offers if o.pk not in succeeded and o.pk != leaving.pk] + [
        leaving.receipt_code
    ]
    offered = {o.receipt_code for o in offers}
    available = set(
        Application.objects.filter(
            call=call, status=Status.ELIGIBLE, receipt_code__in=result.reserve
        ).values_list("receipt_code", flat=True)
    )
    order = [code for code in result.reserve if code not in offered and code in available]
    try:
        picked = replacements(instance_for(draw.pool), panel, [leaving.receipt_code], order)
    except SortitionError as exc:
        log_action(
            leaving,
            "seat.replacement_impossible",
            actor=actor,
            actor_label="système",
            data={"code": leaving.receipt_code, "why": exc.code, "detail": exc.message},
        )
        return None
    application = Application.objects.get(call=call, receipt_code=picked[0])
    offer, _ = issue_offer(
        draw,
        application,
        kind=Offer.Kind.REPLACEMENT,
        deadline=reply_deadline(call, now),
        replaces=leaving,
        now=now,
    )
    log_action(
        draw,
        "seat.replacement_offered",
        actor=actor,
        actor_label="système",
        data={
            "replacement": offer.receipt_code,
            "replaces": leaving.receipt_code,
            "reason": leaving.status,
            "reserve_position": result.reserve.index(offer.receipt_code) + 1,
        },
    )
    queue_offer_letters(
        [offer],
        label=f"Proposition de siège à {offer.receipt_code} (remplace {leaving.receipt_code})",
        actor=actor,
        now=now,
    )
    return offer


def leaving_reason(offer: Offer) -> str:
    """Why ``offer``'s holder left, in French, for the public page (no personal detail)."""
    if offer.status == Offer.Status.LEFT:
        member = getattr(offer, "member", None)
        return member.get_end_reason_display() if member and member.end_reason else "départ"
    return LEAVING_LABELS.get(offer.status, offer.get_status_display())


def public_replacements(draw: Draw) -> list[dict[str, object]]:
    """Replacements of ``draw`` for the public page: ``{"new", "old", "reason", "date",
    "status"}`` (receipt codes only)."""
    rows: list[dict[str, object]] = []
    for offer in (
        draw.offers.filter(replaces__isnull=False)
        .select_related("replaces")
        .order_by("created_at", "id")
    ):
        replaced = offer.replaces
        assert replaced is not None  # filtered above
        rows.append(
            {
                "new": offer.receipt_code,
                "old": replaced.receipt_code,
                "reason": leaving_reason(replaced),
                "date": timezone.localdate(offer.created_at),
                "status": offer.get_status_display(),
            }
        )
    return rows
