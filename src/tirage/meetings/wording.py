"""French wording shared by the council's messages: dates, times, names, counts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirage.letters.services import french_date


def day(value: dt.date | dt.datetime) -> str:
    """« 3 mars 2026 », « 1er juin 2026 » (datetimes read in Europe/Paris)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return french_date(value)


def moment(value: dt.datetime) -> str:
    """« 3 mars 2026 à 18 h 30 » in Europe/Paris."""
    local = timezone.localtime(value)
    return f"{french_date(local.date())} à {local.hour} h {local.minute:02d}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 membre », « 3 membres » (French: 0 and 1 take the singular)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"
