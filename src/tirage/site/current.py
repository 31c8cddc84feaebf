"""The call shown on the public site."""

from __future__ import annotations

from tirage.calls.models import Call


def current_call() -> Call | None:
    """The most recent call (latest opening), or ``None`` when there is none."""
    return Call.objects.order_by("-opens_at", "-id").first()
