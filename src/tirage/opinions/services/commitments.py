"""Follow the City's commitments: dated progress updates with evidence links.

``record_progress`` adds a milestone (date, progress 0–100 %, what was
done, links to the evidence) and moves the commitment's progress; at
100 % the commitment is done on that date. Refused: a progress outside
0–100, a date in the future, before the City's answer or before the
latest update, an empty text, a link that is not a web address. The same
update submitted twice is stored once. (Moving the due date is the
one-row ``Commitment.reschedule``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.meetings.services.common import user_or_none
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Commitment, CommitmentUpdate
from tirage.opinions.services.common import check_url
from tirage.site.dates import french_date as fr_day

MAX_LINKS = 10


def check_progress(progress: object) -> int:
    """``progress`` as an int in 0–100; ``OpinionError`` with the value received otherwise."""
    if isinstance(progress, bool) or not isinstance(progress, int):
        raise OpinionError(
            f"L'avancement est un nombre entier de 0 à 100 (reçu : « {progress} »).",
            field="progress",
        )
    if not 0 <= progress <= 100:
        raise OpinionError(
            f"L'avancement est un pourcentage de 0 à 100 : {progress} % n'est pas possible.",
            field="progress",
        )
    return progress


def _links(links: Sequence[tuple[str, str] | dict]) -> list[dict[str, str]]:
    if len(links) > MAX_LINKS:
        raise OpinionError(
            f"{len(links)} liens : au plus {MAX_LINKS} par point d'avancement.", field="links"
        )
    out = []
    for item in links:
        title, url = (item["title"], item["url"]) if isinstance(item, dict) else item
        url = check_url(url, "links")
        out.append({"title": (title or "").strip() or url, "url": url})
    return out


@transaction.atomic
def record_progress(
    *,
    commitment_id: int,
    on: dt.date,
    progress: int,
    text: str,
    links: Sequence[tuple[str, str] | dict] = (),
    actor=None,
    now: dt.datetime | None = None,
) -> tuple[CommitmentUpdate, bool]:
    """Add a dated progress update to ``commitment_id``; returns ``(update, created)``. Audited ``commitment.progress``.

    ``links`` are ``(title, url)`` pairs (or ``{"title", "url"}``) to the
    evidence (a published page, minutes, a dataset). Raises ``OpinionError``
    (French, with ``field``) and saves nothing when refused.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    progress = check_progress(progress)
    text = (text or "").strip()
    if not text:
        raise OpinionError("Décrivez ce qui a été fait.", field="text")
    cleaned = _links(links)
    # Lock: two updates at once must leave the progress of the latest one.
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("answer__response", "recommendation")
        .get(pk=commitment_id)
    )
    same = commitment.updates.filter(on=on, progress=progress, text=text).first()
    if same is not None:
        return same, False
    if on > today:
        raise OpinionError(
            f"La date du point d'avancement ({fr_day(on)}) est dans le futur.", field="on"
        )
    answered = commitment.answer.response.received_on
    if on < answered:
        raise OpinionError(
            f"L'engagement date de la réponse de la Ville du {fr_day(answered)} : un avancement ne "
            f"peut pas dater du {fr_day(on)}.",
            field="on",
        )
    last = commitment.updates.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise OpinionError(
            f"Le dernier point d'avancement date du {fr_day(last.on)} : un nouveau point ne peut "
            f"pas dater du {fr_day(on)}.",
            field="on",
        )
    update = CommitmentUpdate.objects.create(
        commitment=commitment,
        on=on,
        progress=progress,
        text=text,
        links=cleaned,
        recorded_at=now,
        recorded_by=user_or_none(actor),
    )
    before = commitment.progress
    commitment.progress = progress
    commitment.completed_on = on if progress == 100 else None
    commitment.save(update_fields=["progress", "completed_on"])
    log_action(
        commitment,
        "commitment.progress",
        actor=actor,
        data={
            "update": update.pk,
            "on": on.isoformat(),
            "from": before,
            "to": progress,
            "links": len(cleaned),
        },
    )
    return update, True
