"""The pages of background work and of the confirmations, in Chromium: zero axe-core violations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.aftermath import drawn_call
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_it_draws_with_keyboard import log_in
from tests.draws.conftest import AFTER_DEADLINE, fill_pool
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import freeze_pool
from tirage.letters.models import BatchRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_interrupted_draw_and_the_commit_confirmation(page, live_server, axe):
    call = roubaix_call()
    fill_pool(call)
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    prepared = services.prepare_draw(services.create_draw(pool).pk)
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    page.goto(live_server.url + "/gestion/tirage/")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier l'engagement").click()
    assert "Ce qui ne pourra pas être défait" in page.locator("main").inner_text()
    assert_no_axe_violations(axe, page)

    Draw.objects.filter(pk=prepared.pk).update(status=Draw.Status.FAILED)
    stale = timezone.now() - dt.timedelta(hours=1)
    other = services.create_draw(pool)
    Draw.objects.filter(pk=other.pk).update(
        status=Draw.Status.RUNNING, progress_stage="leximin", progress_done=9,
        progress_total=30, started_at=stale, heartbeat_at=stale,
    )  # fmt: skip
    page.goto(live_server.url + "/gestion/tirage/")
    assert "Le calcul est interrompu." in page.get_by_role("alert").first.inner_text()
    assert_no_axe_violations(axe, page)


def test_letters_in_progress_then_interrupted(page, live_server, axe):
    drawn = drawn_call()
    run = BatchRun.objects.create(
        call=drawn.call, purpose="draw", label="Courriers après le tirage",
        status=BatchRun.Status.RUNNING, stage="layout", done=12, total=30,
        started_at=timezone.now(), heartbeat_at=timezone.now(),
    )  # fmt: skip
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    page.goto(live_server.url + "/gestion/conseil/")
    assert page.locator("progress#avancement-courriers").get_attribute("value") == "12"
    assert page.get_by_label("Production des courriers").count() == 1
    assert_no_axe_violations(axe, page)
    BatchRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    page.goto(live_server.url + "/gestion/conseil/")
    assert "La production des courriers est interrompue." in page.locator("main").inner_text()
    assert_no_axe_violations(axe, page)
