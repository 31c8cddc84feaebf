"""Who must give a second factor (``TWO_FACTOR_ROLES``, from ``TIRAGE_TWO_FACTOR_ROLES``).

Keys: ``coordinator``, ``agent`` (counter agents), ``observer``, ``admin``
(Django admin access: staff or superuser). Whoever has set up an
authenticator app must use it, whatever the role.
"""

from __future__ import annotations

from django.conf import settings
from django_otp import user_has_device

from tirage.backoffice import roles

ROLE_KEYS = {
    "coordinator": roles.COORDINATOR,
    "agent": roles.COUNTER_AGENT,
    "observer": roles.OBSERVER,
}
ADMIN = "admin"
KEYS = (*ROLE_KEYS, ADMIN)


def role_requires_two_factor(user) -> bool:
    """True when one of ``user``'s roles is in ``TWO_FACTOR_ROLES``."""
    if not user.is_authenticated:
        return False
    wanted = set(settings.TWO_FACTOR_ROLES)
    if ADMIN in wanted and (user.is_staff or user.is_superuser):
        return True
    groups = {ROLE_KEYS[key] for key in wanted if key in ROLE_KEYS}
    return bool(groups and roles.roles_of(user) & groups)


def must_verify(user) -> bool:
    """True when ``user`` signs in with a second factor (role, or a device already set up)."""
    return role_requires_two_factor(user) or user_has_device(user, confirmed=True)
