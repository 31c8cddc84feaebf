"""The *règlement intérieur*: publish a version, record each member's acknowledgement.

(The council's settings themselves change through ``Rules.update``.)
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Acknowledgement, RulesDocument
from tirage.meetings.office import in_office, member_name, members_in_office
from tirage.meetings.services.common import actor_label, check_source, user_or_none
from tirage.site.dates import french_date as fr_day


@transaction.atomic
def publish_rules_document(
    *,
    call_id: int,
    text: str,
    adopted_on: dt.date,
    title: str = "Règlement intérieur",
    summary: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> RulesDocument:
    """Publish the next version of the *règlement intérieur* of ``call_id``; audited ``rules_document.published``.

    Members then have to acknowledge the new version. Raises
    ``MeetingError`` for an empty text or an adoption date in the future.
    """
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise MeetingError("Le texte du règlement intérieur est vide.", field="text")
    if adopted_on > timezone.localdate(now):
        raise MeetingError(
            f"La date d'adoption ({fr_day(adopted_on)}) est dans le futur : publiez le règlement "
            "une fois adopté.",
            field="adopted_on",
        )
    latest = RulesDocument.objects.select_for_update().filter(call_id=call_id)
    version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
    document = RulesDocument.objects.create(
        call_id=call_id,
        version=version,
        title=(title or "").strip() or "Règlement intérieur",
        adopted_on=adopted_on,
        text=text,
        summary=(summary or "").strip(),
        created_at=now,
        created_by=user_or_none(actor),
    )
    log_action(
        document,
        "rules_document.published",
        actor=actor,
        data={"version": version, "adopted_on": adopted_on.isoformat(), "chars": len(text)},
    )
    return document


def acknowledge_rules(
    *,
    document_id: int,
    member_id: int,
    source: str,
    actor=None,
    now: dt.datetime | None = None,
) -> tuple[Acknowledgement, bool]:
    """Record that a member read and accepts a version of the *règlement intérieur*.

    Returns ``(acknowledgement, created)``: a second acknowledgement of the
    same version (double submit) returns the first one with
    ``created=False``. Refused (``MeetingError``) for a member not in office
    today or an older version than the current one.
    """
    check_source(source)
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        document = RulesDocument.objects.select_related("call").get(pk=document_id)
        member = Member.objects.select_related("application").get(pk=member_id)
        existing = Acknowledgement.objects.filter(document=document, member=member).first()
        if existing is not None:
            return existing, False
        if member.call_id != document.call_id or not in_office(member, today):
            raise MeetingError(f"{member_name(member)} n'est pas membre en exercice de ce conseil.")
        current = RulesDocument.current(document.call_id)
        if current is not None and current.pk != document.pk:
            raise MeetingError(
                f"La version {document.version} n'est plus en vigueur : c'est la version "
                f"{current.version} (adoptée le {fr_day(current.adopted_on)}) qu'il faut approuver."
            )
        try:
            # Savepoint: a double submit racing this one hits the unique constraint; keep the first.
            with transaction.atomic():
                ack = Acknowledgement.objects.create(
                    document=document,
                    member=member,
                    acknowledged_at=now,
                    source=source,
                    recorded_by=user_or_none(actor),
                )
        except IntegrityError:
            return Acknowledgement.objects.get(document=document, member=member), False
        log_action(
            ack,
            "rules.acknowledged",
            actor=actor,
            actor_label=actor_label(source),
            data={"member": member.pk, "version": document.version, "source": source},
        )
    return ack, True


def members_without_acknowledgement(document: RulesDocument, *, day: dt.date | None = None):
    """Members in office on ``day`` (default today) who have not acknowledged ``document``."""
    return members_in_office(document.call_id, day or timezone.localdate()).exclude(
        rules_acknowledgements__document=document
    )
