"""``/health/``: 200 with the queue's figures when the database answers, 503 when it does not."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tirage.applications.tasks import send_receipt

pytestmark = pytest.mark.django_db


def test_healthy_with_an_empty_queue():
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks_waiting": 0,
        "oldest_task_waiting_seconds": 0,
    }
    assert "sessionid" not in response.cookies


def test_a_queue_nobody_works_on_shows():
    result = send_receipt.enqueue(application_id=1)  # waiting: no worker runs
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    body = Client().get("/health/").json()
    assert body["tasks_waiting"] == 1
    assert 595 <= body["oldest_task_waiting_seconds"] <= 610


def test_unreachable_database_answers_503(tmp_path):
    """A real PostgreSQL address where nothing listens (port 1): a separate process."""
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health/');"
        "print(r.status_code, r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIRAGE_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tirage.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/tirage",
        TIRAGE_DATA_DIR=str(tmp_path),
        TIRAGE_ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == '503 {"status": "error", "database": "error"}', result.stderr
