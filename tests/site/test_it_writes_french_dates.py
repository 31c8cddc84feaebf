"""One French date formatter: « 1er juin 2026 », « 3 mars 2026 à 18 h 30 » (Europe/Paris)."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from tirage.calls.models import PARIS
from tirage.site.dates import (
    french_date,
    french_moment,
    french_weekday_date,
    french_weekday_moment,
)


def test_the_first_of_the_month_is_1er_and_the_others_plain():
    assert french_date(dt.date(2026, 6, 1)) == "1er juin 2026"
    assert french_date(dt.date(2025, 6, 6)) == "6 juin 2025"
    assert french_date(dt.date(2025, 8, 11)) == "11 août 2025"  # not « 11er »
    assert french_weekday_date(dt.date(2026, 6, 1)) == "lundi 1er juin 2026"


def test_times_are_read_in_paris_and_written_with_h():
    evening = dt.datetime(2026, 3, 3, 17, 30, tzinfo=dt.UTC)  # 18:30 in Paris (winter)
    assert french_moment(evening) == "3 mars 2026 à 18 h 30"
    late = dt.datetime(2025, 5, 31, 22, 5, tzinfo=dt.UTC)  # already 1 June in Paris
    assert french_date(late) == "1er juin 2025"
    assert french_weekday_moment(late) == "dimanche 1er juin 2025 à 0 h 05"
    assert french_date(dt.datetime(2026, 1, 1, 9, tzinfo=PARIS)) == "1er janvier 2026"


def test_templates_use_the_same_formatter():
    rendered = Template(
        "{% load tirage_site %}{{ d|plain_date }} | {{ d|long_date }} | {{ t|plain_datetime }}"
    ).render(
        Context({"d": dt.date(2026, 6, 1), "t": dt.datetime(2026, 3, 3, 17, 30, tzinfo=dt.UTC)})
    )
    assert rendered == "1er juin 2026 | lundi 1er juin 2026 | 3 mars 2026 à 18 h 30"
