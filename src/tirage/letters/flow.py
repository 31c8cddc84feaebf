"""The letters after a drawn draw, in one batch: for the demo and for scripting."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from tirage.applications.models import Application
from tirage.calls.models import Call
from tirage.letters.models import Kind
from tirage.letters.services import LetterRequest, generate_batch


def draw_letter_requests(call: Call, *, now=None) -> list[LetterRequest]:
    """Requests for everyone of the drawn pool: selected (with an offer), reserve, others.

    Order: selected, then the reserve in reserve order — the order of the
    print room's piles. The first ``reserve_letter_count`` people of the
    reserve get the reserve-list letter, the others the not-selected letter
    (they stay on the list). Applications outside the pool (ineligible,
    duplicates) had their answer when they were decided. Creates the
    selected people's offers.
    """
    from tirage.council.services import CouncilError, drawn_result, open_offers

    result = drawn_result(call)
    if result is None:
        raise CouncilError("Le tirage n'a pas eu lieu : aucune lettre à produire.")
    apps = {a.receipt_code: a for a in Application.objects.filter(call=call)}
    offers = {offer.receipt_code: (offer, code) for offer, code in open_offers(result, now=now)}
    requests = []
    for code in result.selected:
        offer, reply_code = offers.get(code, (None, ""))
        if offer is None:
            continue  # already written to (a second run of the demo)
        requests.append(
            LetterRequest(apps[code], Kind.SELECTED, offer=offer, reply_code=reply_code)
        )
    if not requests:
        return []
    from tirage.letters.services import settings_for

    top = settings_for(call).reserve_letter_count or len(result.reserve)
    for position, code in enumerate(result.reserve):
        requests.append(
            LetterRequest(apps[code], Kind.RESERVE if position < top else Kind.NOT_SELECTED)
        )
    return requests


def run_letters(call: Call, *, actor=None, now=None) -> Path:
    """Produce the letters batch after the draw; returns the merged PDF path.

    Idempotent: a second run returns the merged PDF of the first batch.
    Raises ``CouncilError`` before the draw.
    """
    with transaction.atomic():
        requests = draw_letter_requests(call, now=now)
        if not requests:
            batch = (
                call.letter_batches.filter(letters__kind=Kind.SELECTED)
                .order_by("created_at")
                .first()
            )
            return Path(settings.DOCUMENTS_DIR) / batch.merged_path
        batch = generate_batch(
            call, requests, label="Courriers après le tirage", actor=actor, now=now
        )
    return Path(settings.DOCUMENTS_DIR) / batch.merged_path
