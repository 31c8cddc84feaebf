"""Addresses of the site's pages: the page above an action's address, and the refusal
of an action's address opened without its form (``post_only_answering``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
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


def post_only_answering(
    refusal: Callable[[HttpRequest], HttpResponse],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A ``require_POST`` whose refusal is a page of the site, not Django's empty 405.

    ``refusal(request)`` renders that page (linking back with :func:`page_above` and its
    own fallback); the decorator sets status 405 and
    ``Allow: POST``, and marks the view ``post_only`` so that :func:`page_above` skips it.
    Used by the staff shell (``backoffice.shell.post_only``) and the members' space
    (``council.space.methods.space_post_only``)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                response = refusal(request)
                response.status_code = 405
                response["Allow"] = "POST"
                return response
            return view(request, *args, **kwargs)

        wrapper.post_only = True  # type: ignore[attr-defined]
        return wrapper

    return decorator
