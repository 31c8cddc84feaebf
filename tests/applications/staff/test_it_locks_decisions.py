"""Two staff members deciding at once: the second waits and builds on the first (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tirage.applications.models import Application, Status
from tirage.audit.services import history

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_second_decision_waits_for_the_first(coordinator, online_app):
    app = online_app()
    started = threading.Event()

    def first_decision():
        try:
            with transaction.atomic():
                locked = Application.objects.select_for_update().get(pk=app.pk)
                started.set()
                time.sleep(0.5)  # the other decision arrives meanwhile and must wait
                locked.change_status(
                    Status.WITHDRAWN, actor=coordinator, reason="Retrait par courrier"
                )
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_decision)
    thread.start()
    started.wait(5)
    app.decide("ineligible", actor=coordinator, reason="Habite hors de la commune")
    thread.join()
    changes = [e.data for e in history(app) if e.action == "application.status_changed"]
    assert changes[-2:] == [
        {"from": "eligible", "to": "withdrawn"},
        {"from": "withdrawn", "to": "ineligible"},  # not "eligible": it read after the lock
    ]
