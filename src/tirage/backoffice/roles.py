"""Staff roles, as Django groups, and the one role check of every staff page.

* **coordinator** (« coordination ») — everything for the call and the council;
* **counter agent** (« agent d'accueil ») — types in paper forms and sees the
  applications of their own mairie de quartier (``StaffProfile.office``);
* **observer** (« observateur ») — counts, anonymous statistics and the draw, read only.

Superusers count as coordinators. A view says who may use it with
``@role_required(COORDINATOR, …)``; a template or a navigation entry asks
``has_role(user, …)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from tirage.backoffice.models import StaffProfile
from tirage.calls.models import Office

COORDINATOR = "coordination"
COUNTER_AGENT = "agent d'accueil"
OBSERVER = "observateur"
ROLES = (COORDINATOR, COUNTER_AGENT, OBSERVER)
ALL_STAFF = ROLES
PERSONAL_DATA = (COORDINATOR, COUNTER_AGENT)


def roles_of(user: Any) -> set[str]:
    """The role names of ``user`` (none when signed out; a superuser is a coordinator)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {COORDINATOR}
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def has_role(user: Any, *roles: str) -> bool:
    """Whether ``user`` has one of ``roles``."""
    return bool(roles_of(user) & set(roles))


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: signed in (else the login page) and one of ``roles`` (else 403)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def ensure_groups() -> None:
    """Create the role groups (idempotent)."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def office_of(user: Any) -> Office | None:
    """The user's mairie de quartier (``StaffProfile.office``), or ``None``."""
    if not user.is_authenticated:
        return None
    profile = StaffProfile.objects.filter(user=user).select_related("office").first()
    return profile.office if profile else None
