"""Template helpers of the public site."""

from __future__ import annotations

import datetime as dt

from django import template

from tirage.calls.models import Call
from tirage.site.dates import (
    french_date,
    french_moment,
    french_time,
    french_weekday_date,
    french_weekday_moment,
)

register = template.Library()


@register.simple_tag
def site_title() -> str:
    """The name shown in every page header: « Conseil local du numérique – Roubaix ».

    Every page shows it twice (title and header); ``Call.objects.current()`` is read once
    per request (``tirage.calls.middleware.current_call_once``)."""
    call = Call.objects.current()
    return "Tirage au sort citoyen" if call is None else f"{call.council_name} – {call.city_name}"


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    """« vendredi 6 juin 2025 » (datetimes are read in Europe/Paris)."""
    return french_weekday_date(value) if value is not None else ""


@register.filter
def long_datetime(value: dt.datetime | None) -> str:
    """« vendredi 6 juin 2025 à 23 h 59 » in Europe/Paris."""
    return french_weekday_moment(value) if value is not None else ""


@register.filter(name="french_time")
def french_time_filter(value: dt.datetime | dt.time | None) -> str:
    """« 18 h 30 », « 9 h 05 » in Europe/Paris: the only way a template writes a time alone."""
    return french_time(value) if value is not None else ""


@register.filter
def plain_date(value: dt.date | dt.datetime | None) -> str:
    """« 6 juin 2025 », « 1er juin 2026 » (no weekday)."""
    return french_date(value) if value is not None else ""


@register.filter
def plain_datetime(value: dt.datetime | None) -> str:
    """« 3 mars 2026 à 18 h 30 »."""
    return french_moment(value) if value is not None else ""
