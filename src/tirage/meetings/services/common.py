"""Small helpers shared by the services of the council's life."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tirage.calls.models import PARIS
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Source


def user_or_none(actor):
    """``actor`` when it is a logged-in user (for ``recorded_by`` fields), else ``None``."""
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_label(source: str) -> str:
    """Who acted for the audit trail when there is no staff user: the member online."""
    return "membre (en ligne)" if source == Source.ONLINE else ""


def check_source(source: str) -> None:
    if source not in Source.values:
        raise ValueError(f"unknown source {source!r}")


def aware(value: dt.datetime) -> dt.datetime:
    """A naive datetime is read in Europe/Paris (the council's time)."""
    return value if timezone.is_aware(value) else value.replace(tzinfo=PARIS)


def validated(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` with the first error turned into a ``MeetingError`` (field kept)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        errors = [m for messages in fields.values() for m in messages]
        field = next(iter(fields))
        raise MeetingError(
            errors[0] if len(errors) == 1 else " ".join(errors),
            field=field if field != "__all__" else None,
            errors=errors,
        ) from exc
