"""Template helpers of the public site."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone

from tirage.calls.models import Call

register = template.Library()


@register.simple_tag
def site_title() -> str:
    """The name shown in every page header: « Conseil local du numérique – Roubaix »."""
    call = Call.objects.current()
    if call is None:
        return "Tirage au sort citoyen"
    return f"{call.council_name} – {call.city_name}"


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    """« vendredi 6 juin 2025 » (datetimes are read in Europe/Paris)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "l j F Y")


@register.filter
def long_datetime(value: dt.datetime | None) -> str:
    """« vendredi 6 juin 2025 à 23 h 59 » in Europe/Paris."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'l j F Y')} à {local.hour} h {local.minute:02d}"


@register.filter
def plain_date(value: dt.date | dt.datetime | None) -> str:
    """« 6 juin 2025 » (no weekday)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j F Y")
