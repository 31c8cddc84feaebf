"""Helpers of the staff and public pages' tests: a settable clock and the sheet typed through the page."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone


class Clock:
    """``clock.at(moment)``: what ``django.utils.timezone.now()`` answers from then on (pages included)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.monkeypatch = monkeypatch
        self.moment: dt.datetime | None = None
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: self.moment or real())

    def at(self, moment: dt.datetime) -> None:
        self.moment = moment


def sheet(members, *, absent=(), excused=()) -> dict[str, str]:
    """The POST of the register page: everyone present, except ``absent`` and ``excused``."""
    data = {}
    for member in members:
        status = "present"
        if member in absent:
            status = "absent"
        elif member in excused:
            status = "excused"
        data[f"status-{member.pk}"] = status
    return data


def text(response) -> str:
    """The page's HTML with entities decoded (« d'absences », not « d&#x27;absences »)."""
    return html.unescape(response.content.decode())


def url(name: str, *args) -> str:
    return reverse(f"meetings_staff:{name}", args=args)
