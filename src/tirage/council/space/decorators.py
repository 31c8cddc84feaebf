"""``member_required``: the door of every page of the members' space."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from tirage.council.space.session import close_member_session, session_member


def member_required(view):
    """Let a signed-in member in office today through, with ``request.member`` set.

    Anyone else (anonymous, staff, a member who has left) is sent to
    ``/espace-membre/connexion/?suivant=<path>``.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = session_member(request)
        if member is None:
            close_member_session(request)
            login = reverse("member_login:login")
            return redirect(f"{login}?{urlencode({'suivant': request.get_full_path()})}")
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper
