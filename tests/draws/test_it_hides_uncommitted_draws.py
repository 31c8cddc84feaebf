"""A draw cancelled before its commitment was published has no public files."""

from __future__ import annotations

from tests.draws.conftest import AFTER_DEADLINE
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import freeze_pool


def test_draw_cancelled_before_preparation_is_not_public(client, call, pool_apps):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool, panels=1000)
    services.redraw(draw, reason="Erreur de paramétrage")
    draw.refresh_from_db()
    assert draw.status == Draw.Status.CANCELLED and not draw.is_public
    # Used to be a 500 (empty bundle path opened as a file).
    assert client.get(f"/tirage/{draw.pk}/loterie.json").status_code == 404
    assert client.get(f"/tirage/{draw.pk}/resultat.json").status_code == 404


def test_prepared_but_uncommitted_cancelled_bundle_stays_private(client, call, pool_apps):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.prepare_draw(services.create_draw(pool, panels=1000).pk)
    assert draw.status == Draw.Status.PREPARED
    services.redraw(draw, reason="Mauvais objectif")
    assert client.get(f"/tirage/{draw.pk}/loterie.json").status_code == 404
