"""``space_post_only``: the members' space answers a GET on an action in French, not blank."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tirage.ops.addresses import page_above, post_only_answering

SPACE_HOME = "/espace-membre/"


def _refuse_in_space(request: HttpRequest) -> HttpResponse:
    back = page_above(request.path, fallback=SPACE_HOME)
    return render(request, "council/space/405.html", {"back": back}, status=405)


space_post_only = post_only_answering(_refuse_in_space)
"""``require_POST`` for the members' space: an action is a form's button. Another
method (an address typed, bookmarked, an old link) gets a page of the space, status
405 with ``Allow: POST``, saying so in plain French and linking to the page above —
Django's ``require_POST`` answers an empty page."""
