"""The age rule through the form: at least 16 on the reference date (the closing day)."""

import datetime as dt

import pytest

from tests.applications.online import open_call, step1
from tirage.site.dates import french_date

pytestmark = pytest.mark.django_db


def born(day: dt.date) -> dict:
    return step1(birth_day=str(day.day), birth_month=str(day.month), birth_year=str(day.year))


def test_sixteenth_birthday_on_the_reference_date_is_accepted(client):
    call = open_call()
    ref = call.age_date
    response = client.post("/candidater/", born(ref.replace(year=ref.year - 16)))
    assert response.status_code == 302
    assert client.session["application_draft"]["answers"]["birth_date"] == (
        ref.replace(year=ref.year - 16).isoformat()
    )


def test_born_one_day_later_is_refused_with_the_date_in_the_message(client):
    call = open_call()
    ref = call.age_date
    response = client.post(
        "/candidater/", born(ref.replace(year=ref.year - 16) + dt.timedelta(days=1))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_day"] == [
        f"Vous devez avoir au moins 16 ans le {french_date(ref)}."
    ]
    assert "application_draft" not in client.session


def test_age_message_names_the_shipped_closing_day(client):
    """The shipped call (not re-dated) would say « 6 juin 2025 »."""
    assert french_date(dt.date(2025, 6, 6)) == "6 juin 2025"


def test_birth_date_in_the_future_is_refused(client):
    open_call()
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post("/candidater/", born(tomorrow))
    assert response.context["form"].errors["birth_day"] == [
        "La date de naissance ne peut pas être dans le futur."
    ]
