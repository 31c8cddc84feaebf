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


@register.simple_tag(takes_context=True)
def site_title(context) -> str:
    """The name shown in every page header: « Conseil local du numérique – Roubaix ».

    Every page shows it twice (title and header): looked up once per request
    (benchmarks/load.py: the current call's query was a tenth of a form step)."""
    request = context.get("request")
    title = getattr(request, "_tirage_site_title", None)
    if title is None:
        call = Call.objects.current()
        title = (
            "Tirage au sort citoyen" if call is None else f"{call.council_name} – {call.city_name}"
        )
        if request is not None:
            request._tirage_site_title = title
    return title


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
