"""The quorum of a meeting, counted live from the sign-in sheet (or, before the meeting, from the replies).

``quorum_for(meeting)`` runs two aggregate queries: members in office on the
meeting's day, and attendance counts by status. Only plenaries have a
quorum (working groups, visits and trainings do not decide). Members on
site and remote both count as present; proxies count only when
``Rules.quorum_counts_proxies``; a proxy counts only when its holder
attends. A second convocation after a failed quorum needs none when
``Rules.second_convocation_without_quorum``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from tirage.meetings.models import ATTENDING, Attendance, Meeting, Presence, Rules
from tirage.meetings.office import members_in_office


@dataclass(frozen=True)
class Quorum:
    """Counts for one meeting: all are numbers of members (``required`` 0: no quorum needed)."""

    applies: bool
    in_office: int
    required: int
    present: int
    remote: int
    represented: int
    counts_proxies: bool
    second_convocation: bool = False
    expected: bool = False  # counted from the replies, before the meeting

    @property
    def attending(self) -> int:
        """Members present on site or remote."""
        return self.present + self.remote

    @property
    def counted(self) -> int:
        """Members who count toward the quorum."""
        return self.attending + (self.represented if self.counts_proxies else 0)

    @property
    def reached(self) -> bool:
        return not self.applies or self.counted >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted) if self.applies else 0

    def sentence(self) -> str:
        """« Quorum atteint : 12 membres présents sur 20 en exercice (il en faut 10). »"""
        if not self.applies:
            return "Pas de quorum pour ce type de réunion."
        if self.second_convocation and self.required == 0:
            return (
                f"Seconde convocation : le conseil délibère sans condition de quorum "
                f"({self.counted} présents sur {self.in_office} en exercice)."
            )
        s = "s" if self.counted > 1 else ""
        who = f"{self.counted} membre{s}"
        detail = f"présent{s}" if not self.counts_proxies else f"présent{s} ou représenté{s}"
        if self.expected:
            detail += f" annoncé{s}"
        base = f"{who} {detail} sur {self.in_office} en exercice (il en faut {self.required})"
        if self.reached:
            return f"Quorum atteint : {base}."
        return f"Quorum non atteint : {base}, il manque {self.missing} membre{'s' if self.missing > 1 else ''}."


def quorum_for(meeting: Meeting, *, expected: bool = False) -> Quorum:
    """The quorum of ``meeting`` from its sign-in sheet (``expected=True``: from the members' replies)."""
    rules = Rules.for_call(meeting.call_id)
    in_office_ids = members_in_office(meeting.call_id, meeting.day).values("pk")
    in_office = in_office_ids.count()
    second = bool(meeting.second_convocation_of_id) and rules.second_convocation_without_quorum
    if not meeting.is_plenary:
        return Quorum(False, in_office, 0, 0, 0, 0, rules.quorum_counts_proxies, expected=expected)
    field, proxy_field = ("reply", "reply_proxy_to") if expected else ("status", "proxy_to")
    rows = Attendance.objects.filter(meeting=meeting, member__in=in_office_ids)
    holders = rows.filter(**{f"{field}__in": ATTENDING}).values("member_id")
    counts = rows.aggregate(
        present=Count("pk", filter=Q(**{field: Presence.PRESENT})),
        remote=Count("pk", filter=Q(**{field: Presence.REMOTE})),
        represented=Count("pk", filter=Q(**{field: Presence.PROXY, f"{proxy_field}__in": holders})),
    )
    return Quorum(
        applies=True,
        in_office=in_office,
        required=0 if second else rules.quorum_required(in_office),
        present=counts["present"],
        remote=counts["remote"],
        represented=counts["represented"],
        counts_proxies=rules.quorum_counts_proxies,
        second_convocation=second,
        expected=expected,
    )
