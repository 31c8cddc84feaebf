"""The deadline is 23:59:59 on the closing day in Europe/Paris, including on DST-change days.

UTC instants computed by hand:
* Sunday 26/10/2025, DST ends at 03:00 CEST → 02:00 CET: the evening is CET (UTC+1).
  23:59:59 CET = 22:59:59 UTC; 00:00:00 on Monday 27/10 CET = 23:00:00 UTC on the 26th.
* Sunday 30/03/2025, DST starts at 02:00 CET → 03:00 CEST: the evening is CEST (UTC+2).
  23:59:59 CEST = 21:59:59 UTC; 00:00:00 on Monday 31/03 CEST = 22:00:00 UTC on the 30th.
"""

import datetime as dt

import pytest

from tests.factories import applicant
from tirage.applications.models import Channel, Status
from tirage.applications.services import CallClosed, submit_application
from tirage.calls.callfile import load_call, read_call_file

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def call_closing_on(day: dt.date, opens: str):
    data = read_call_file()
    data["opens_at"] = dt.datetime.fromisoformat(opens)
    data["closing_date"] = day
    data["draw_date"] = day + dt.timedelta(days=7)
    data["slug"] = f"dst-{day:%Y%m%d}"
    return load_call(data)


def test_closing_on_the_last_sunday_of_october():
    call = call_closing_on(dt.date(2025, 10, 26), "2025-10-01T00:00:00+02:00")
    assert call.closes_at == dt.datetime(2025, 10, 26, 22, 59, 59, tzinfo=UTC)
    last = submit_application(
        call, applicant(), now=dt.datetime(2025, 10, 26, 22, 59, 59, tzinfo=UTC)
    )
    assert last.application.status == Status.ELIGIBLE
    # Still within the second 23:59:59 (Paris).
    assert call.is_open(dt.datetime(2025, 10, 26, 22, 59, 59, 999_000, tzinfo=UTC))
    with pytest.raises(CallClosed):
        submit_application(
            call, applicant(given_name="Paul"), now=dt.datetime(2025, 10, 26, 23, 0, 0, tzinfo=UTC)
        )


def test_closing_on_the_last_sunday_of_march():
    call = call_closing_on(dt.date(2025, 3, 30), "2025-03-01T00:00:00+01:00")
    assert call.closes_at == dt.datetime(2025, 3, 30, 21, 59, 59, tzinfo=UTC)
    last = submit_application(
        call, applicant(), now=dt.datetime(2025, 3, 30, 21, 59, 59, tzinfo=UTC)
    )
    assert last.created
    with pytest.raises(CallClosed):
        submit_application(
            call, applicant(given_name="Paul"), now=dt.datetime(2025, 3, 30, 22, 0, 0, tzinfo=UTC)
        )
    assert call.applications.count() == 1


def test_paper_form_handed_in_on_the_closing_day_is_typed_in_later():
    call = call_closing_on(dt.date(2025, 10, 26), "2025-10-01T00:00:00+02:00")
    office = call.offices.get(code="mdq-nord")
    later = dt.datetime(2025, 10, 29, 9, 0, tzinfo=UTC)
    sub = submit_application(
        call, applicant(), channel=Channel.PAPER, office=office,
        received_on=dt.date(2025, 10, 26), now=later,
    )  # fmt: skip
    assert sub.application.received_on == dt.date(2025, 10, 26)
    assert sub.application.office == office
    late = submit_application(
        call, applicant(given_name="Paul"), channel=Channel.PAPER, office=office,
        received_on=dt.date(2025, 10, 27), now=later,
    ).application  # fmt: skip
    assert late.status == Status.LATE and "reçu le 27/10/2025" in late.status_reason


def test_paper_form_without_reception_date_counts_as_handed_in_today_in_paris():
    call = call_closing_on(dt.date(2025, 3, 30), "2025-03-01T00:00:00+01:00")
    office = call.offices.get(code="mdq-centre")
    # 21:30 UTC on the 30th is 23:30 in Paris: still the closing day.
    sub = submit_application(
        call, applicant(), channel=Channel.PAPER, office=office,
        now=dt.datetime(2025, 3, 30, 21, 30, tzinfo=UTC),
    )  # fmt: skip
    assert sub.application.received_on == dt.date(2025, 3, 30)
    # 22:30 UTC is 00:30 on the 31st in Paris: too late without an earlier reception date.
    late = submit_application(
        call, applicant(given_name="Paul"), channel=Channel.PAPER, office=office,
        now=dt.datetime(2025, 3, 30, 22, 30, tzinfo=UTC),
    ).application  # fmt: skip
    assert late.status == Status.LATE and "reçu le 31/03/2025" in late.status_reason
