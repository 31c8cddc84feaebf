"""A council with meetings around today, and a member signed in through a real link."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.meetings.helpers import Council, installed_council
from tirage.calls.models import PARIS
from tirage.council.space.links import login_link
from tirage.meetings.models import AgendaItem, Meeting
from tirage.meetings.services.convocations import convene
from tirage.meetings.services.rules import publish_rules_document
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting


def days_ahead(days: int, hour: int = 18) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def coming_plenary(council: Council, days: int = 30) -> Meeting:
    """A plenary ``days`` ahead, convened today, with two agenda items."""
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Séance plénière de printemps",
        starts_at=days_ahead(days),
        place="Hôtel de ville, salle du conseil",
        address="Grand-Place, Roubaix",
        access_info="Entrée de plain-pied rue du Château, boucle magnétique.",
    )
    add_agenda_item(meeting_id=meeting.pk, title="Le portail famille", kind=AgendaItem.Kind.DEBATE)
    add_agenda_item(
        meeting_id=meeting.pk, title="Avis sur le wifi public", kind=AgendaItem.Kind.DECISION
    )
    convene(meeting_id=meeting.pk)
    meeting.refresh_from_db()
    return meeting


def space_council() -> tuple[Council, Meeting]:
    council = installed_council()
    publish_rules_document(
        call_id=council.call.pk,
        text="Article 1. Le conseil se réunit en séance plénière.",
        summary="Le conseil se réunit souvent.",
        adopted_on=timezone.localdate() - dt.timedelta(days=60),
    )
    return council, coming_plenary(council)


def sign_in(client, member) -> None:
    path = login_link(member)
    answer = client.post(path)
    assert answer.status_code == 302, answer.content.decode()[:500]
