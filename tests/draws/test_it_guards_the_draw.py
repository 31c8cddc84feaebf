"""The draw's guards: the redraw page, a second pool cancelling the earlier draws, and the
commitment refusing a lottery file changed since it was computed."""

from __future__ import annotations

import json

import pytest

from tests.draws.conftest import AFTER_DEADLINE
from tirage.audit.models import AuditEntry
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import FreezeError, freeze_pool

pytestmark = pytest.mark.django_db


def test_the_redraw_page_cancels_with_its_public_reason_and_starts_a_new_lottery(
    client, coordinator, committed, monkeypatch
):
    started = []
    monkeypatch.setattr(services, "start_preparation", started.append)  # no second process here
    client.force_login(coordinator)
    url = f"/gestion/tirage/{committed.pk}/nouveau-tirage/"

    refused = client.post(url, {"reason": "  "}, follow=True)
    assert "Un nouveau tirage doit être motivé (le motif est public)." in refused.text
    committed.refresh_from_db()
    assert committed.status == Draw.Status.COMMITTED and started == []

    response = client.post(url, {"reason": "Erreur de paramétrage des quotas"})
    assert response.status_code == 302 and response["Location"] == "/gestion/tirage/?suivi=auto"
    committed.refresh_from_db()
    new = Draw.objects.get(redraw_of=committed)
    assert committed.status == Draw.Status.CANCELLED
    assert committed.redraw_reason == "Erreur de paramétrage des quotas"
    assert new.status == Draw.Status.PENDING and new.pool == committed.pool and started == [new]
    entry = AuditEntry.objects.get(action="draw.cancelled", object_id=str(committed.pk))
    assert entry.actor == coordinator and entry.reason == "Erreur de paramétrage des quotas"

    again = client.post(url, {"reason": "Une seconde fois"}, follow=True)
    assert "Ce tirage a déjà été remplacé." in again.text
    assert Draw.objects.filter(redraw_of=committed).count() == 1


def test_a_second_pool_cancels_the_draws_of_the_first(call, pool_apps, committed):
    first_pool = committed.pool
    failed = Draw.objects.create(pool=first_pool, status=Draw.Status.FAILED, error="essai")
    with pytest.raises(FreezeError, match="indiquez le motif de ce nouveau gel"):
        freeze_pool(call, now=AFTER_DEADLINE)  # a second pool needs its reason
    second = freeze_pool(call, now=AFTER_DEADLINE, reason="Candidature recevable oubliée")
    committed.refresh_from_db()
    failed.refresh_from_db()
    assert second.replaces == first_pool
    assert committed.status == Draw.Status.CANCELLED
    assert committed.redraw_reason == "Candidature recevable oubliée"
    assert failed.status == Draw.Status.FAILED  # a failed computation stays failed
    entry = AuditEntry.objects.get(action="draw.cancelled", object_id=str(committed.pk))
    assert entry.data == {"new_pool": second.pk}


def test_the_commitment_refuses_a_lottery_file_changed_since_it_was_computed(call, pool_apps):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.prepare_draw(services.create_draw(pool).pk)
    assert draw.status == Draw.Status.PREPARED, draw.error
    path = services.bundle_file(draw)
    bundle = json.loads(path.read_text("utf-8"))
    panels = bundle["panels"]
    other = next(i for i, panel in enumerate(panels) if panel != panels[0])  # panels repeat
    panels[0], panels[other] = panels[other], panels[0]  # the stated commitment is left as is
    path.write_text(json.dumps(bundle), "utf-8")
    with pytest.raises(
        services.DrawError,
        match="Le fichier de la loterie ne correspond plus à son engagement : recalculez-la.",
    ):
        services.commit_draw(draw)
    draw.refresh_from_db()
    assert draw.status == Draw.Status.PREPARED and draw.committed_at is None
    assert not AuditEntry.objects.filter(action="draw.committed").exists()
