"""Small checks shared by the opinions services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from tirage.audit.services import history
from tirage.meetings.models import Decision, WorkingGroup
from tirage.meetings.voting import Votes
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Opinion
from tirage.site.dates import french_date as fr_day


def check_url(url: str, field: str = "url") -> str:
    """``url`` stripped; ``OpinionError`` unless it is an http(s) address."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise OpinionError(
            f"« {url} » n'est pas une adresse web valable (elle commence par https://).",
            field=field,
        ) from exc
    return url


def working_group_for(
    call_id: int, working_group_id: int | None, day: dt.date
) -> WorkingGroup | None:
    """The working group ``working_group_id`` of council ``call_id``, open on ``day`` (``None`` → ``None``)."""
    if working_group_id is None:
        return None
    group = WorkingGroup.objects.get(pk=working_group_id)
    if group.call_id != call_id:
        raise OpinionError(
            f"Le groupe de travail « {group.name} » appartient à un autre conseil.",
            field="working_group",
        )
    if group.closed_on is not None and group.closed_on <= day:
        raise OpinionError(
            f"Le groupe de travail « {group.name} » est clos depuis le {fr_day(group.closed_on)}.",
            field="working_group",
        )
    return group


def same_sheet(
    decision: Decision,
    *,
    meeting_id: int,
    agenda_item_id: int,
    method: str,
    votes: Votes | None,
    casting_vote: str,
) -> bool:
    """Whether ``decision`` is the one this voting sheet records (a double submit of the same sheet)."""
    counts = (
        (votes.voters, votes.votes_for, votes.votes_against, votes.abstentions) if votes else None
    )
    stored = (
        (decision.voters, decision.votes_for, decision.votes_against, decision.abstentions)
        if decision.method == Decision.Method.VOTE
        else None
    )
    return (
        decision.meeting_id == meeting_id
        and decision.agenda_item_id == agenda_item_id
        and decision.method == method
        and stored == counts
        and decision.casting_vote == casting_vote
    )


def decided_elsewhere(opinion: Opinion):
    """The decisions of ``opinion``'s council on another text than ``opinion`` (a queryset of ``Decision``).

    Another text: another opinion's version, another opinion's answers, or a
    decision of the meetings app (minutes, vacancy…). Their agenda items are
    taken: the council decides one text per item.
    """
    # A rejected rating rates nothing: only the opinion's audit trail ties it to the opinion.
    rejected_ratings = history(opinion).filter(action="answer.rating_rejected")
    return (
        Decision.objects.filter(meeting__call_id=opinion.call_id)
        .exclude(opinion_version__opinion=opinion)
        .exclude(answer_ratings__answer__response__opinion=opinion)
        .exclude(pk__in=[e.data["decision"] for e in rejected_ratings])
    )


def check_item_open(opinion: Opinion, agenda_item_id: int) -> None:
    """``OpinionError`` on ``agenda_item`` naming the item when it was already decided for another text."""
    taken = (
        decided_elsewhere(opinion)
        .filter(agenda_item_id=agenda_item_id)
        .select_related("agenda_item", "meeting")
        .first()
    )
    if taken is not None:
        raise OpinionError(
            f"Le point « {taken.agenda_item.title} » de la séance du {fr_day(taken.meeting.day)} "
            f"a déjà été décidé pour un autre texte ({taken.title}) : choisissez un point encore "
            "ouvert, ou inscrivez-en un nouveau à l'ordre du jour.",
            field="agenda_item",
        )
