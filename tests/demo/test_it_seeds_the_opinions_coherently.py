"""The demo's opinions are seeded as a council that kept up with its work: no stale notice left to send."""

import datetime as dt

import pytest

from tests.meetings.helpers import installed_council
from tirage.audit.models import AuditEntry
from tirage.demo.opinions import seed_opinions
from tirage.opinions.alerts import deadline_alerts
from tirage.opinions.models import AnswerNotice, CityResponse

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)


def test_members_were_told_of_each_answer_the_day_it_was_recorded():
    council = installed_council()
    seed_opinions(call=council.call, today=TODAY)
    responses = CityResponse.objects.filter(opinion__call=council.call).order_by("received_on")
    assert [r.received_on for r in responses] == [dt.date(2026, 5, 5), dt.date(2026, 8, 28)]
    notices = AnswerNotice.objects.filter(response__in=responses)
    assert notices.count() == 2 * 20 * 2  # 20 members in office, by letter and by e-mail
    assert not notices.filter(delivered_at=None).exists()
    for response in responses:
        told = {n.delivered_at.date() for n in response.notices.all()}
        assert told == {response.received_on + dt.timedelta(days=1)}
    assert AuditEntry.objects.filter(action="answer.notices_delivered").count() == 2
    alerts = [a.text for a in deadline_alerts(call_id=council.call.pk, today=TODAY)]
    assert not [text for text in alerts if "des membres à envoyer" in text]
    assert alerts  # the demo still has what is really due (a late answer, commitments)
    # A second run changes nothing.
    seed_opinions(call=council.call, today=TODAY)
    assert AnswerNotice.objects.filter(delivered_at=None).count() == 0
