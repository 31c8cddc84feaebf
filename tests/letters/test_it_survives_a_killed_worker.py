"""Fault test: the real worker is killed with SIGKILL while it lays out the letters after
the draw; nothing is published (no batch, no letter, no e-mail queued), the council
page says « interrompue », the coordinator restarts it, a new worker completes it.

PostgreSQL only: the worker must reach the test database.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.workers import start_worker, wait_for, worker_env
from tirage.audit.models import AuditEntry
from tirage.council.models import CouncilLetter
from tirage.letters.models import Batch, BatchRun, Letter
from tirage.letters.tasks import send_copy

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a second process needs PostgreSQL"
    ),
]

COUNCIL = "/gestion/conseil/"


def test_killed_letters_publish_nothing_and_the_rerun_completes(
    drawn, settings, client, coordinator
):
    settings.TASK_STALE_SECONDS = 2
    client.force_login(coordinator)
    assert client.post(f"{COUNCIL}courriers/").status_code == 302
    env = worker_env(settings, heartbeat=0.3)
    launched = time.monotonic()
    worker = start_worker(env)
    seen = []

    def caught_laying_out():
        row = BatchRun.objects.values_list("status", "stage", "done", "total").get()
        if not seen or seen[-1] != row:
            seen.append(row)
        if row[1] == "layout" and row[2] >= 3:
            worker.kill_group()  # SIGKILL at once, mid-layout
            return True
        return False

    try:
        wait_for(caught_laying_out, timeout=120, what=lambda: f"letters under way ({seen})")
    finally:
        worker.kill_group()
    print(f"killed after {time.monotonic() - launched:.1f} s at {seen[-1]}")  # noqa: T201
    run = BatchRun.objects.get()
    assert run.status == BatchRun.Status.RUNNING and 3 <= run.done < run.total == 30
    # Nothing half-published: no batch, no letter, no seat linked to a letter, no e-mail queued.
    assert not Batch.objects.exists() and not Letter.objects.exists()
    assert not CouncilLetter.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=send_copy.module_path).exists()
    assert (
        'Production des courriers : <span id="courriers-etape" aria-live="polite">mise en page'
        in (client.get(COUNCIL).text)
    )

    def shown_interrupted():
        return "La production des courriers est interrompue." in client.get(COUNCIL).text

    wait_for(shown_interrupted, timeout=60, what="« interrompue » on the council page")
    page = client.get(COUNCIL).text
    assert "Relancer la production des courriers</button>" in page
    assert "Aucun courrier n&#x27;a été publié" in page or "Aucun courrier n'a été publié" in page

    response = client.post(f"{COUNCIL}courriers/relancer/")
    assert response.status_code == 302
    restart = AuditEntry.objects.get(action="letters.run_restarted")
    assert restart.actor == coordinator and restart.data["done_before"] >= 3
    again = start_worker(env, batch=True)
    assert again.wait(timeout=240) == 0
    run.refresh_from_db()
    assert run.status == BatchRun.Status.DONE and run.run_number == 1, (run.error, seen)
    batch = Batch.objects.get()
    assert run.batch == batch and batch.letters.count() == 30
    assert CouncilLetter.objects.filter(letter__batch=batch).count() == 4 * 5
    # The e-mail copies were queued with the batch and sent by the same worker.
    sent = DBTaskResult.objects.filter(task_path=send_copy.module_path)
    assert sent.count() == 30 and set(sent.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Letter.objects.filter(emailed_at__isnull=False).count() == 30
    assert "Les courriers du tirage sont produits" in client.get(COUNCIL).text
