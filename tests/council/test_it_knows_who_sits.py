"""``Member.is_active(day)``: who sits on a given day, past days included (one rule for
attendance, quorum, convocations and the public roster)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.aftermath import AFTER_DRAW
from tests.council.helpers import install_all
from tirage.council.models import Member

pytestmark = pytest.mark.django_db
START = dt.date(2025, 9, 1)


@pytest.fixture
def members(drawn):
    return install_all(drawn, now=AFTER_DRAW, start=START)


def test_a_member_who_has_since_left_sat_before_leaving(members):
    member = members[0]
    Member.objects.filter(pk=member.pk).update(ended_on=dt.date(2026, 3, 10), end_reason="resigned")
    member.refresh_from_db()
    assert member.is_active(dt.date(2026, 3, 9))  # was wrongly False once anyone had left
    assert not member.is_active(dt.date(2026, 3, 10))  # the day of leaving: no longer sits
    assert not member.is_active(START - dt.timedelta(days=1))  # before the mandate
    on = Member.objects.in_office(dt.date(2026, 3, 9))
    assert member in on and on.count() == 20
    assert member not in Member.objects.in_office(dt.date(2026, 3, 10))


def test_a_mandate_that_ran_out_still_counts_on_its_last_day(members):
    member = members[1]
    last = member.end_date
    Member.objects.filter(pk=member.pk).update(ended_on=last, end_reason="mandate_ended")
    member.refresh_from_db()
    assert member.is_active(last) and not member.is_active(last + dt.timedelta(days=1))
    assert member in Member.objects.in_office(last)
