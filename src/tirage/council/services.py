"""After the draw: seat offers, answers, replacements from the reserve list, mandates.

Every state change is audited. The replacement rule is the engine's
(``tirage.sortition.reserve.replacements``): the seat goes to the first
people of the reserve order fixed at the draw who keep every quota
satisfied, given the council as it stands (accepted or still pending
offers). People who already had an offer are never offered a seat again.
A reserve list stays open ``call.retention_months`` after the draw.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Application, Status
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.dates import add_months, mandate_end
from tirage.council.models import Member, Offer, hash_reply_code
from tirage.council.tokens import new_reply_code
from tirage.draws.models import Draw, DrawResult


class CouncilError(Exception):
    """The operation is refused; the message (French) says why."""


LEAVING_LABELS = {
    Offer.Status.DECLINED: "désistement",
    Offer.Status.EXPIRED: "sans réponse dans le délai",
}


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


def reserve_open_until(result: DrawResult) -> dt.date:
    """Last day on which the reserve list of ``result`` is used (draw day + ``retention_months``)."""
    return add_months(timezone.localdate(result.drawn_at), result.draw.pool.call.retention_months)


def _deadline(call: Call, now: dt.datetime) -> dt.date:
    from tirage.letters.services import settings_for

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
    deadline = _deadline(call, now)
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
    from tirage.council.tokens import LENGTH

    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != LENGTH or not cleaned.isascii():
        return None
    return (
        Offer.objects.select_related("draw__pool__call", "application")
        .filter(token_hash=hash_reply_code(code))
        .first()
    )


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


def offer_next(leaving: Offer, *, actor=None, now: dt.datetime | None = None) -> Offer | None:
    """Offer ``leaving``'s seat to the reserve list (quotas kept, draw order followed) and send the letter.

    Returns the new offer, or ``None`` when nobody in the reserve can take the
    seat within the quotas or the reserve list is closed — both audited
    (``seat.replacement_impossible``) so that staff see it.
    """
    from tirage.draws.services import instance_for
    from tirage.letters.models import Kind
    from tirage.letters.services import LetterRequest, generate_batch
    from tirage.sortition.errors import SortitionError
    from tirage.sortition.reserve import replacements

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
    offer, code = issue_offer(
        draw,
        application,
        kind=Offer.Kind.REPLACEMENT,
        deadline=_deadline(call, now),
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
    generate_batch(
        call,
        [
            LetterRequest(
                application=application,
                kind=Kind.REPLACEMENT,
                offer=offer,
                reply_code=code,
                replaced_code=leaving.receipt_code,
            )
        ],
        label=f"Proposition de siège à {offer.receipt_code} (remplace {leaving.receipt_code})",
        actor=actor,
        now=now,
    )
    return offer


def reissue_letter(offer: Offer, *, actor=None, now: dt.datetime | None = None):
    """Send the offer's letter again with a new reply code (letter lost); the old code stops working.

    The deadline does not move. Only for a pending offer (``CouncilError``
    otherwise). Returns the new letters ``Batch``.
    """
    from tirage.letters.models import Kind
    from tirage.letters.services import LetterRequest, generate_batch

    with transaction.atomic():
        # Lock only the offer row (PostgreSQL refuses FOR UPDATE on the outer join to ``replaces``).
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("application", "replaces")
            .get(pk=offer.pk)
        )
        if offer.status != Offer.Status.PENDING:
            raise CouncilError("Cette proposition a déjà une réponse : rien à renvoyer.")
        code = new_reply_code()
        offer.token_hash = hash_reply_code(code)
        offer.save(update_fields=["token_hash"])
        log_action(offer, "seat.letter_reissued", actor=actor, data={"code": offer.receipt_code})
        kind = Kind.REPLACEMENT if offer.kind == Offer.Kind.REPLACEMENT else Kind.SELECTED
        request = LetterRequest(
            application=offer.application,
            kind=kind,
            offer=offer,
            reply_code=code,
            replaced_code=offer.replaces.receipt_code if offer.replaces_id else "",
        )
        return generate_batch(
            offer.draw.pool.call,
            [request],
            label=f"Nouvel envoi à {offer.receipt_code} (nouveau code de réponse)",
            actor=actor,
            now=now,
        )


def leaving_reason(offer: Offer) -> str:
    """Why ``offer``'s holder left, in French, for the public page (no personal detail)."""
    if offer.status == Offer.Status.LEFT:
        member = getattr(offer, "member", None)
        return member.get_end_reason_display() if member and member.end_reason else "départ"
    return LEAVING_LABELS.get(offer.status, offer.get_status_display())


def public_replacements(draw: Draw) -> list[dict[str, str]]:
    """Replacements of ``draw`` for the public page: ``{"new", "old", "reason", "date"}`` (receipt codes only)."""
    rows = []
    for offer in (
        draw.offers.filter(replaces__isnull=False)
        .select_related("replaces")
        .order_by("created_at", "id")
    ):
        rows.append(
            {
                "new": offer.receipt_code,
                "old": offer.replaces.receipt_code,
                "reason": leaving_reason(offer.replaces),
                "date": timezone.localdate(offer.created_at),
                "status": offer.get_status_display(),
            }
        )
    return rows


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
        if member.start_date > day and member.offer.replaces_id:
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


def mandate_reminders(*, now: dt.datetime | None = None, days: int = 60, actor=None):
    """End-of-mandate letters for active members whose mandate ends within ``days`` days.

    One letter per member and mandate end (re-running sends nothing twice).
    Returns the ``Batch`` produced, or ``None`` when nobody is due.
    """
    from tirage.letters.models import Kind, Letter
    from tirage.letters.services import LetterRequest, generate_batch

    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Member.objects.filter(
        ended_on__isnull=True, end_date__gte=today, end_date__lte=today + dt.timedelta(days=days)
    ).select_related("application", "call")
    by_call: dict[int, list[LetterRequest]] = {}
    calls = {}
    for member in due:
        already = Letter.objects.filter(
            member=member,
            kind=Kind.MANDATE_END,
            rendered_at__date__gte=member.end_date - dt.timedelta(days=days + 1),
        )
        if already.exists():
            continue
        calls[member.call_id] = member.call
        by_call.setdefault(member.call_id, []).append(
            LetterRequest(application=member.application, kind=Kind.MANDATE_END, member=member)
        )
    batch = None
    for call_id, requests in by_call.items():
        batch = generate_batch(
            calls[call_id],
            requests,
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
