"""The council's letters: seats offered (the draw's letters, replacements, letters sent
again) and ends of mandate, handed to ``tirage.letters`` to render and send.

The council builds each ``LetterRequest`` (the placeholder values only it knows:
draw day, the person replaced, mandate dates; the reply slip with the clear reply
code) and records which letter is about which offer or member (``CouncilLetter``)
in the letters' own transaction. Letters about a state change (a seat declined,
expired, left, a letter lost) are **queued** in the transaction of the change
(:func:`queue_offer_letters`) and laid out by the worker
(``council.tasks.offer_letters``): never in the web request, never while an
offer or member row is locked, and never for a change that was rolled back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from tirage.applications.models import Application
from tirage.calls.models import Call
from tirage.council.errors import CouncilError
from tirage.council.models import CouncilLetter, Member, Offer, hash_reply_code
from tirage.council.services.offers import drawn_result, new_code_for, open_offers
from tirage.council.tokens import new_reply_code
from tirage.letters.models import Batch, BatchRun, Kind, Letter
from tirage.letters.services import (
    LetterRequest,
    ReplySlip,
    RunProgress,
    generate_batch,
    queue_run,
    reset_run,
    settings_for,
)
from tirage.site.dates import french_date


def draw_values(call: Call) -> dict[str, str]:
    """``date_tirage`` (the day of the draw, the planned day before it) and ``lien_resultats``."""
    result = drawn_result(call)
    day = timezone.localdate(result.drawn_at) if result is not None else call.draw_date
    base = settings_for(call).public_base_url.rstrip("/")
    return {"date_tirage": french_date(day), "lien_resultats": base + reverse("draws:results")}


def offer_request(offer: Offer, code: str, *, values: dict[str, str]) -> LetterRequest:
    """The letter of ``offer`` (selected or replacement) with its reply slip (clear ``code``)."""
    kind = Kind.REPLACEMENT if offer.kind == Offer.Kind.REPLACEMENT else Kind.SELECTED
    replaced = offer.replaces.receipt_code if offer.replaces_id and offer.replaces else ""
    return LetterRequest(
        application=offer.application,
        kind=kind,
        values={**values, "remplace": replaced},
        reply=ReplySlip(code, offer.deadline),
    )


def mandate_end_request(member: Member) -> LetterRequest:
    """The end-of-mandate letter of ``member`` (dates, whether a renewal is possible)."""
    call = member.call
    left = call.renewals_allowed - member.renewals
    renewal = (
        f"Vous pouvez renouveler votre mandat (encore {left} fois possible). Si vous le souhaitez, "
        f"dites-le-nous avant le {french_date(member.end_date)}, par courrier, par courriel "
        "ou à l'accueil d'une mairie de quartier."
        if left > 0 and member.ended_on is None
        else "Le règlement ne permet pas un nouveau renouvellement. Les places libérées seront "
        "proposées lors d'un nouvel appel à candidatures : vous pourrez en parler autour de vous."
    )
    return LetterRequest(
        application=member.application,
        kind=Kind.MANDATE_END,
        values={
            **draw_values(call),
            "début_mandat": french_date(member.start_date),
            "fin_mandat": french_date(member.end_date),
            "renouvellement": renewal,
        },
    )


def _linker(subjects: list[tuple[Offer | None, Member | None]]):
    """``on_stored`` for ``generate_batch``: one ``CouncilLetter`` per letter about a seat."""

    def link(letters: list[Letter]) -> None:
        CouncilLetter.objects.bulk_create(
            CouncilLetter(letter=letter, offer=offer, member=member)
            for letter, (offer, member) in zip(letters, subjects, strict=True)
            if offer is not None or member is not None
        )

    return link


class OfferAnsweredMeanwhile(CouncilError):
    """An offer got its answer while its letter was laid out: the batch was not stored."""


def send_offer_letters(
    call: Call,
    offers: list[Offer],
    *,
    label: str,
    actor=None,
    now: dt.datetime | None = None,
    queue_email: bool = True,
) -> Batch:
    """Render and send the letters of ``offers`` as one batch, each with a new reply code.

    The codes are drawn before the layout and their hashes stored in the
    batch's own transaction: if the batch fails, nothing is stored and the
    offers keep their previous codes; once it is stored, only the code printed
    on the new letter works. ``queue_email``: the e-mail copies go through the
    queue (``letters.tasks.send_copy``, retried). Raises ``ValueError`` for no offer,
    ``OfferAnsweredMeanwhile`` (nothing stored) when an offer got its answer while the
    letters were laid out (a paper slip recorded at the counter meanwhile).
    """
    values = draw_values(call)
    codes = [new_reply_code() for _ in offers]
    requests = [offer_request(o, c, values=values) for o, c in zip(offers, codes, strict=True)]
    link = _linker([(offer, None) for offer in offers])

    def stored(letters: list[Letter]) -> None:
        answered = list(
            Offer.objects.select_for_update()
            .filter(pk__in=[offer.pk for offer in offers])
            .exclude(status=Offer.Status.PENDING)
            .values_list("receipt_code", flat=True)
        )
        if answered:
            raise OfferAnsweredMeanwhile(
                "Réponse enregistrée pendant la mise en page du courrier de "
                + ", ".join(sorted(answered))
                + " : aucun courrier produit."
            )
        for offer, code in zip(offers, codes, strict=True):
            offer.token_hash = hash_reply_code(code)
            Offer.objects.filter(pk=offer.pk).update(token_hash=offer.token_hash)
        link(letters)

    return generate_batch(
        call,
        requests,
        label=label,
        actor=actor,
        now=now,
        on_stored=stored,
        queue_email=queue_email,
    )


def queue_offer_letters(
    offers: list[Offer],
    *,
    label: str,
    actor=None,
    now: dt.datetime | None = None,
) -> None:
    """Queue the letters of ``offers`` (``council.tasks.offer_letters``), in the current transaction.

    The web request that changed a seat (a member's online « Non », a resignation,
    an expired offer, a letter lost) only queues: the worker lays the letter out
    with a new reply code and queues its e-mail copy. The queue row is written in
    the caller's transaction, so a change rolled back queues nothing. Until the
    worker has run, the offer's staff page says the letter is on its way
    (:func:`letters_on_the_way`).
    """
    # The task module imports this one: imported when a letter is queued.
    from tirage.council.tasks import offer_letters

    offer_letters.enqueue(
        offer_ids=[offer.pk for offer in offers],
        label=label,
        actor_id=getattr(actor, "pk", None),
        now=now.isoformat() if now is not None else None,
    )


@dataclass(frozen=True)
class LetterStates:
    """Where the queued letters of some offers stand (``council.tasks.offer_letters``).

    ``on_the_way``: a letter waits in the queue or is being laid out. ``failed``: the
    latest letter queued failed after the latest letter laid out, if any — a lost letter
    sent again (« Renvoyer le courrier ») stops the old code at once, so when the new
    letter then fails, the earlier letters are still listed but none of their codes
    works: staff must see it and send the letter again.
    """

    on_the_way: set[int]
    failed: set[int]


def letter_states(offer_ids: list[int]) -> LetterStates:
    """:class:`LetterStates` of ``offer_ids``: one read of the queue's rows of the task (and of
    the offers' latest letters when a task failed)."""
    from django_tasks_db.models import DBTaskResult  # the queue's table

    from tirage.council.tasks import offer_letters  # the task module imports this one

    wanted = set(offer_ids)
    on_the_way: set[int] = set()
    latest_task: dict[int, tuple[dt.datetime, str]] = {}
    rows = DBTaskResult.objects.filter(task_path=offer_letters.module_path).values_list(
        "enqueued_at", "status", "args_kwargs"
    )
    for enqueued_at, status, args_kwargs in rows:
        for offer_id in wanted.intersection(args_kwargs.get("kwargs", {}).get("offer_ids", [])):
            if status in ("READY", "RUNNING"):
                on_the_way.add(offer_id)
            if offer_id not in latest_task or latest_task[offer_id][0] < enqueued_at:
                latest_task[offer_id] = (enqueued_at, status)
    failed_tasks = {i: at for i, (at, status) in latest_task.items() if status == "FAILED"}
    last_letter = (
        dict(
            CouncilLetter.objects.filter(offer_id__in=failed_tasks)
            .values("offer_id")
            .annotate(last=models.Max("letter__rendered_at"))
            .values_list("offer_id", "last")
        )
        if failed_tasks
        else {}
    )
    failed = {
        offer_id
        for offer_id, enqueued_at in failed_tasks.items()
        if offer_id not in last_letter or last_letter[offer_id] < enqueued_at
    }
    return LetterStates(on_the_way=on_the_way, failed=failed)


def letters_on_the_way(offer_ids: list[int]) -> set[int]:
    """Those of ``offer_ids`` whose letter waits in the queue or is being laid out."""
    return letter_states(offer_ids).on_the_way


def send_mandate_letters(call: Call, members: list[Member], *, label: str, actor=None, now=None):
    """Render the end-of-mandate letters of ``members`` as one batch; their e-mail copies are
    queued (``letters.tasks.send_copy``, retried)."""
    return generate_batch(
        call,
        [mandate_end_request(m) for m in members],
        label=label,
        actor=actor,
        now=now,
        on_stored=_linker([(None, m) for m in members]),
        queue_email=True,
    )


# -- the letters after the draw -------------------------------------------------------
def draw_letter_requests(
    call: Call, *, now: dt.datetime | None = None
) -> tuple[list[LetterRequest], list[tuple[Offer | None, Member | None]]]:
    """Requests for everyone of the drawn pool: selected (with an offer), reserve, others;
    and what each letter is about.

    Order: selected, then the reserve in reserve order — the order of the
    print room's piles. The first ``reserve_letter_count`` people of the
    reserve get the reserve-list letter, the others the not-selected letter
    (they stay on the list). Applications outside the pool (ineligible,
    duplicates) had their answer when they were decided. Creates the
    selected people's offers. Empty when the letters were already written.
    """
    result = drawn_result(call)
    if result is None:
        raise CouncilError("Le tirage n'a pas eu lieu : aucune lettre à produire.")
    already = CouncilLetter.objects.filter(
        offer__draw=result.draw, letter__kind=Kind.SELECTED
    ).exists()
    if already:
        return [], []  # already written to (a second run of the demo)
    apps = {a.receipt_code: a for a in Application.objects.filter(call=call)}
    offers = {offer.receipt_code: (offer, code) for offer, code in open_offers(result, now=now)}
    # Offers left without a letter by an interrupted run get a new code (only hashes are stored).
    for offer in result.draw.offers.filter(kind=Offer.Kind.SELECTED, status=Offer.Status.PENDING):
        if offer.receipt_code not in offers:
            offers[offer.receipt_code] = (offer, new_code_for(offer))
    values = draw_values(call)
    requests: list[LetterRequest] = []
    subjects: list[tuple[Offer | None, Member | None]] = []
    for code in result.selected:
        if code in offers:
            offer, clear = offers[code]
            requests.append(offer_request(offer, clear, values=values))
            subjects.append((offer, None))
    top = settings_for(call).reserve_letter_count or len(result.reserve)
    for position, code in enumerate(result.reserve):
        kind = Kind.RESERVE if position < top else Kind.NOT_SELECTED
        requests.append(LetterRequest(apps[code], kind, values=values))
        subjects.append((None, None))
    return requests, subjects


def run_letters(
    call: Call,
    *,
    actor=None,
    now: dt.datetime | None = None,
    progress: RunProgress | None = None,
    queue_email: bool = False,
) -> Path:
    """Produce the letters batch after the draw; returns the merged PDF path.

    ``progress``: the background run (``council.tasks.draw_letters``) told of
    each letter laid out; ``queue_email``: the e-mail copies go through the
    queue (``letters.tasks.send_copy``).

    Idempotent: a second run returns the merged PDF of the first batch; a run
    interrupted before its batch was stored is redone in full (new reply codes).
    No transaction is held while the letters are laid out.
    Raises ``CouncilError`` before the draw.
    """
    requests, subjects = draw_letter_requests(call, now=now)
    if not requests:
        batch = (
            call.letter_batches.filter(letters__kind=Kind.SELECTED).order_by("created_at").first()
        )
        assert batch is not None  # draw_letter_requests found its selected letters
        if progress is not None:
            progress.finish(batch)
        return Path(settings.DOCUMENTS_DIR) / batch.merged_path
    batch = generate_batch(
        call,
        requests,
        label="Courriers après le tirage",
        actor=actor,
        now=now,
        on_stored=_linker(subjects),
        progress=progress,
        queue_email=queue_email,
    )
    return Path(settings.DOCUMENTS_DIR) / batch.merged_path


DRAW_LETTERS = "draw"  # BatchRun.purpose of the letters after the draw


def queue_draw_letters(call: Call, *, actor=None) -> BatchRun:
    """Queue the letters after the draw (``council.tasks.draw_letters``); audited.

    Raises ``CouncilError`` before the draw, when they were produced already, or
    when a run is already queued or running (a double click queues one).
    """
    if drawn_result(call) is None:
        raise CouncilError("Le tirage n'a pas eu lieu : aucune lettre à produire.")
    try:
        with transaction.atomic():
            run = queue_run(
                call, purpose=DRAW_LETTERS, label="Courriers après le tirage", actor=actor
            )
            _enqueue(run)
    except ValueError as exc:
        raise CouncilError(str(exc)) from exc
    return run


def restart_draw_letters(run: BatchRun, *, actor=None) -> BatchRun:
    """Start again an interrupted run of the letters after the draw; audited.

    Raises ``CouncilError`` when it is not interrupted.
    """
    try:
        with transaction.atomic():
            run = reset_run(run, actor=actor)
            _enqueue(run)
    except ValueError as exc:
        raise CouncilError(str(exc)) from exc
    return run


def _enqueue(run: BatchRun) -> None:
    # The task module imports this one: imported when a run is queued.
    from tirage.council.tasks import draw_letters

    result = draw_letters.enqueue(run_id=run.pk, run=run.run_number)
    BatchRun.objects.filter(pk=run.pk).update(task_id=str(result.id))


def latest_draw_letters_run(call: Call) -> BatchRun | None:
    return BatchRun.objects.filter(call=call, purpose=DRAW_LETTERS).first()
