"""Month arithmetic for mandates."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the day is clamped to the month's length (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def mandate_end(start: dt.date, months: int) -> dt.date:
    """Last day of a mandate of ``months`` starting on ``start`` (a two-year mandate from 1 Jul 2025 ends 30 Jun 2027)."""
    return add_months(start, months) - dt.timedelta(days=1)
