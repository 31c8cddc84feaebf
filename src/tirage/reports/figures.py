"""The figures of an annual report, counted from the data in a few aggregate queries.

``figures_for(call, start, end)`` → ``Figures`` for the meetings whose day falls in
``[start, end]``. The attendance rate is the share of the sign-in sheet rows of held
meetings marked present or remote (a proxy, an excuse or an absence does not count
as attending); ``None`` when no meeting was held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.meetings.models import ATTENDING, Attendance, Decision, Meeting, Minutes, Presence
from tirage.opinions.models import CityResponse, Opinion

HELD = (Meeting.State.HELD, Meeting.State.MINUTES_APPROVED, Meeting.State.PUBLISHED)


@dataclass(frozen=True)
class Figures:
    start: dt.date
    end: dt.date
    plenaries_held: int
    group_meetings_held: int
    other_meetings_held: int
    meetings_cancelled: int
    sheet_rows: int  # expected members × held meetings (rows of the sign-in sheets)
    attended: int  # present or remote
    excused: int
    proxies: int
    absent: int
    decisions: int
    decisions_adopted: int
    minutes_published: int
    opinions_sent: int
    city_responses: int
    departures: int
    replacements: int
    members_at_end: int

    @property
    def meetings_held(self) -> int:
        return self.plenaries_held + self.group_meetings_held + self.other_meetings_held

    @property
    def attendance_rate(self) -> Decimal | None:
        """Percent, one decimal, rounded half up (``Decimal("87.5")``); ``None`` without sheets."""
        if not self.sheet_rows:
            return None
        rate = Decimal(100 * self.attended) / Decimal(self.sheet_rows)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def attendance_rate_label(self) -> str:
        """« 87,5 % » (French decimal comma), or « — »."""
        rate = self.attendance_rate
        return "—" if rate is None else f"{rate}".replace(".", ",") + " %"

    def rows(self) -> list[tuple[str, str]]:
        """``(indicator, value)`` in French, in the order of the PDF and the CSV."""
        return [
            ("Séances plénières tenues", str(self.plenaries_held)),
            ("Réunions de groupes de travail tenues", str(self.group_meetings_held)),
            ("Autres réunions tenues (visites, formations)", str(self.other_meetings_held)),
            ("Réunions annulées", str(self.meetings_cancelled)),
            ("Taux de présence (sur place ou à distance)", self.attendance_rate_label),
            ("Présences notées (sur place ou à distance)", str(self.attended)),
            ("Absences excusées", str(self.excused)),
            ("Procurations données", str(self.proxies)),
            ("Absences non excusées", str(self.absent)),
            ("Décisions prises en séance plénière", str(self.decisions)),
            ("dont décisions adoptées", str(self.decisions_adopted)),
            ("Comptes rendus publiés", str(self.minutes_published)),
            ("Avis et propositions transmis à la Ville", str(self.opinions_sent)),
            ("Réponses de la Ville reçues", str(self.city_responses)),
            ("Départs avant la fin du mandat", str(self.departures)),
            ("Remplacements par la liste de réserve", str(self.replacements)),
            ("Membres en exercice à la fin de la période", str(self.members_at_end)),
        ]


def figures_for(call: Call, start: dt.date, end: dt.date) -> Figures:
    """The report's figures for ``call`` over ``[start, end]`` (days, Europe/Paris)."""
    meetings = Meeting.objects.filter(
        call=call, starts_at__date__gte=start, starts_at__date__lte=end
    )
    counts = meetings.aggregate(
        plenaries=Count("pk", filter=Q(state__in=HELD, kind=Meeting.Kind.PLENARY)),
        groups=Count("pk", filter=Q(state__in=HELD, kind=Meeting.Kind.WORKING_GROUP)),
        others=Count(
            "pk",
            filter=Q(state__in=HELD)
            & ~Q(kind__in=[Meeting.Kind.PLENARY, Meeting.Kind.WORKING_GROUP]),
        ),
        cancelled=Count("pk", filter=Q(state=Meeting.State.CANCELLED)),
    )
    sheets = Attendance.objects.filter(meeting__in=meetings.filter(state__in=HELD)).exclude(
        status=""
    )
    marks = sheets.aggregate(
        rows=Count("pk"),
        attended=Count("pk", filter=Q(status__in=ATTENDING)),
        excused=Count("pk", filter=Q(status=Presence.EXCUSED)),
        proxies=Count("pk", filter=Q(status=Presence.PROXY)),
        absent=Count("pk", filter=Q(status=Presence.ABSENT)),
    )
    decisions = Decision.objects.filter(meeting__in=meetings).aggregate(
        all=Count("pk"), adopted=Count("pk", filter=Q(outcome=Decision.Outcome.ADOPTED))
    )
    members = Member.objects.filter(call=call)
    return Figures(
        start=start,
        end=end,
        plenaries_held=counts["plenaries"],
        group_meetings_held=counts["groups"],
        other_meetings_held=counts["others"],
        meetings_cancelled=counts["cancelled"],
        sheet_rows=marks["rows"],
        attended=marks["attended"],
        excused=marks["excused"],
        proxies=marks["proxies"],
        absent=marks["absent"],
        decisions=decisions["all"],
        decisions_adopted=decisions["adopted"],
        minutes_published=Minutes.objects.filter(
            meeting__call=call,
            state=Minutes.State.PUBLISHED,
            published_at__date__gte=start,
            published_at__date__lte=end,
        ).count(),
        opinions_sent=Opinion.objects.filter(
            call=call, sent_on__gte=start, sent_on__lte=end
        ).count(),
        city_responses=CityResponse.objects.filter(
            opinion__call=call, received_on__gte=start, received_on__lte=end
        ).count(),
        departures=members.filter(ended_on__gte=start, ended_on__lte=end)
        .exclude(end_reason=Member.EndReason.MANDATE_ENDED)
        .count(),
        replacements=members.filter(
            replaces__isnull=False, start_date__gte=start, start_date__lte=end
        ).count(),
        members_at_end=members.in_office(end).count(),
    )
