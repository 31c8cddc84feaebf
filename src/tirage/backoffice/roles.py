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


def is_coordinator(user) -> bool:
    return has_role(user, COORDINATOR)


def office_of(user):
    """The user's mairie de quartier (``StaffProfile.office``), or ``None``."""
    from tirage.backoffice.models import StaffProfile

    if not user.is_authenticated:
        return None
    profile = StaffProfile.objects.filter(user=user).select_related("office").first()
    return profile.office if profile else None


def visible_applications(user, queryset=None):
    """The applications ``user`` may see with names and addresses.

    Coordinators: all. Counter agents: the paper applications of their mairie
    and the ones they typed themselves. Anyone else (observers): none.
    """
    from django.db.models import Q

    from tirage.applications.models import Application, Channel

    qs = Application.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return qs
    if has_role(user, COUNTER_AGENT):
        mine = Q(received_by=user)
        office = office_of(user)
        if office is not None:
            mine |= Q(channel=Channel.PAPER, office=office)
        return qs.filter(mine)
    return qs.none()
