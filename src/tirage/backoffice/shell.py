"""``staff_render``: the one way a staff page is rendered (the shell's role flags)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tirage.backoffice import roles


def staff_render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render`` a page extending ``backoffice/base.html``, with the user's role flags
    (``is_coordinator``, ``is_agent``, ``is_observer``, ``sees_personal_data``)."""
    user_roles = roles.roles_of(request.user)
    context = {
        **context,
        "is_coordinator": roles.COORDINATOR in user_roles,
        "is_agent": roles.COUNTER_AGENT in user_roles,
        "is_observer": roles.OBSERVER in user_roles,
        "sees_personal_data": bool(user_roles & set(roles.PERSONAL_DATA)),
    }
    return render(request, template, context, status=status)
