"""Which call the back office works on."""

from __future__ import annotations

from django.http import Http404

from tirage.calls.models import Call
from tirage.site.current import current_call as site_current_call


def current_call() -> Call | None:
    """The call opened most recently (the back office works on one call at a time, as the site)."""
    return site_current_call()


def current_call_or_404() -> Call:
    call = current_call()
    if call is None:
        raise Http404("Aucun appel à candidatures n'est chargé (tirage load_call).")
    return call
