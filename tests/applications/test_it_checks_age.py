"""Age is assessed on the call's reference date (the closing date, 06/06/2025 for Roubaix)."""

import datetime as dt

import pytest

from tests.factories import applicant, roubaix_call
from tirage.applications.eligibility import age_on, ineligibility_reason
from tirage.applications.models import Status
from tirage.applications.services import submit_application

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)


def test_sixteenth_birthday_on_the_reference_date_is_eligible():
    call = roubaix_call()
    assert call.age_date == dt.date(2025, 6, 6)
    app = submit_application(call, applicant(birth_date=dt.date(2009, 6, 6)), now=NOW).application
    assert app.status == Status.ELIGIBLE
    assert app.status_reason == ""


def test_born_one_day_later_is_ineligible_with_the_reason():
    call = roubaix_call()
    app = submit_application(call, applicant(birth_date=dt.date(2009, 6, 7)), now=NOW).application
    assert app.status == Status.INELIGIBLE
    assert app.status_reason == "Âge : 15 ans au 06/06/2025, il faut avoir au moins 16 ans."


def test_born_on_29_february_turns_16_on_29_february_of_a_leap_year():
    call = roubaix_call()
    born = dt.date(2008, 2, 29)
    call.age_reference_date = dt.date(2024, 2, 28)
    assert "15 ans au 28/02/2024" in ineligibility_reason(call, born, "59100", "Roubaix")
    call.age_reference_date = dt.date(2024, 2, 29)
    assert ineligibility_reason(call, born, "59100", "Roubaix") == ""


def test_born_on_29_february_has_a_birthday_on_1_march_in_common_years():
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2025, 2, 28)) == 16
    assert age_on(born, dt.date(2025, 3, 1)) == 17
    call = roubaix_call()
    call.min_age = 17
    call.age_reference_date = dt.date(2025, 2, 28)
    assert ineligibility_reason(call, born, "59100", "Roubaix").startswith(
        "Âge : 16 ans au 28/02/2025"
    )
    call.age_reference_date = dt.date(2025, 3, 1)
    assert ineligibility_reason(call, born, "59100", "Roubaix") == ""
