"""One set of accounts for every test: a coordinator, counter agents, an observer, anonymous.

``make_staff(username, role, office)`` makes a staff account as ``tirage create_staff``
does (the role's group, the ``StaffProfile`` with the agent's mairie); the fixtures of
``tests/conftest.py`` (``coordinator``, ``agent_nord``, ``agent_sud``, ``observer``,
``anonymous``, ``as_user``) use it. Council members get theirs with the members' space.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from tirage.backoffice.models import StaffProfile
from tirage.backoffice.roles import ensure_groups
from tirage.calls.models import Office

PASSWORD = "motdepasse-solide-42"


def make_staff(username: str, role: str | None, office: Office | str | None = None) -> User:
    """A user in ``role``'s group (``None``: signed in, no role) with a staff profile.

    ``office``: the counter agent's mairie de quartier, an ``Office`` or its code.
    """
    ensure_groups()
    user = User.objects.create_user(username, password=PASSWORD)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if isinstance(office, str):
        office = Office.objects.get(code=office) if office else None
    StaffProfile.objects.create(user=user, office=office)
    return user
