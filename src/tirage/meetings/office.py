"""Who is in office on a given day: the one definition used by convocations, attendance, quorum and votes.

A member is in office on day ``D`` when ``start_date <= D <= end_date`` and
they had not left before: ``ended_on`` is the day they left (from that day
they no longer sit), except when the mandate simply ran out, where
``ended_on`` is the mandate's last day (``close_ended_mandates``), which
is still in office.

``council.Member.is_active`` answers for today only (it treats anyone who
has left as never having sat), which is wrong for past meetings: this
module is the date-aware version; it belongs on ``Member`` once the
``council`` app is restructured.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.meetings.wording import day as fr_day


def in_office_q(day: dt.date) -> Q:
    """Filter on ``Member`` for the members in office on ``day``."""
    return Q(start_date__lte=day, end_date__gte=day) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=day) | Q(ended_on__gte=F("end_date"))
    )


def in_office(member: Member, day: dt.date) -> bool:
    """Whether ``member`` sits on ``day`` (same rule as ``in_office_q``)."""
    if not member.start_date <= day <= member.end_date:
        return False
    return member.ended_on is None or member.ended_on > day or member.ended_on >= member.end_date


def members_in_office(call: Call | int, day: dt.date) -> QuerySet[Member]:
    """The members of ``call`` (instance or pk) in office on ``day``, names loaded."""
    call_id = call if isinstance(call, int) else call.pk
    return (
        Member.objects.filter(in_office_q(day), call_id=call_id)
        .select_related("application")
        .order_by("application__family_name", "application__given_name", "id")
    )


def member_name(member: Member) -> str:
    """« Amélie Dupont » — for staff messages and staff documents only, never public pages."""
    app = member.application
    return f"{app.given_name} {app.family_name}".strip()


def out_of_office_reason(member: Member, day: dt.date) -> str:
    """Why ``member`` is not in office on ``day``, in French (« mandat commencé le 1er mars 2026 »)."""
    if day < member.start_date:
        return f"mandat commencé le {fr_day(member.start_date)}"
    if member.ended_on is not None and member.ended_on <= day and member.ended_on < member.end_date:
        return f"a quitté le conseil le {fr_day(member.ended_on)}"
    return f"mandat terminé le {fr_day(member.end_date)}"
