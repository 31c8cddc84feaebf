"""A draw redrawn while its lottery is computing stays cancelled when the computation ends."""

from __future__ import annotations

from tests.draws.conftest import AFTER_DEADLINE
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import freeze_pool


def test_redraw_during_computation_is_not_undone(call, pool_apps, monkeypatch):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool, panels=1000)
    replaced = []
    original = services._StoredProgress.update

    def cancel_midway(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not replaced:
            # The coordinator presses « nouveau tirage » while the background process runs.
            replaced.append(
                services.redraw(Draw.objects.get(pk=draw.pk), reason="Mauvais objectif")
            )

    monkeypatch.setattr(services._StoredProgress, "update", cancel_midway)
    services.prepare_draw(draw.pk)
    draw.refresh_from_db()
    assert replaced, "the engine reported no progress"
    assert draw.status == Draw.Status.CANCELLED  # used to become « calculé » again
    assert draw.commitment == ""
    try:
        services.commit_draw(draw)
    except services.DrawError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a cancelled draw was published")
    assert services.public_draw(call) is None
