"""A call after its public draw, for the letters and council tests.

The draw rows are real (frozen pool, draw, result, files on disk); only the
lottery computation is skipped: the panel and the reserve order are chosen
here so that tests know who should replace whom.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.conf import settings

from tests.draws.conftest import AFTER_DEADLINE, fill_pool
from tests.factories import roubaix_call
from tirage.calls.models import PARIS
from tirage.draws.models import Draw, DrawResult
from tirage.draws.pool import freeze_pool

DRAWN_AT = dt.datetime(2025, 6, 13, 10, 30, tzinfo=PARIS)
AFTER_DRAW = dt.datetime(2025, 6, 16, 9, 0, tzinfo=PARIS)


class Drawn:
    """``call``, ``result``, ``apps`` (receipt code → Application) and ``by_slot`` ((secteur, i) → code)."""

    def __init__(self, call, result, apps, by_slot):
        self.call, self.result, self.apps, self.by_slot = call, result, apps, by_slot

    @property
    def draw(self):
        return self.result.draw


def drawn_call(*, reserve_slots=None, per_secteur: int = 6) -> Drawn:
    """Roubaix call, ``per_secteur`` applicants per secteur (i even: femme), drawn.

    Selected: i = 0..3 of every secteur (4 per secteur, 10 women, 10 men).
    Reserve order: ``reserve_slots`` (list of (secteur, i)) first, then the
    others by secteur and i.
    """
    call = roubaix_call()
    apps = fill_pool(call, per_secteur=per_secteur)
    by_slot = {}
    for index, app in enumerate(apps):
        secteur = app.secteur
        by_slot[(secteur, index % per_secteur)] = app.receipt_code
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    selected = sorted(code for (s, i), code in by_slot.items() if i < 4)
    first = [by_slot[slot] for slot in (reserve_slots or [])]
    rest = [code for slot, code in sorted(by_slot.items()) if slot[1] >= 4 and code not in first]
    reserve = first + rest
    draw = Draw.objects.create(
        pool=pool,
        status=Draw.Status.DRAWN,
        commitment="c0ffee" * 10 + "abcd",
        committed_at=DRAWN_AT - dt.timedelta(days=1),
    )
    folder = Path(settings.DOCUMENTS_DIR) / "draws" / str(draw.pk)
    folder.mkdir(parents=True, exist_ok=True)
    bundle = folder / "bundle.json"
    bundle.write_text(json.dumps({"pool": [m.receipt_code for m in pool.members.all()]}), "utf-8")
    result_file = folder / "result.json"
    result_file.write_text(
        json.dumps({"selected": selected, "reserve": {"order": reserve}}), "utf-8"
    )
    Draw.objects.filter(pk=draw.pk).update(
        bundle_path=str(bundle.relative_to(settings.DOCUMENTS_DIR))
    )
    result = DrawResult.objects.create(
        draw=draw,
        randomness={"dice": [4, 2, 7]},
        panel_index=427,
        selected=selected,
        reserve=reserve,
        result_path=str(result_file.relative_to(settings.DOCUMENTS_DIR)),
        result_sha256=hashlib.sha256(result_file.read_bytes()).hexdigest(),
        drawn_at=DRAWN_AT,
    )
    return Drawn(call, result, {a.receipt_code: a for a in apps}, by_slot)


def lay_out_queued_offer_letters() -> list[str]:
    """Run, in this process, the queued ``council.tasks.offer_letters`` with their queued
    arguments, as the worker would, and remove them from the queue; returns their results.

    For tests inside a transaction (the worker itself needs a transactional database:
    ``tests/council/test_it_writes_letters_after_commit.py`` runs it). The e-mail copies the
    letters queue stay in the queue (``letters.tasks.send_copy``).
    """
    from django_tasks_db.models import DBTaskResult

    from tirage.council.tasks import offer_letters

    results = []
    for row in DBTaskResult.objects.ready().filter(task_path=offer_letters.module_path):
        results.append(offer_letters.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        row.delete()
    return results
