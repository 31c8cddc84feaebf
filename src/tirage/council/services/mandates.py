"""Members' mandates: how long they run, the installation of the council, departures.

A member leaving before the end (resignation, departure from the city, the
absence rule of ``meetings``…) goes through :func:`end_membership`, which offers
the seat to the reserve list (``replacements.offer_next``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.dates import mandate_end
from tirage.council.errors import CouncilError
from tirage.council.models import Member, Offer
from tirage.council.services.replacements import offer_next
from tirage.draws.models import Draw


def term_end(draw: Draw, start: dt.date) -> dt.date:
    """End of a mandate starting on ``start`` for ``draw``'s council.

    The first members get a full mandate; a replacement completes the current
    term (it ends when the earliest member's mandate ends).
    """
    months = draw.pool.call.mandate_months
    first = (
        Member.objects.filter(offer__draw=draw, replaces__isnull=True, offer__replaces__isnull=True)
        .order_by("start_date")
        .first()
    )
    if first is None:
        return mandate_end(start, months)
    return max(first.end_date, start)


@transaction.atomic
def end_membership(
    member: Member,
    *,
    reason: str,
    on: dt.date | None = None,
    note: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Offer | None:
    """A member leaves before the end (resignation…): record it and offer the seat to the reserve list."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.ended_on is not None:
        raise CouncilError("Ce membre a déjà quitté le conseil.")
    if reason not in Member.EndReason.values:
        raise CouncilError("Motif de départ inconnu.")
    member.ended_on = on or timezone.localdate(now)
    member.end_reason = reason
    member.end_note = note
    member.save(update_fields=["ended_on", "end_reason", "end_note"])
    log_action(
        member,
        "member.left",
        actor=actor,
        reason=note,
        data={
            "code": member.application.receipt_code,
            "reason": reason,
            "on": member.ended_on.isoformat(),
        },
    )
    if member.offer_id and reason != Member.EndReason.MANDATE_ENDED:
        offer = Offer.objects.select_for_update().get(pk=member.offer_id)
        offer.status = Offer.Status.LEFT
        offer.save(update_fields=["status"])
        return offer_next(offer, actor=actor, now=now)
    return None


@transaction.atomic
def set_installation_date(draw: Draw, day: dt.date, *, actor=None) -> int:
    """The council of ``draw`` is installed on ``day``: its first members' mandates run from that day.

    Applies to the members who have not left and have not been renewed
    (replacements who joined after ``day`` keep their own start and end with
    the term). Returns the number of members updated; audited.
    """
    months = draw.pool.call.mandate_months
    members = Member.objects.select_for_update().filter(
        offer__draw=draw, ended_on__isnull=True, renewals=0
    )
    end = mandate_end(day, months)
    updated = 0
    for member in members:
        if member.start_date > day and member.offer is not None and member.offer.replaces_id:
            member.end_date = end
            member.save(update_fields=["end_date"])
        else:
            member.start_date, member.end_date = day, end
            member.save(update_fields=["start_date", "end_date"])
        updated += 1
    log_action(
        draw,
        "council.installed",
        actor=actor,
        data={"day": day.isoformat(), "members": updated, "end": end.isoformat()},
    )
    return updated


def close_ended_mandates(*, now: dt.datetime | None = None, actor=None) -> list[Member]:
    """Record the end of mandates whose last day has passed (reason « fin du mandat »); audited."""
    today = timezone.localdate(now)
    closed = []
    for member in Member.objects.filter(ended_on__isnull=True, end_date__lt=today):
        end_membership(
            member, reason=Member.EndReason.MANDATE_ENDED, on=member.end_date, actor=actor, now=now
        )
        closed.append(member)
    return closed
