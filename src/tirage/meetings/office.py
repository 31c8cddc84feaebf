"""Who is in office on a given day: the one definition used by convocations, attendance, quorum and votes.

The rule itself is the council's: ``Member.is_active(day)`` and
``Member.objects.in_office(day)`` (a member sits from the start of the mandate
to its end, unless they left before). This module adds the ordering, the names
and the French wording the meetings need.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.site.dates import french_date as fr_day


def in_office(member: Member, day: dt.date) -> bool:
    """Whether ``member`` sits on ``day``: ``member.is_active(day)``."""
    return member.is_active(day)


def members_in_office(call: Call | int, day: dt.date) -> QuerySet[Member]:
    """The members of ``call`` (instance or pk) in office on ``day``, names loaded."""
    call_id = call if isinstance(call, int) else call.pk
    return (
        Member.objects.in_office(day)
        .filter(call_id=call_id)
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
