"""The letters after a drawn draw, in one batch: for the demo and for scripting."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tirage.applications.models import Application
from tirage.calls.models import Call
from tirage.letters.models import Kind, Letter
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
    from tirage.council.models import Offer
    from tirage.council.services import CouncilError, drawn_result, new_code_for, open_offers

    result = drawn_result(call)
    if result is None:
        raise CouncilError("Le tirage n'a pas eu lieu : aucune lettre à produire.")
    if Letter.objects.filter(kind=Kind.SELECTED, offer__draw=result.draw).exists():
        return []  # already written to (a second run of the demo)
    apps = {a.receipt_code: a for a in Application.objects.filter(call=call)}
    offers = {offer.receipt_code: (offer, code) for offer, code in open_offers(result, now=now)}
    # Offers left without a letter by an interrupted run get a new code (only hashes are stored).
    for offer in result.draw.offers.filter(kind=Offer.Kind.SELECTED, status=Offer.Status.PENDING):
        if offer.receipt_code not in offers:
            offers[offer.receipt_code] = (offer, new_code_for(offer))
    requests = [
        LetterRequest(apps[code], Kind.SELECTED, offer=offers[code][0], reply_code=offers[code][1])
        for code in result.selected
        if code in offers
    ]
    from tirage.letters.services import settings_for

    top = settings_for(call).reserve_letter_count or len(result.reserve)
    for position, code in enumerate(result.reserve):
        requests.append(
            LetterRequest(apps[code], Kind.RESERVE if position < top else Kind.NOT_SELECTED)
        )
    return requests


def run_letters(call: Call, *, actor=None, now=None) -> Path:
    """Produce the letters batch after the draw; returns the merged PDF path.

    Idempotent: a second run returns the merged PDF of the first batch; a run
    interrupted before its batch was stored is redone in full (new reply codes).
    No transaction is held while the letters are laid out.
    Raises ``CouncilError`` before the draw.
    """
    requests = draw_letter_requests(call, now=now)
    if not requests:
        batch = (
            call.letter_batches.filter(letters__kind=Kind.SELECTED).order_by("created_at").first()
        )
        return Path(settings.DOCUMENTS_DIR) / batch.merged_path
    batch = generate_batch(call, requests, label="Courriers après le tirage", actor=actor, now=now)
    return Path(settings.DOCUMENTS_DIR) / batch.merged_path
