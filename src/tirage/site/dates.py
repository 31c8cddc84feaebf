"""French dates, one way everywhere: « 1er juin 2026 », « 3 mars 2026 à 18 h 30 ».

Letters, e-mails, pages, PDFs and the council's messages all write dates through
these functions (templates through the ``tirage_site`` filters ``plain_date``,
``long_date``, ``long_datetime``, ``french_time``). The first of the month is « 1er » (French
typographic usage, Imprimerie nationale); times are « 18 h 30 ». Aware datetimes
are read in the current time zone (Europe/Paris).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def french_date(value: dt.date | dt.datetime) -> str:
    """« 6 juin 2025 », « 1er juin 2026 »."""
    day = _day(value)
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def french_weekday_date(value: dt.date | dt.datetime) -> str:
    """« vendredi 6 juin 2025 », « lundi 1er juin 2026 »."""
    day = _day(value)
    return f"{WEEKDAYS[day.weekday()]} {french_date(day)}"


def french_time(value: dt.datetime | dt.time) -> str:
    """« 18 h 30 », « 9 h 05 », « 20 h 00 » (French typographic usage: spaces around « h »)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.hour} h {value.minute:02d}"


def french_moment(value: dt.datetime) -> str:
    """« 3 mars 2026 à 18 h 30 »."""
    return f"{french_date(value)} à {french_time(value)}"


def french_weekday_moment(value: dt.datetime) -> str:
    """« vendredi 6 juin 2025 à 23 h 59 »."""
    return f"{french_weekday_date(value)} à {french_time(value)}"
