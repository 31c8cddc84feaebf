"""Record a decision of a plenary: the one vote mechanism of the council.

Minutes approval (``services.minutes.approve_minutes``), a vacant seat
(``services.absences.declare_vacant``), and the opinions, proposals and
ratings of the next issues all go through ``record_decision``. It checks,
in order: the meeting is a plenary that has started and whose minutes are
not approved yet; the item is on its agenda for decision; the figures at
the vote do not exceed the sign-in sheet; the quorum (``Rules``) holds at
the vote; the vote's arithmetic (``tirage.meetings.voting``). A refused
decision saves nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.meetings import voting
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import AgendaItem, Decision, Meeting, Rules, Source
from tirage.meetings.quorum import quorum_for
from tirage.meetings.services.common import check_source, user_or_none
from tirage.meetings.voting import Votes
from tirage.site.dates import french_date as fr_day


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


@transaction.atomic
def record_decision(
    *,
    meeting_id: int,
    agenda_item_id: int,
    method: str,
    votes: Votes | None = None,
    present: int | None = None,
    represented: int | None = None,
    casting_vote: str = "",
    title: str = "",
    note: str = "",
    source: str = Source.PAPER,
    actor=None,
    now: dt.datetime | None = None,
) -> Decision:
    """Record the decision taken on ``agenda_item_id`` at ``meeting_id``; audited ``decision.recorded``.

    ``method`` is ``"vote"`` (then ``votes``) or ``"consensus"``.
    ``present`` (members attending at the vote, on site or remote) and
    ``represented`` (proxies they hold) default to the sign-in sheet and may
    be lower (someone left before the vote), never higher. The quorum is
    checked on these figures. Returns the decision, adopted or rejected;
    raises ``MeetingError`` (``VoteError`` for the counts) otherwise. The
    same decision submitted twice (same item, title and figures) is stored
    once: the first one is returned.
    """
    check_source(source)
    now = now or timezone.now()
    # Lock: the sheet and the minutes' state must not change while the vote is checked.
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting.is_plenary:
        raise MeetingError(
            f"Seule une séance plénière prend des décisions (cette réunion est « "
            f"{meeting.get_kind_display()} »)."
        )
    if meeting.state in (Meeting.State.PLANNED, Meeting.State.CANCELLED):
        raise MeetingError(
            f"Cette réunion est « {meeting.get_state_display()} » : elle ne peut pas décider."
        )
    if meeting.state in (Meeting.State.MINUTES_APPROVED, Meeting.State.PUBLISHED):
        raise MeetingError(
            "Le compte rendu de cette réunion est approuvé : ses décisions ne changent plus."
        )
    if not meeting.has_started(now):
        raise MeetingError(
            f"La réunion du {fr_day(meeting.day)} n'a pas encore commencé : aucune décision n'est "
            "possible."
        )
    item = AgendaItem.objects.filter(pk=agenda_item_id).first()
    if item is None or item.meeting_id != meeting.pk:
        raise MeetingError(
            "Ce point n'est pas à l'ordre du jour de cette réunion.", field="agenda_item"
        )
    if item.kind != AgendaItem.Kind.DECISION:
        raise MeetingError(
            f"Le point « {item.title} » est inscrit pour {item.get_kind_display()} : le conseil ne "
            "décide que sur un point soumis à décision.",
            field="agenda_item",
        )
    if method not in Decision.Method.values:
        raise MeetingError("Mode de décision inconnu : vote ou consensus.", field="method")
    if method == Decision.Method.VOTE and votes is None:
        raise MeetingError(
            "Indiquez les voix : votants, pour, contre, abstentions.", field="voters"
        )
    if method == Decision.Method.CONSENSUS and votes is not None:
        raise MeetingError(
            "Une décision par consensus n'a pas de décompte des voix.", field="method"
        )
    rules = Rules.for_call(meeting.call_id)
    quorum = quorum_for(meeting)
    if quorum.attending == 0:
        raise MeetingError(
            "Aucun membre n'est noté présent : saisissez d'abord la feuille de présence (le quorum "
            "se compte sur elle)."
        )
    present = quorum.attending if present is None else present
    represented = quorum.represented if represented is None else represented
    if present < 0 or represented < 0:
        raise MeetingError(
            "Les nombres de présents et de représentés sont positifs.", field="present"
        )
    if present > quorum.attending:
        raise MeetingError(
            f"{_plural(present, 'présent')} au vote, mais la feuille de présence n'en compte que "
            f"{quorum.attending} ({quorum.present} sur place, {quorum.remote} à distance).",
            field="present",
        )
    if represented > quorum.represented:
        raise MeetingError(
            f"{_plural(represented, 'membre')} représenté{'s' if represented > 1 else ''} au vote, "
            f"mais la feuille de présence ne compte que {_plural(quorum.represented, 'procuration')}.",
            field="represented",
        )
    counted = present + (represented if rules.quorum_counts_proxies else 0)
    if counted < quorum.required:
        who = "présents ou représentés" if rules.quorum_counts_proxies else "présents"
        raise MeetingError(
            f"Quorum non atteint : {counted} membres {who} sur {quorum.in_office} en exercice, il en "
            f"faut {quorum.required} ({rules.quorum_label}). Le conseil ne peut pas décider ; il peut "
            "être convoqué à nouveau.",
            field="present",
        )
    outcome = voting.outcome(
        votes if method == Decision.Method.VOTE else None,
        present=present,
        represented=represented,
        majority_base=rules.majority_base,
        casting_vote_allowed=rules.casting_vote,
        casting_vote=casting_vote,
    )
    title = (title or "").strip() or item.title
    figures = dict(
        title=title,
        method=method,
        present=present,
        represented=represented,
        voters=votes.voters if votes else None,
        votes_for=votes.votes_for if votes else None,
        votes_against=votes.votes_against if votes else None,
        abstentions=votes.abstentions if votes else None,
        casting_vote=casting_vote,
    )
    # A double submit of the same sheet is stored once (a new vote on the item has another title
    # or other figures).
    same = Decision.objects.filter(meeting=meeting, agenda_item=item, **figures).first()
    if same is not None:
        return same
    decision = Decision.objects.create(
        meeting=meeting,
        agenda_item=item,
        in_office=quorum.in_office,
        quorum_required=quorum.required,
        majority_base=rules.majority_base,
        outcome=outcome,
        **figures,
        note=(note or "").strip(),
        source=source,
        recorded_at=now,
        recorded_by=user_or_none(actor),
    )
    log_action(
        decision,
        "decision.recorded",
        actor=actor,
        data={
            "meeting": meeting.pk,
            "item": item.pk,
            "method": method,
            "outcome": outcome,
            "in_office": quorum.in_office,
            "quorum_required": quorum.required,
            "present": present,
            "represented": represented,
            "votes": [votes.voters, votes.votes_for, votes.votes_against, votes.abstentions]
            if votes
            else None,
            "casting_vote": casting_vote,
            "majority_base": rules.majority_base,
        },
    )
    return decision
