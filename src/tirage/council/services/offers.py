"""Seats offered after the draw: the draw's result, reply codes and deadlines.

A seat goes first to each person selected at the draw, then — when someone
declines, does not answer in time or leaves — to the reserve list
(``replacements.offer_next``). People who already had an offer are never
offered a seat again. A reserve list stays open ``call.retention_months`` after
the draw.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Application
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.dates import add_months
from tirage.council.models import Member, Offer, hash_reply_code
from tirage.council.tokens import LENGTH, new_reply_code
from tirage.draws.models import Draw, DrawResult
from tirage.letters.services import settings_for


def drawn_result(call: Call) -> DrawResult | None:
    """The result of the call's (last) drawn draw, or ``None`` before the draw."""
    return (
        DrawResult.objects.filter(draw__pool__call=call, draw__status=Draw.Status.DRAWN)
        .select_related("draw__pool__call")
        .order_by("-drawn_at", "-id")
        .first()
    )


def term_call() -> Call | None:
    """The call whose council the staff pages show: ``Call.objects.current()`` once drawn;
    while a next call is open (not drawn yet), the latest drawn call (its council sits)."""
    current = Call.objects.current()
    if current is None or drawn_result(current) is not None:
        return current
    drawn = (
        Call.objects.filter(pools__draws__status=Draw.Status.DRAWN)
        .order_by("-opens_at", "-id")
        .first()
    )
    return drawn or current


def sitting_call(day: dt.date | None = None) -> Call | None:
    """The call whose council sits on ``day`` (default: today, Europe/Paris).

    The latest call (by opening) with a member in office that day: between the next
    call's draw and the installation of its members, the council that meets, gives
    opinions and publishes its minutes is still the previous one. Before any member
    is installed: :func:`term_call` (the council being formed). Meetings, opinions
    and the public council pages use this; the pages of the draw's seats, letters and
    installation use :func:`term_call`."""
    day = day or timezone.localdate()
    call_id = (
        Member.objects.in_office(day)
        .order_by("-call__opens_at", "-call_id")
        .values_list("call_id", flat=True)
        .first()
    )
    if call_id is not None:
        return Call.objects.get(pk=call_id)
    return term_call()


def reserve_open_until(result: DrawResult) -> dt.date:
    """Last day on which the reserve list of ``result`` is used (draw day + ``retention_months``)."""
    return add_months(timezone.localdate(result.drawn_at), result.draw.pool.call.retention_months)


def reply_deadline(call: Call, now: dt.datetime) -> dt.date:
    """The last day to answer an offer made at ``now`` (``LetterSettings.reply_days`` later)."""
    return timezone.localdate(now) + dt.timedelta(days=settings_for(call).reply_days)


def issue_offer(
    draw: Draw,
    application: Application,
    *,
    kind: str,
    deadline: dt.date,
    replaces: Offer | None = None,
    now: dt.datetime | None = None,
) -> tuple[Offer, str]:
    """Create a pending offer with a fresh reply code; returns ``(offer, clear code)``."""
    code = new_reply_code()
    offer = Offer.objects.create(
        draw=draw,
        application=application,
        receipt_code=application.receipt_code,
        kind=kind,
        deadline=deadline,
        token_hash=hash_reply_code(code),
        replaces=replaces,
        created_at=now or timezone.now(),
    )
    log_action(
        offer,
        "seat.offered",
        actor_label="système",
        data={
            "code": offer.receipt_code,
            "kind": kind,
            "deadline": deadline.isoformat(),
            "replaces": replaces.receipt_code if replaces else None,
        },
    )
    return offer, code


@transaction.atomic
def open_offers(result: DrawResult, *, now: dt.datetime | None = None) -> list[tuple[Offer, str]]:
    """One offer per selected person of ``result`` (those who already have one are skipped)."""
    now = now or timezone.now()
    call = result.draw.pool.call
    deadline = reply_deadline(call, now)
    existing = set(result.draw.offers.values_list("receipt_code", flat=True))
    apps = {
        a.receipt_code: a
        for a in Application.objects.filter(call=call, receipt_code__in=result.selected)
    }
    created = []
    for code in result.selected:
        if code in existing:
            continue
        created.append(
            issue_offer(
                result.draw, apps[code], kind=Offer.Kind.SELECTED, deadline=deadline, now=now
            )
        )
    return created


def new_code_for(offer: Offer) -> str:
    """Give ``offer`` a new reply code (the old one stops working); returns the clear code."""
    code = new_reply_code()
    Offer.objects.filter(pk=offer.pk).update(token_hash=hash_reply_code(code))
    offer.token_hash = hash_reply_code(code)
    return code


def find_offer(code: str) -> Offer | None:
    """The offer whose reply code is ``code`` (any spelling), or ``None``.

    Only the ten letters and digits of the code count: a code with an extra
    character (``K7PM3-QXR2HÉ``) is unknown, not silently shortened.
    """
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != LENGTH or not cleaned.isascii():
        return None
    return (
        Offer.objects.select_related("draw__pool__call", "application")
        .filter(token_hash=hash_reply_code(code))
        .first()
    )
