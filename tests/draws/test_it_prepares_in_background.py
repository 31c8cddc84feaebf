"""The real background process (``tirage prepare_draw ID``) writes its progress where the page reads it.

PostgreSQL only: the process must reach the test database (SQLite's test
database lives in this process's memory).
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.draws.conftest import AFTER_DEADLINE, fill_pool
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import freeze_pool

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a second process needs PostgreSQL"
    ),
]


def test_background_preparation_reports_progress_then_done(
    call, settings, monkeypatch, client, observer
):
    fill_pool(call, per_secteur=12)  # 60 applicants
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool, panels=10000)
    db = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL", f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    monkeypatch.setenv("TIRAGE_DATA_DIR", str(settings.DATA_DIR))
    services.start_preparation(draw)

    client.force_login(observer)
    seen = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        row = Draw.objects.values_list(
            "status", "progress_stage", "progress_done", "progress_total"
        ).get(pk=draw.pk)
        if not seen or seen[-1] != row:
            seen.append(row)
            if row[0] in (Draw.Status.PENDING, Draw.Status.RUNNING):
                followed = client.get("/gestion/tirage/", {"suivi": "auto"}).content.decode()
                finished = Draw.objects.get(pk=draw.pk).status not in (
                    Draw.Status.PENDING,
                    Draw.Status.RUNNING,
                )
                assert 'http-equiv="refresh"' in followed or finished
        if row[0] in (Draw.Status.PREPARED, Draw.Status.FAILED):
            break
        time.sleep(0.02)
    draw.refresh_from_db()
    assert draw.status == Draw.Status.PREPARED, (draw.error, seen)
    assert draw.progress_stage == "done" and len(draw.commitment) == 64
    assert services.bundle_file(draw).is_file()
    # The page saw the computation move: running, and LEXIMIN counts (when caught) rising within the pool.
    assert any(s == Draw.Status.RUNNING for s, *_ in seen), seen
    leximin = [(d, t) for s, stage, d, t in seen if stage == "leximin"]
    assert [d for d, _ in leximin] == sorted(d for d, _ in leximin)
    assert all(0 < d <= 60 and t == 60 for d, t in leximin), leximin
    page = client.get("/gestion/tirage/").content.decode()
    assert "loterie calculée" in page and "<progress" not in page
