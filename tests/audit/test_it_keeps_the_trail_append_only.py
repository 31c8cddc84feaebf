"""The audit trail is append-only: an entry is written once, never changed nor removed."""

from __future__ import annotations

import pytest

from tirage.audit.models import AuditEntry
from tirage.audit.services import history, log_action
from tirage.calls.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    office = Office.objects.create(code="mdq-test", name="Mairie de test")
    return log_action(office, "office.tested", actor_label="test", data={"n": 1})


def test_an_entry_is_written_with_who_what_and_when(entry):
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.object_type, stored.who, stored.data) == (
        "office.tested",
        "calls.office",
        "test",
        {"n": 1},
    )


def test_an_entry_cannot_be_changed(entry):
    entry.reason = "réécrit après coup"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="réécrit")
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_an_entry_cannot_be_removed(entry):
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_history_of_an_object_lists_its_entries_in_order(entry):
    office = Office.objects.get(code="mdq-test")
    second = log_action(office, "office.tested_again", actor_label="test")
    assert list(history(office)) == [entry, second]
