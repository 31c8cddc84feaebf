"""Staff roles, as Django groups.

* **coordinator** (« coordination ») — everything for the call;
* **counter agent** (« agent d'accueil ») — types in paper forms and sees the
  applications of their own mairie de quartier (``StaffProfile.office``);
* **observer** (« observateur ») — counts and anonymous statistics only.

Superusers count as coordinators.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

COORDINATOR = "coordination"
COUNTER_AGENT = "agent d'accueil"
OBSERVER = "observateur"
ROLES = (COORDINATOR, COUNTER_AGENT, OBSERVER)


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {COORDINATOR}
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def can_see_personal_data(user) -> bool:
    return has_role(user, COORDINATOR, COUNTER_AGENT)


def role_required(*roles: str):
    """View decorator: logged in (else redirect to login) and one of ``roles`` (else 403)."""

    def decorator(view):
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
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)
