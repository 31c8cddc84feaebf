"""``staff_render``: the one way a staff page is rendered (the shell's role flags); its error pages; ``post_only``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from tirage.backoffice import roles
from tirage.ops.addresses import page_above, post_only_answering


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


def _in_staff_area(request: HttpRequest) -> bool:
    """A signed-in member of staff on a ``/gestion/`` page: errors keep the staff shell."""
    return request.path.startswith("/gestion/") and bool(roles.roles_of(request.user))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: in the staff area, the page says so inside the shell, with its menu."""
    if _in_staff_area(request):
        return staff_render(request, "backoffice/403.html", {}, status=403)
    return defaults.permission_denied(request, exception)  # type: ignore[arg-type]


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: in the staff area, the page says so inside the shell, with its menu."""
    if _in_staff_area(request):
        return staff_render(request, "backoffice/404.html", {}, status=404)
    return defaults.page_not_found(request, exception)


def _refuse_in_shell(request: HttpRequest) -> HttpResponse:
    back = page_above(request.path, fallback="/gestion/")
    return staff_render(request, "backoffice/405.html", {"back": back}, status=405)


post_only = post_only_answering(_refuse_in_shell)
"""``require_POST`` for staff views: a staff action is a form's button, never an address.

Any other method (a link followed, an address typed or bookmarked) gets a
page inside the staff shell, status 405 with ``Allow: POST``, saying the
action is done from its page and linking to the nearest page above the
address. Put it under ``role_required`` so that the role is checked first.
"""
