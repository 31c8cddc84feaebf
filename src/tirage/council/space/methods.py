"""``space_post_only``: the members' space answers a GET on an action in French, not blank."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tirage.ops.addresses import page_above

SPACE_HOME = "/espace-membre/"


def space_post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``require_POST`` for the members' space: an action is a form's button. Another
    method (an address typed, bookmarked, an old link) gets a page of the space, status
    405 with ``Allow: POST``, saying so in plain French and linking to the page above —
    Django's ``require_POST`` answers an empty page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            response = render(
                request,
                "council/space/405.html",
                {"back": page_above(request.path, fallback=SPACE_HOME)},
                status=405,
            )
            response["Allow"] = "POST"
            return response
        return view(request, *args, **kwargs)

    wrapper.post_only = True  # type: ignore[attr-defined]
    return wrapper
