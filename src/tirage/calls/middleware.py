"""Read the current call once per request (see ``CallQuerySet.current``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tirage.calls.models import forget_current_call, remember_current_call


def current_call_once(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: within one request, ``Call.objects.current()`` queries the database once."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = remember_current_call()
        try:
            return get_response(request)
        finally:
            forget_current_call(token)

    return middleware
