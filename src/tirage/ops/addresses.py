"""Addresses of the site's pages: the page above an action's address."""

from __future__ import annotations

from django.urls import Resolver404, resolve


def page_above(path: str, *, fallback: str) -> str:
    """The nearest page above ``path`` that answers a GET, else ``fallback``.

    ``/gestion/avis/3/envoyer/`` → ``/gestion/avis/3/``; an address whose view is marked
    ``post_only`` (an action) is skipped. Used by the French 405 pages of the staff shell
    and of the members' space, to link back to where the action's button is."""
    parts = path.strip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/" + "/".join(parts) + "/"
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if not getattr(match.func, "post_only", False):
            return candidate
    return fallback
