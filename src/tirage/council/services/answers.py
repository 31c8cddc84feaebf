"""Answers to seat offers: online with the reply code, on paper (typed by staff), or none
in time; and the letter sent again when one was lost.

An answer is recorded once (the offer row is locked while it is written).
Accepting makes a ``Member``; declining or not answering in time offers the seat
to the reserve list. Letters are produced after the transaction commits.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.errors import CouncilError
from tirage.council.models import Member, Offer, hash_reply_code
from tirage.council.services.mandates import term_end
from tirage.council.services.replacements import offer_next
from tirage.council.services.seat_letters import queue_offer_letters
from tirage.council.tokens import new_reply_code


def record_answer(
    offer: Offer,
    *,
    accepted: bool,
    via: str,
    actor=None,
    public_consent: bool = False,
    now: dt.datetime | None = None,
    start_date: dt.date | None = None,
) -> Offer:
    """Record the answer to a pending offer (single use: a second answer is refused).

    Accepting makes a ``Member`` (mandate from ``start_date``, default today).
    Declining offers the seat to the reserve list. An online answer after the
    deadline is refused (``CouncilError``); staff may still record a paper
    slip that arrived late, which is audited as such.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock: the link and a staff member answering at once record one answer.
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != Offer.Status.PENDING:
            raise CouncilError(
                f"Une réponse est déjà enregistrée pour cette proposition ({offer.get_status_display()})."
            )
        late = offer.is_past_deadline(now)
        if late and via == Offer.Via.LINK:
            raise CouncilError("Le délai de réponse est dépassé.")
        offer.status = Offer.Status.ACCEPTED if accepted else Offer.Status.DECLINED
        offer.answered_at = now
        offer.answered_via = via
        offer.answered_by = actor if getattr(actor, "is_authenticated", False) else None
        offer.public_consent = bool(accepted and public_consent)
        offer.save(
            update_fields=["status", "answered_at", "answered_via", "answered_by", "public_consent"]
        )
        log_action(
            offer,
            "seat.accepted" if accepted else "seat.declined",
            actor=actor,
            actor_label="" if actor else "candidat (lien de réponse)",
            data={"code": offer.receipt_code, "via": via, "late": late},
        )
        if accepted:
            start = start_date or timezone.localdate(now)
            replaced_member = getattr(offer.replaces, "member", None) if offer.replaces_id else None
            member = Member.objects.create(
                call=offer.draw.pool.call,
                application=offer.application,
                offer=offer,
                start_date=start,
                end_date=term_end(offer.draw, start),
                replaces=replaced_member,
                public_consent=offer.public_consent,
            )
            log_action(
                member,
                "member.joined",
                actor=actor,
                data={
                    "code": offer.receipt_code,
                    "start": start.isoformat(),
                    "end": member.end_date.isoformat(),
                },
            )
        else:
            offer_next(offer, actor=actor, now=now)
    return offer


def expire_replies(*, now: dt.datetime | None = None, actor=None) -> list[Offer]:
    """Mark pending offers past their deadline as expired and offer each seat to the reserve list.

    Returns the expired offers. Safe to run repeatedly (cron): an expired
    offer is never handled twice.
    """
    now = now or timezone.now()
    expired = []
    for offer in Offer.objects.filter(
        status=Offer.Status.PENDING, deadline__lt=timezone.localdate(now)
    ):
        if not offer.is_past_deadline(now):
            continue
        with transaction.atomic():
            locked = Offer.objects.select_for_update().get(pk=offer.pk)
            if locked.status != Offer.Status.PENDING:
                continue
            locked.status = Offer.Status.EXPIRED
            locked.answered_at = now
            locked.answered_via = Offer.Via.SYSTEM
            locked.save(update_fields=["status", "answered_at", "answered_via"])
            log_action(
                locked,
                "seat.expired",
                actor=actor,
                actor_label="système",
                data={"code": locked.receipt_code, "deadline": locked.deadline.isoformat()},
            )
            offer_next(locked, actor=actor, now=now)
        expired.append(locked)
    return expired


def reissue_letter(offer: Offer, *, actor=None, now: dt.datetime | None = None) -> Offer:
    """Send the offer's letter again with a new reply code (letter lost); the old code stops working.

    The deadline does not move. Only for a pending offer (``CouncilError``
    otherwise). The letter is produced once the new code is committed (the offer's
    ``letters`` then list it); the worker prints the letter with yet another code,
    the only one that works once the letter exists. Returns the offer.
    """
    with transaction.atomic():
        # Lock only the offer row (PostgreSQL refuses FOR UPDATE on the outer join to ``replaces``).
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("application", "replaces", "draw__pool__call")
            .get(pk=offer.pk)
        )
        if offer.status != Offer.Status.PENDING:
            raise CouncilError("Cette proposition a déjà une réponse : rien à renvoyer.")
        offer.token_hash = hash_reply_code(new_reply_code())  # the lost letter's code stops
        offer.save(update_fields=["token_hash"])
        log_action(offer, "seat.letter_reissued", actor=actor, data={"code": offer.receipt_code})
        queue_offer_letters(
            [offer],
            label=f"Nouvel envoi à {offer.receipt_code} (nouveau code de réponse)",
            actor=actor,
            now=now,
        )
    return offer
