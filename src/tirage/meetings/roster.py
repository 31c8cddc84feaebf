"""Who is expected at a meeting: every member in office (plenary, visit, training) or the group's members.

``expected_members`` gives the queryset; ``check_expected`` raises a
``MeetingError`` that says precisely why someone is not (not in office on
that day and since when, or not in the working group).
"""

from __future__ import annotations

from django.db.models import QuerySet

from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Meeting
from tirage.meetings.office import in_office, member_name, members_in_office, out_of_office_reason
from tirage.site.dates import french_date as fr_day


def expected_members(meeting: Meeting) -> QuerySet[Member]:
    """Members called to ``meeting``: in office on its day, and in its working group if it has one."""
    members = members_in_office(meeting.call_id, meeting.day)
    if meeting.working_group_id:
        group = meeting.working_group
        assert group is not None
        members = members.filter(pk__in=group.memberships_on(meeting.day).values("member_id"))
    return members


def check_expected(meeting: Meeting, member: Member, *, role: str = "") -> None:
    """Raise ``MeetingError`` unless ``member`` is expected at ``meeting``.

    ``role`` prefixes the message (« Procuration : ») when the member is the
    holder of a proxy rather than the person acting.
    """
    prefix = f"{role} : " if role else ""
    if member.call_id != meeting.call_id:
        raise MeetingError(f"{prefix}{member_name(member)} n'est pas membre de ce conseil.")
    if not in_office(member, meeting.day):
        raise MeetingError(
            f"{prefix}{member_name(member)} n'est pas membre en exercice le "
            f"{fr_day(meeting.day)} ({out_of_office_reason(member, meeting.day)})."
        )
    group = meeting.working_group
    if group is not None and not group.is_member(member.pk, meeting.day):
        raise MeetingError(
            f"{prefix}{member_name(member)} ne fait pas partie du groupe de travail « {group.name} » "
            f"le {fr_day(meeting.day)}."
        )
