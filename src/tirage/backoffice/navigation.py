"""The staff menu: each app registers its pages; the shell shows those the role may use.

An app adds its entries in its ``AppConfig.ready()``::

    from tirage.backoffice.navigation import NavEntry, register
    register(NavEntry("Tirage au sort", "draws_staff:overview", roles=(COORDINATOR, OBSERVER),
                      order=40, section="draws_staff"))

The shell (``backoffice/base.html``, tag ``staff_nav``) lists, in ``order``, the
entries whose ``roles`` include one of the user's, and marks the current page
(``aria-current="page"``): the entry's own view, one of ``also``, or any view of
its URL namespace ``section``. The shell knows no app: apps know the shell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from tirage.backoffice.roles import roles_of


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100
    also: tuple[str, ...] = field(default_factory=tuple)  # other view names of the same page
    section: str = ""  # a URL namespace whose every view belongs to this entry


_ENTRIES: dict[str, NavEntry] = {}


def register(*entries: NavEntry) -> None:
    """Add (or replace, by ``url_name``) staff menu entries."""
    for entry in entries:
        _ENTRIES[entry.url_name] = entry


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def links_for(user: Any, view_name: str = "") -> list[NavLink]:
    """The menu of ``user`` (entries of their roles, in order) with the current page marked."""
    mine = roles_of(user)
    links = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.label)):
        if not mine & set(entry.roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an app whose URLs are not mounted (a partial project)
            continue
        current = view_name == entry.url_name or view_name in entry.also
        if entry.section and view_name.startswith(entry.section + ":"):
            current = True
        links.append(NavLink(entry.label, url, current))
    return links
