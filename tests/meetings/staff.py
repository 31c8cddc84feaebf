"""Helpers of the staff and public pages' tests: a settable clock and the sheet typed through the page."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.meetings.helpers import at, hold, plenary
from tirage.council.models import Member
from tirage.meetings.models import Meeting, Minutes, WorkingGroup
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.services.groups import create_working_group, set_rapporteur
from tirage.meetings.services.minutes import (
    approve_minutes,
    draft_minutes,
    publish_minutes,
    send_minutes,
)
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting
from tirage.meetings.voting import Votes


class Clock:
    """``clock.at(moment)``: what ``django.utils.timezone.now()`` answers from then on (pages included)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.monkeypatch = monkeypatch
        self.moment: dt.datetime | None = None
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: self.moment or real())

    def at(self, moment: dt.datetime) -> None:
        self.moment = moment


def sheet(members, *, absent=(), excused=()) -> dict[str, str]:
    """The POST of the register page: everyone present, except ``absent`` and ``excused``."""
    data = {}
    for member in members:
        status = "present"
        if member in absent:
            status = "absent"
        elif member in excused:
            status = "excused"
        data[f"status-{member.pk}"] = status
    return data


def text(response) -> str:
    """The page's HTML with entities decoded (« d'absences », not « d&#x27;absences »)."""
    return html.unescape(response.content.decode())


def url(name: str, *args) -> str:
    return reverse(f"meetings_staff:{name}", args=args)


@dataclass
class Year:
    """October held (minutes published), November held (it approved them), a plenary coming, a group."""

    october: Meeting
    november: Meeting
    coming: Meeting
    group: WorkingGroup
    minutes: Minutes


APPROVAL = (("Approbation du compte rendu de la séance précédente", "decision"),)


def council_year(council) -> Year:
    """Published minutes and decisions, a coming plenary, a working group; members 0–4 consent to publication."""
    Member.objects.filter(pk__in=[m.pk for m in council.members[:5]]).update(public_consent=True)
    october = plenary(
        council,
        at(2025, 10, 6),
        items=[("Calendrier des séances", "decision"), ("Le site de la ville", "debate")],
    )
    hold(
        october,
        everyone=council.members,
        excused=council.members[15:17],
        absent=council.members[17:18],
    )
    record_decision(
        meeting_id=october.pk,
        agenda_item_id=october.agenda_items.get(order=1).pk,
        method="vote",
        votes=Votes(17, 15, 1, 1),
        title="Calendrier des séances 2025-2026 adopté",
        now=at(2025, 10, 6, 19),
    )
    minutes = draft_minutes(
        meeting_id=october.pk,
        text="La séance s'ouvre à 18 h 05.\nLe conseil adopte le calendrier des séances.",
        summary="Le conseil s'est réuni.\nIl a choisi les dates des prochaines réunions.",
        now=at(2025, 10, 8),
    )
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 9))
    november = plenary(council, at(2025, 11, 10), items=APPROVAL, now=at(2025, 10, 10))
    hold(november, everyone=council.members)
    approve_minutes(
        minutes_id=minutes.pk,
        meeting_id=november.pk,
        agenda_item_id=november.agenda_items.get().pk,
        votes=Votes(20, 20, 0, 0),
        now=at(2025, 11, 10, 18, 30),
    )
    publish_minutes(minutes_id=minutes.pk, now=at(2025, 11, 12))
    group = create_working_group(
        call_id=council.call.pk,
        name="Données ouvertes",
        mission="Proposer les jeux de données à ouvrir.",
        member_ids=[m.pk for m in council.members[:4]],
        now=at(2025, 9, 5),
    )
    set_rapporteur(group_id=group.pk, member_id=council.members[0].pk)
    soon = timezone.localtime(timezone.now()).replace(hour=18, minute=30, second=0, microsecond=0)
    coming = plan_meeting(
        call_id=council.call.pk,
        title="Séance plénière de janvier",
        starts_at=soon + dt.timedelta(days=40),
        place="Hôtel de ville, salle du conseil",
        address="17 Grand-Place, Roubaix",
        access_info="Entrée accessible en fauteuil, boucle magnétique.",
        remote_url="https://visio.example.org/secret-room",
        format="hybrid",
    )
    add_agenda_item(meeting_id=coming.pk, title="Les démarches en ligne", kind="debate")
    minutes.refresh_from_db()
    return Year(october, november, coming, group, minutes)
