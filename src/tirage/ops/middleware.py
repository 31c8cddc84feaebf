"""``Cache-Control: no-store`` on every page and file the application answers.

Staff pages, members' pages, exports and letters hold personal data; a shared
computer (a mairie's public terminal) or a proxy must keep none of them. Rather
than listing those views (and missing the next one), every dynamic answer is
``no-store`` unless its view chose a ``Cache-Control`` itself. Static files are
served by WhiteNoise before this middleware and stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
