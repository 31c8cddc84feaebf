"""Housekeeping: expired sessions (abandoned form drafts), flood counters and pending import
files go, hourly, from a task that reschedules itself; pending files are 0600."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.applications.intake_helpers import csv_bytes, row
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.applications import spreadsheet_views
from tirage.applications.models import Channel, FormCounter
from tirage.backoffice.roles import COORDINATOR
from tirage.ops.housekeeping import ensure_scheduled, housekeeping, run_jobs

pytestmark = pytest.mark.django_db


def test_the_jobs_remove_expired_drafts_and_old_counters():
    old = SessionStore()
    old["application_draft"] = {"answers": {"family_name": "Dupont"}}
    old.set_expiry(1)
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )
    live = SessionStore()
    live["application_draft"] = {"answers": {"family_name": "Martin"}}
    live.create()
    FormCounter.objects.create(
        scope="ip", key="x", event="accepted", window=timezone.now() - dt.timedelta(days=8)
    )
    results = run_jobs()
    assert results["form_counters"] == "1" and results["pending_imports"] == "0"
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert not FormCounter.objects.exists()


def test_a_lasting_worker_queues_one_run_which_queues_the_next():
    assert ensure_scheduled() is True
    assert ensure_scheduled() is False  # one is waiting already
    waiting = DBTaskResult.objects.get(task_path=housekeeping.module_path)
    waiting.delete()
    results = housekeeping.call()
    assert "sessions" in results
    later = DBTaskResult.objects.get(task_path=housekeeping.module_path)
    assert later.run_after > timezone.now() + dt.timedelta(minutes=59)


def test_the_housekeeping_command_runs_the_jobs(capsys):
    call_command("housekeeping")
    out = capsys.readouterr().out
    assert "sessions : None" in out and "form_counters : 0" in out


def test_a_verified_import_keeps_its_file_0600_for_an_hour_only(client, settings):
    call = roubaix_call(open_on=dt.date.today())
    client.force_login(make_staff("coord", COORDINATOR))
    response = client.post(
        reverse("applications_staff:import", kwargs={"slug": call.slug}),
        {
            "file": SimpleUploadedFile("c.csv", csv_bytes([row()])),
            "mode": "all_or_nothing",
            "channel": Channel.PAPER,
            "office": call.offices.first().pk,
            "verify": "1",
        },
    )
    assert "Le fichier est correct" in response.content.decode()
    (kept,) = list((settings.DATA_DIR / "imports").iterdir())
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert spreadsheet_views.forget_old_pending() == 0
    an_hour_ago = time.time() - spreadsheet_views.PENDING_SECONDS - 1
    os.utime(kept, (an_hour_ago, an_hour_ago))
    assert run_jobs()["pending_imports"] == "1"
    assert not kept.exists()
