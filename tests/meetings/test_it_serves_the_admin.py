"""Admin: every model of the council's life is listed; the rules are edited there (audited); the rest is read-only."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.meetings.helpers import at, hold, plenary
from tirage.audit.models import AuditEntry
from tirage.meetings.models import Rules

MODELS = [
    "rules",
    "rulesdocument",
    "acknowledgement",
    "workinggroup",
    "groupmembership",
    "meeting",
    "agendasuggestion",
    "convocation",
    "attendance",
    "decision",
    "minutes",
    "amendment",
    "absencecase",
]


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("chef", password="x"))
    return client


def test_every_list_answers_and_nothing_but_the_rules_can_be_added_or_changed(
    admin_client, council
):
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 1))
    hold(meeting, everyone=council.members)
    for model in MODELS:
        response = admin_client.get(reverse(f"admin:meetings_{model}_changelist"))
        assert response.status_code == 200, model
        assert admin_client.get(reverse(f"admin:meetings_{model}_add")).status_code == 403, model
    page = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # view only


def test_rules_changed_in_the_admin_are_audited(admin_client, council):
    rules = Rules.for_call(council.call)
    url = reverse("admin:meetings_rules_change", args=[rules.pk])
    data = {
        name: getattr(rules, name)
        for name in Rules.EDITABLE
        if not isinstance(getattr(rules, name), bool)
    }
    data.update({name: "on" for name in Rules.EDITABLE if getattr(rules, name) is True})
    data["absence_limit"] = 4
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rules.objects.get(pk=rules.pk).absence_limit == 4
    entry = AuditEntry.objects.get(action="rules.changed")
    assert entry.data == {"changes": [{"field": "absence_limit", "before": 3, "after": 4}]}
    assert entry.actor.username == "chef"
