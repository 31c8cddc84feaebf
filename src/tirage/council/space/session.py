"""The member's session: one key in Django's session, apart from the staff sign-in.

A member is no Django user: signing in as a member never signs anyone in as staff,
and a staff sign-in never opens the members' space. ``SESSION_KEY`` holds the
member's primary key and the ticket used.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from tirage.council.models import Member, MemberLogin

SESSION_KEY = "tirage_member"


def open_member_session(request: HttpRequest, login: MemberLogin) -> None:
    """Start the member's session after a spent ticket (a new session key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"member": login.member_id, "ticket": login.pk}


def close_member_session(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def session_member(request: HttpRequest) -> Member | None:
    """The member of this session if they sit on the council today, else ``None``."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or "member" not in data:
        return None
    return (
        Member.objects.in_office(timezone.localdate())
        .select_related("application", "call")
        .filter(pk=data["member"])
        .first()
    )
