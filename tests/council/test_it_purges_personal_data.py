"""``tirage purge_personal_data``: names go after the retention period; the draw stays verifiable."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.aftermath import AFTER_DRAW
from tests.council.helpers import install_all
from tirage.applications.models import Application
from tirage.audit.models import AuditEntry
from tirage.calls.models import PARIS
from tirage.council.retention import ERASED, purge_personal_data
from tirage.council.services.seat_letters import run_letters
from tirage.draws.pool import pool_fingerprint
from tirage.letters.models import Batch, Letter

BEFORE_END = dt.datetime(
    2027, 6, 13, 12, tzinfo=PARIS
)  # drawn 13 June 2025 + 24 months: last day kept
AFTER_END = dt.datetime(2027, 6, 14, 9, tzinfo=PARIS)


@pytest.fixture
def lettered(drawn):
    run_letters(drawn.call, now=AFTER_DRAW)
    install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 9, 1))
    return drawn


def _digests(drawn):
    docs = Path(settings.DOCUMENTS_DIR)
    draw = drawn.draw
    draw.refresh_from_db()
    return {
        "bundle": hashlib.sha256((docs / draw.bundle_path).read_bytes()).hexdigest(),
        "result": hashlib.sha256((docs / drawn.result.result_path).read_bytes()).hexdigest(),
    }


def test_nothing_is_purged_before_the_end_of_retention(lettered):
    report = purge_personal_data(now=BEFORE_END)
    assert report.total == 0
    assert not Application.objects.filter(family_name=ERASED).exists()


def test_purge_removes_names_of_the_not_selected_and_keeps_the_draw_verifiable(lettered):
    drawn = lettered
    before = _digests(drawn)
    pool = drawn.draw.pool
    members_before = list(pool.members.values_list("receipt_code", "values"))
    reserve = [drawn.apps[c] for c in drawn.result.reserve]
    reserve_files = [
        Path(settings.DOCUMENTS_DIR) / lt.file_path
        for lt in Letter.objects.filter(application__in=reserve)
    ]
    dry = purge_personal_data(now=AFTER_END, dry_run=True)
    assert dry.total == 10 and not Application.objects.filter(family_name=ERASED).exists()
    report = purge_personal_data(now=AFTER_END)
    assert report.applications == {drawn.call.slug: 10}
    for app in reserve:
        app.refresh_from_db()
        assert (app.family_name, app.given_name, app.email, app.street_name) == (
            ERASED,
            ERASED,
            "",
            ERASED,
        )
        assert app.birth_date.month == 1 and app.birth_date.day == 1
        assert app.secteur and app.gender  # kept for statistics
    assert not any(p.exists() for p in reserve_files)
    assert not (Path(settings.DOCUMENTS_DIR) / Batch.objects.get().merged_path).exists()
    # Members keep their data; the pool, bundle and result are untouched.
    selected = Application.objects.get(receipt_code=drawn.result.selected[0])
    assert selected.family_name != ERASED
    assert _digests(drawn) == before
    assert list(pool.members.values_list("receipt_code", "values")) == members_before
    assert pool_fingerprint(drawn.call, [(c, v) for c, v in members_before]) == pool.fingerprint
    entry = AuditEntry.objects.get(action="call.personal_data_purged")
    assert entry.data["applications"] == 10
    assert entry.data["stats"]["genre=femme"] == 5 and entry.data["stats"]["secteur=nord"] == 2
    # Twice is harmless.
    assert purge_personal_data(now=AFTER_END).total == 0


def test_the_command_has_a_dry_run(lettered, capsys):
    lettered.call.retention_months = 12  # drawn June 2025: due since June 2026
    lettered.call.save()
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert f"{lettered.call.slug} : 10 candidature(s) seraient anonymisées" in out
    assert not Application.objects.filter(family_name=ERASED).exists()
    call_command("purge_personal_data")
    assert Application.objects.filter(family_name=ERASED).count() == 10


def test_a_person_drawn_who_declined_is_purged_like_the_not_selected(drawn):
    from tirage.council.models import Offer
    from tirage.council.services.answers import record_answer
    from tirage.council.services.offers import open_offers

    run_letters(drawn.call, now=AFTER_DRAW)
    open_offers(drawn.result, now=AFTER_DRAW)
    offers = list(Offer.objects.filter(application__call=drawn.call).order_by("id"))
    declined = offers[0]
    record_answer(declined, accepted=False, via=Offer.Via.STAFF, now=AFTER_DRAW)
    for offer in offers[1:]:
        record_answer(
            offer,
            accepted=True,
            via=Offer.Via.STAFF,
            now=AFTER_DRAW,
            start_date=dt.date(2025, 9, 1),
        )
    assert declined.application.receipt_code in drawn.result.selected
    report = purge_personal_data(now=AFTER_END)
    declined.application.refresh_from_db()
    assert declined.application.family_name == ERASED
    # The one who took the seat in their place (a pending offer from the reserve) is kept.
    replacement = Offer.objects.exclude(pk__in=[o.pk for o in offers]).get()
    replacement.application.refresh_from_db()
    assert replacement.application.family_name != ERASED
    assert report.applications == {drawn.call.slug: 10}  # 9 reserve left + the one who declined
