import datetime as dt

import pytest

from tests.factories import applicant, roubaix_call
from tirage.applications.models import Channel, Status
from tirage.applications.services import CallClosed, submit_application
from tirage.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_online_submission_is_eligible_and_audited():
    call = roubaix_call()
    now = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
    sub = submit_application(call, applicant(), now=now)
    app = sub.application
    assert sub.created
    assert app.status == Status.ELIGIBLE
    assert len(app.receipt_code) == 9 and app.receipt_code[4] == "-"
    assert not set(app.receipt_code) & set("01OIL")
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["application.created", "application.status_changed"]


def test_same_submission_key_gives_one_application():
    call = roubaix_call()
    now = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
    first = submit_application(call, applicant(), submission_key="k1", now=now)
    second = submit_application(call, applicant(), submission_key="k1", now=now)
    assert second.application.pk == first.application.pk and not second.created
    assert call.applications.count() == 1


def test_online_after_deadline_is_refused_paper_received_after_is_late():
    call = roubaix_call()
    after = dt.datetime(2025, 6, 7, 8, tzinfo=dt.UTC)
    with pytest.raises(CallClosed):
        submit_application(call, applicant(), now=after)
    sub = submit_application(
        call,
        applicant(),
        channel=Channel.PAPER,
        office=call.offices.first(),
        received_on=dt.date(2025, 6, 6),
        now=after,
    )
    assert sub.application.status == Status.ELIGIBLE
    late = submit_application(
        call,
        applicant(given_name="Paul"),
        channel=Channel.PAPER,
        received_on=dt.date(2025, 6, 7),
        now=after,
    ).application
    assert (late.status, late.status_reason) == (
        Status.LATE,
        "Formulaire reçu le 07/06/2025, après la clôture du 06/06/2025 : "
        "hors délai, il ne participe pas au tirage au sort.",
    )


def test_probable_duplicate_waits_for_staff():
    call = roubaix_call()
    now = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
    first = submit_application(call, applicant(), now=now).application
    twin = submit_application(
        call, applicant(family_name="DUPONT", given_name="amelie"), now=now
    ).application
    assert twin.status == Status.RECEIVED
    assert twin.duplicate_of == first and twin.needs_review
