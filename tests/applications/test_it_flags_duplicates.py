import datetime as dt

import pytest

from tests.factories import applicant, roubaix_call
from tirage.applications.models import Status
from tirage.applications.services import submit_application

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)


def test_names_differing_by_accents_case_and_hyphens_are_flagged_and_kept():
    call = roubaix_call()
    first = submit_application(
        call, applicant(family_name="Lefèvre-Dupont", given_name="Élodie Marie-Claire"), now=NOW
    ).application
    second = submit_application(
        call, applicant(family_name="LEFEVRE DUPONT", given_name="ELODIE MARIE CLAIRE"), now=NOW
    ).application
    assert call.applications.count() == 2
    assert first.status == Status.ELIGIBLE and not first.needs_review
    assert second.status == Status.RECEIVED
    assert second.duplicate_of == first
    assert second.needs_review
    assert second.review_note == f"Doublon probable de {first.receipt_code}."
    assert first.identity_key == second.identity_key == "lefevredupont|elodiemarieclaire|1980-03-14"


def test_same_names_other_birth_date_is_not_a_duplicate():
    call = roubaix_call()
    submit_application(call, applicant(given_name="Élodie"), now=NOW)
    other = submit_application(
        call, applicant(given_name="ELODIE", birth_date=dt.date(1980, 3, 15)), now=NOW
    ).application
    assert other.duplicate_of is None and other.status == Status.ELIGIBLE
