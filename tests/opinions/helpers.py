"""Consultations, opinions and their meetings placed in time, for the opinions tests.

Built on the installed council of ``tests.meetings.helpers`` (20 members in
office from 1 September 2025). Every step passes an explicit ``now`` so that
nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt

from tests.meetings.helpers import Council, at, hold, plenary
from tirage.meetings.models import AgendaItem, Meeting
from tirage.meetings.voting import Votes
from tirage.opinions.models import Consultation, Opinion
from tirage.opinions.services.consultations import open_consultation
from tirage.opinions.services.opinions import adopt, draft_opinion, send_to_city

QUESTIONS = [
    "Quelles démarches faites-vous en ligne aujourd'hui ?",
    "Qu'est-ce qui vous bloque sur le portail actuel ?",
    "Que faudrait-il pour les personnes qui n'ont pas d'ordinateur ?",
]
RECOMMENDATIONS = [
    "Garder un accueil physique pour chaque démarche mise en ligne.",
    "Rendre le portail conforme au RGAA avant son ouverture.",
    "Publier chaque trimestre le nombre de démarches faites en ligne et au guichet.",
]


def portal_consultation(
    council: Council, *, now: dt.datetime | None = None, **kwargs
) -> Consultation:
    """« Portail des démarches en ligne », opened on 15 September 2025, contributions until 15 October."""
    now = now or at(2025, 9, 15, 10)
    values = dict(
        call_id=council.call.pk,
        title="Portail des démarches en ligne",
        context="La Ville remplace son portail de démarches (état civil, inscriptions, signalements).",
        summary="La Ville fait un nouveau site pour les démarches. Elle demande l'avis du conseil.",
        service="Direction de la relation aux usagers",
        stage=Consultation.Stage.DESIGN,
        deadline=dt.date(2025, 10, 15),
        questions=QUESTIONS,
    )
    values.update(kwargs)
    return open_consultation(**values, now=now)


def portal_opinion(council: Council, consultation: Consultation | None = None, **kwargs) -> Opinion:
    values = dict(
        call_id=council.call.pk,
        title="Portail des démarches en ligne",
        text="Le conseil a recueilli les avis de ses membres sur le futur portail…",
        summary="Le conseil veut un site simple, et un guichet pour ceux qui n'ont pas internet.",
        recommendations=RECOMMENDATIONS,
        consultation_id=consultation.pk if consultation else None,
        now=at(2025, 10, 20, 10),
    )
    values.update(kwargs)
    return draft_opinion(**values)


def voting_meeting(
    council: Council,
    when: dt.datetime,
    *,
    title: str = "Vote de l'avis",
    absent: int = 0,
    items: int = 1,
) -> Meeting:
    """A plenary at ``when`` with ``items`` items for decision (one text each: ``title``, then
    ``title (2)``…), held with all members present but ``absent``."""
    titles = [title] + [f"{title} ({n})" for n in range(2, items + 1)]
    meeting = plenary(council, when, items=[(t, AgendaItem.Kind.DECISION) for t in titles])
    hold(meeting, everyone=council.members, absent=council.members[len(council.members) - absent :])
    return meeting


def during(meeting: Meeting) -> dt.datetime:
    return meeting.starts_at + dt.timedelta(hours=1)


USUAL = Votes(18, 15, 2, 1)


def adopt_at(
    opinion: Opinion, meeting: Meeting, votes: Votes | None = USUAL, *, item: int = 1, **kw
):
    """Adopt ``opinion`` at ``meeting`` on its ``item``-th agenda item (1: the first)."""
    return adopt(
        opinion_id=opinion.pk,
        meeting_id=meeting.pk,
        agenda_item_id=meeting.agenda_items.order_by("order")[item - 1].pk,
        method="vote" if votes else "consensus",
        votes=votes,
        now=during(meeting),
        **kw,
    )


def sent_opinion(council: Council, *, sent_on: dt.date = dt.date(2025, 11, 10)) -> Opinion:
    """The portal opinion adopted on 3 November 2025 (18 voters: 15 for) and sent on ``sent_on``."""
    opinion = portal_opinion(council)
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2)
    adopt_at(opinion, meeting)
    return send_to_city(
        opinion_id=opinion.pk,
        sent_on=sent_on,
        sent_to="Monsieur le Maire",
        now=at(sent_on.year, sent_on.month, sent_on.day, 12),
    )
