"""Renewals of mandates, the end-of-mandate letters, and the next call for the seats that free up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.dates import mandate_end
from tirage.council.errors import CouncilError
from tirage.council.models import CouncilLetter, Member
from tirage.council.services.seat_letters import send_mandate_letters
from tirage.letters.models import Batch, Kind


@transaction.atomic
def renew_member(member: Member, *, actor=None) -> Member:
    """Extend the mandate by ``call.mandate_months`` if renewals remain (``call.renewals_allowed``)."""
    member = Member.objects.select_for_update().select_related("call").get(pk=member.pk)
    if member.ended_on is not None:
        raise CouncilError("Ce membre a quitté le conseil : son mandat ne peut pas être renouvelé.")
    if member.renewals >= member.call.renewals_allowed:
        raise CouncilError(
            f"Le mandat a déjà été renouvelé {member.renewals} fois : le règlement en permet "
            f"{member.call.renewals_allowed}."
        )
    old_end = member.end_date
    member.end_date = mandate_end(old_end + dt.timedelta(days=1), member.call.mandate_months)
    member.renewals += 1
    member.save(update_fields=["end_date", "renewals"])
    log_action(
        member,
        "member.renewed",
        actor=actor,
        data={
            "from": old_end.isoformat(),
            "to": member.end_date.isoformat(),
            "renewals": member.renewals,
        },
    )
    return member


def mandate_reminders(
    *, now: dt.datetime | None = None, days: int = 60, actor=None
) -> Batch | None:
    """End-of-mandate letters for active members whose mandate ends within ``days`` days.

    One letter per member and mandate end (re-running sends nothing twice).
    Returns the last ``Batch`` produced (one per call), or ``None`` when nobody is due.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Member.objects.filter(
        ended_on__isnull=True, end_date__gte=today, end_date__lte=today + dt.timedelta(days=days)
    ).select_related("application", "call")
    by_call: dict[int, list[Member]] = {}
    for member in due:
        already = CouncilLetter.objects.filter(
            member=member,
            letter__kind=Kind.MANDATE_END,
            letter__rendered_at__date__gte=member.end_date - dt.timedelta(days=days + 1),
        )
        if not already.exists():
            by_call.setdefault(member.call_id, []).append(member)
    batch = None
    for members in by_call.values():
        batch = send_mandate_letters(
            members[0].call,
            members,
            label=f"Fins de mandat au {today:%d/%m/%Y}",
            actor=actor,
            now=now,
        )
    return batch


@transaction.atomic
def open_next_call(
    call: Call,
    *,
    slug: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    draw_date: dt.date,
    seats: int | None = None,
    actor=None,
) -> Call:
    """A new call for the seats that free up: same council, features, quotas and offices, new dates.

    Quotas are copied as they are; with fewer seats, staff adjust them before
    the pool is frozen (the freeze checks them). Raises ``CouncilError`` if
    ``slug`` is taken.
    """
    if Call.objects.filter(slug=slug).exists():
        raise CouncilError(f"Un appel « {slug} » existe déjà.")
    new = Call.objects.get(pk=call.pk)
    new.pk = None
    new.id = None
    new._state.adding = True
    new.slug = slug
    new.opens_at, new.closes_at, new.draw_date = opens_at, closes_at, draw_date
    new.age_reference_date = None
    new.redated_from = None
    if seats:
        new.seats = seats
    new.full_clean(exclude=["offices"])
    new.save()
    new.offices.set(call.offices.all())
    for feature in call.features.prefetch_related("values"):
        values = list(feature.values.all())
        feature.pk = None
        feature.id = None
        feature._state.adding = True
        feature.call = new
        feature.save()
        for value in values:
            value.pk = None
            value.id = None
            value._state.adding = True
            value.feature = feature
            value.save()
    log_action(new, "call.created_from", actor=actor, data={"from": call.slug, "seats": new.seats})
    return new
