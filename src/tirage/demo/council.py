"""The demo's council in office: the previous call of the same council, drawn about a year ago, and
its first year of life, relative to today, built through the real services.

The demo's own call is open today (people can apply and staff can draw it);
the council that sits today comes from the *previous* call (slug
``…-mandat-en-cours``): a smaller fictional pool, the real draw (dice 4 2 7),
every seat accepted, the council installed ``INSTALLED_DAYS_AGO`` days ago.
Its year: the *règlement intérieur* acknowledged, two working groups, five
plenaries here (three more come with the opinions demo), working-group
meetings, a few excused members, one member absent three times in a row →
alert → letter → seat declared vacant by the council → the next person of the
reserve list within the quotas accepts; minutes approved at the next plenary
and published; a plenary convened three weeks ahead. **Every text is
fictional.** Idempotent: each stage runs only when its data is missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tirage.calls.callfile import load_call, read_call_file
from tirage.calls.models import PARIS, Call
from tirage.council.models import Member, Offer
from tirage.council.services.answers import record_answer
from tirage.council.services.offers import open_offers
from tirage.council.services.seat_letters import send_offer_letters
from tirage.council.space.links import login_link
from tirage.demo.applicants import plan_pool, submit_pool
from tirage.demo.draw import run_demo_draw
from tirage.demo.opinions import seed_opinions
from tirage.draws.models import DrawResult
from tirage.meetings.models import (
    ATTENDING,
    AbsenceCase,
    AgendaItem,
    Meeting,
    Presence,
    Source,
    WorkingGroup,
)
from tirage.meetings.roster import expected_members
from tirage.meetings.services.absences import declare_vacant, record_absence_letter
from tirage.meetings.services.attendance import Mark, close_register, record_attendance
from tirage.meetings.services.convocations import convene
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.minutes import (
    approve_minutes,
    draft_minutes,
    publish_minutes,
    send_minutes,
)
from tirage.meetings.services.rules import acknowledge_rules, publish_rules_document
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting
from tirage.meetings.voting import Votes

SLUG_SUFFIX = "-mandat-en-cours"
CLOSED_DAYS_AGO = 400
INSTALLED_DAYS_AGO = 365
POOL_SIZE = 160
POOL_SEED = 2024
DICE = [4, 2, 7]
FICTIONAL = "(Texte fictif de démonstration.)"
APPROVE = "Approbation du compte rendu de la séance précédente"
VACANCY = "Constat de la vacance d'un siège (absences répétées)"
# (days ago, topics) of the plenaries seeded here; the opinions demo adds three more.
PLENARIES = [
    (355, ["Installation du conseil et présentation des projets numériques de la Ville"]),
    (335, ["Calendrier de l'année et groupes de travail"]),
    (315, ["Présentation du projet de wifi public dans les parcs"]),
    (296, ["Bilan des ateliers numériques dans les centres sociaux"]),
    (240, ["Point d'étape des groupes de travail"]),
]
GROUPS = [
    ("Démarches en ligne", "Suivre les projets de démarches en ligne de la Ville.", slice(0, 5)),
    ("Inclusion numérique", "Aller vers les habitants éloignés du numérique.", slice(5, 11)),
]
GROUP_MEETINGS = [(325, 0), (270, 1), (210, 0), (120, 1)]  # (days ago, group index)


@dataclass
class CouncilLife:
    call: Call
    counts: dict[str, int] = field(default_factory=dict)
    # (first name, absolute path of a single-use sign-in link) for two members.
    links: list[tuple[str, str]] = field(default_factory=list)


class _Timeline:
    def __init__(self, today: dt.date) -> None:
        self.today = today

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 18) -> dt.datetime:
        d = self.day(days_ago)
        return dt.datetime(d.year, d.month, d.day, hour, 0, tzinfo=PARIS)


def _previous_call(today: dt.date) -> Call:
    data = read_call_file()
    slug = data["slug"] + SLUG_SUFFIX
    existing = Call.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    closing = data.get("closing_date") or data["closes_at"].astimezone(PARIS).date()
    shift = (today - dt.timedelta(days=CLOSED_DAYS_AGO) - closing).days
    return load_call({**data, "slug": slug}, shift_days=shift)


def _pool(call: Call, agents: dict) -> None:
    if call.applications.exists():
        return
    plan = plan_pool(
        call, seed=POOL_SEED, now=call.closes_at - dt.timedelta(hours=1), size=POOL_SIZE
    )
    submit_pool(call, plan, agents=agents, key_prefix=f"demo-mandat:{POOL_SEED}:")


def _install(call: Call, t: _Timeline) -> None:
    if Member.objects.filter(call=call).exists():
        return
    result = DrawResult.objects.filter(draw__pool__call=call).first()
    if result is None:
        run_demo_draw(call, until="results", dice=DICE)
        result = DrawResult.objects.get(draw__pool__call=call)
    for i, (offer, _code) in enumerate(open_offers(result)):
        record_answer(
            offer,
            accepted=True,
            via=Offer.Via.STAFF,
            public_consent=i % 3 != 2,
            start_date=t.day(INSTALLED_DAYS_AGO),
        )


def _hold(meeting: Meeting, *, excused=(), absent=(), during: dt.datetime | None = None) -> None:
    marks = []
    for member in expected_members(meeting):
        status = Presence.PRESENT
        if member.pk in absent:
            status = Presence.ABSENT
        elif member.pk in excused:
            status = Presence.EXCUSED
        marks.append(Mark(member.pk, status))
    record_attendance(meeting_id=meeting.pk, marks=marks, now=during or meeting.starts_at)
    close_register(meeting_id=meeting.pk, now=meeting.ends_at)
    meeting.refresh_from_db()


def _everyone_for(meeting: Meeting) -> Votes:
    present = meeting.attendances.filter(status__in=ATTENDING).count()
    return Votes(present, present - 1, 0, 1)


def _plan(call, t: _Timeline, days_ago: int, title: str, items, *, group=None) -> Meeting:
    planned = t.at(days_ago + 25, 10)
    meeting = plan_meeting(
        call_id=call.pk,
        title=title,
        starts_at=t.at(days_ago),
        kind=Meeting.Kind.WORKING_GROUP if group else Meeting.Kind.PLENARY,
        working_group_id=group.pk if group else None,
        place="Hôtel de ville, salle du conseil" if not group else "Mairie de quartier Est",
        address="17 Grand-Place, 59100 Roubaix" if not group else "Roubaix",
        access_info="Entrée accessible en fauteuil par la rue du Château ; boucle magnétique.",
        now=planned,
    )
    for item_title, kind in items:
        add_agenda_item(meeting_id=meeting.pk, title=item_title, kind=kind, now=planned)
    convene(meeting_id=meeting.pk, now=planned)
    meeting.refresh_from_db()
    return meeting


def _minutes(meeting: Meeting, t_sent: dt.datetime) -> int:
    minutes = draft_minutes(
        meeting_id=meeting.pk,
        text=f"Compte rendu de « {meeting.title} ». Les membres ont débattu des points de l'ordre "
        f"du jour ; les décisions sont listées ci-dessous. {FICTIONAL}",
        summary="Le conseil s'est réuni. Il a parlé des projets numériques de la Ville.",
        now=t_sent,
    )
    send_minutes(minutes_id=minutes.pk, now=t_sent)
    return minutes.pk


def _life(call: Call, t: _Timeline) -> None:
    members = list(
        Member.objects.in_office(t.day(INSTALLED_DAYS_AGO)).filter(call=call).order_by("id")
    )
    document = publish_rules_document(
        call_id=call.pk,
        text="Article 1. Le conseil se réunit en séance plénière environ une fois par mois.\n\n"
        "Article 2. Un membre absent sans excuse trois fois de suite peut être déclaré "
        f"démissionnaire ; sa place revient à la liste de réserve. {FICTIONAL}",
        summary="Le conseil se réunit chaque mois. Prévenez si vous ne venez pas.",
        adopted_on=t.day(INSTALLED_DAYS_AGO),
        now=t.at(INSTALLED_DAYS_AGO, 9),
    )
    for i, member in enumerate(members[:-3]):  # three members have not acknowledged yet
        acknowledge_rules(
            document_id=document.pk,
            member_id=member.pk,
            source=Source.PAPER if i % 4 == 0 else Source.ONLINE,
            now=t.at(INSTALLED_DAYS_AGO - 10 + i % 5, 20),
        )
    groups = [
        create_working_group(
            call_id=call.pk,
            name=name,
            mission=mission,
            member_ids=[m.pk for m in members[part]],
            now=t.at(345, 10),
        )
        for name, mission, part in GROUPS
    ]
    absentee = members[12]
    minutes_ids: list[int] = []
    case: AbsenceCase | None = None
    for n, (days_ago, topics) in enumerate(PLENARIES):
        items = [(APPROVE, AgendaItem.Kind.DECISION)] if n else []
        items += [(topic, AgendaItem.Kind.DEBATE) for topic in topics]
        if days_ago == 296:
            items.append((VACANCY, AgendaItem.Kind.DECISION))
        meeting = _plan(call, t, days_ago, f"Séance plénière — {topics[0]}", items)
        excused = {m.pk for m in members[n % 4 :: 7] if m != absentee}
        absent = {absentee.pk} if n < 4 else set()
        _hold(meeting, excused=excused, absent=absent)
        if n:
            approve_minutes(
                minutes_id=minutes_ids[-1],
                meeting_id=meeting.pk,
                agenda_item_id=meeting.agenda_items.get(title=APPROVE).pk,
                votes=_everyone_for(meeting),
                now=meeting.starts_at + dt.timedelta(minutes=20),
            )
            publish_minutes(minutes_id=minutes_ids[-1], now=meeting.ends_at + dt.timedelta(days=2))
        if days_ago == 315:
            case = absentee.absence_cases.get()
            record_absence_letter(case_id=case.pk, now=t.at(313, 10))
        if days_ago == 296 and case is not None:
            decision = record_decision(
                meeting_id=meeting.pk,
                agenda_item_id=meeting.agenda_items.get(title=VACANCY).pk,
                method="vote",
                votes=_everyone_for(meeting),
                now=meeting.starts_at + dt.timedelta(hours=1),
            )
            offer = declare_vacant(case_id=case.pk, decision_id=decision.pk, now=t.at(295, 10))
            if offer is not None:
                # The letter the worker would have laid out before the answer came back (the
                # queued task then finds the offer answered and does nothing).
                send_offer_letters(
                    call,
                    [offer],
                    label=f"Proposition de siège à {offer.receipt_code}",
                    now=t.at(295, 10),
                )
                record_answer(
                    offer,
                    accepted=True,
                    via=Offer.Via.STAFF,
                    now=t.at(288, 11),
                    start_date=t.day(287),
                )
        minutes_ids.append(_minutes(meeting, meeting.ends_at + dt.timedelta(days=7)))
    for days_ago, index in GROUP_MEETINGS:
        group = groups[index]
        meeting = _plan(
            call,
            t,
            days_ago,
            f"Groupe de travail « {group.name} »",
            [("Tour de table et prochaines étapes", AgendaItem.Kind.DEBATE)],
            group=group,
        )
        _hold(meeting)


def _upcoming(call: Call, t: _Timeline) -> None:
    """A plenary three weeks ahead, convened today, and a working-group meeting next week."""
    today = timezone.now()
    if Meeting.objects.filter(call=call, starts_at__gt=today).exists():
        return
    ahead = 21 + (1 - (t.today + dt.timedelta(days=21)).weekday()) % 7  # a Tuesday, 3–4 weeks on
    meeting = plan_meeting(
        call_id=call.pk,
        title="Séance plénière — Avis sur le wifi public dans les parcs",
        starts_at=t.at(-ahead),
        place="Hôtel de ville, salle du conseil",
        address="17 Grand-Place, 59100 Roubaix",
        access_info="Entrée accessible en fauteuil par la rue du Château ; boucle magnétique.",
    )
    for title, kind in [
        (APPROVE, AgendaItem.Kind.DECISION),
        ("Avis du conseil sur le wifi public dans les parcs", AgendaItem.Kind.DECISION),
        ("Questions diverses", AgendaItem.Kind.INFORMATION),
    ]:
        add_agenda_item(meeting_id=meeting.pk, title=title, kind=kind)
    convene(meeting_id=meeting.pk)


def seed_council_life(*, agents: dict, today: dt.date | None = None) -> CouncilLife:
    """The council in office and its first year (idempotent); see the module."""
    today = today or timezone.localdate()
    t = _Timeline(today)
    call = _previous_call(today)
    _pool(call, agents)
    _install(call, t)
    if not Meeting.objects.filter(call=call).exists():
        # The replacement's offer e-mail goes to a fictional address: with the console mailer
        # (the default) it would be printed amid the demo's summary, so it is kept out of it.
        with contextlib.redirect_stdout(io.StringIO()), transaction.atomic():
            _life(call, t)
    opinions = seed_opinions(call=call, today=today)
    _upcoming(call, t)
    sitting = list(Member.objects.in_office(today).filter(call=call).order_by("id")[:2])
    meetings = Meeting.objects.filter(call=call)
    return CouncilLife(
        call=call,
        counts={
            "members": Member.objects.in_office(today).filter(call=call).count(),
            "plenaries_held": meetings.filter(
                kind=Meeting.Kind.PLENARY, held_at__isnull=False
            ).count(),
            "groups": WorkingGroup.objects.filter(call=call).count(),
            "replacements": Member.objects.filter(call=call, replaces__isnull=False).count(),
            **opinions,
        },
        links=[(m.application.given_name, login_link(m)) for m in sitting],
    )
