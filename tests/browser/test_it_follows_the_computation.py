"""Following the lottery's computation (?suivi=auto), in Chromium: updated in place, focus kept.

The page used to reload itself every 3 seconds (<meta http-equiv="refresh">): axe-core's
critical « meta-refresh », and each reload sent the keyboard focus back to the top.
backoffice/follow.js now fetches the page and updates the progress box only.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.follow import STOP, mark_document, watch_script_problems
from tests.browser.test_it_draws_with_keyboard import log_in
from tests.draws.conftest import AFTER_DEADLINE, fill_pool
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.draws import services
from tirage.draws.models import Draw
from tirage.draws.pool import freeze_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def set_progress(draw: Draw, **fields) -> None:
    Draw.objects.filter(pk=draw.pk).update(heartbeat_at=timezone.now(), **fields)


def test_the_progress_box_follows_the_draw_without_reloading(page, live_server, axe):
    call = roubaix_call()
    fill_pool(call)
    draw = services.create_draw(freeze_pool(call, now=AFTER_DEADLINE))
    set_progress(
        draw, status=Draw.Status.RUNNING, started_at=timezone.now(),
        progress_stage="leximin", progress_done=6, progress_total=30,
    )  # fmt: skip
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    problems = watch_script_problems(page)  # script errors, anything the CSP blocks
    response = page.goto(live_server.url + "/gestion/tirage/?suivi=auto")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    stage = page.locator("#avancement-etape")
    bar = page.locator("progress#avancement")
    expect(stage).to_have_text("Calcul des probabilités (LEXIMIN)")
    expect(stage).to_have_attribute("aria-live", "polite")
    assert bar.get_attribute("value") == "6"
    # The script runs: the sentence for pages without JavaScript gives way to the stop link.
    expect(page.get_by_text("Sans JavaScript")).to_be_hidden()
    stop = page.get_by_role("link", name=STOP)
    expect(stop).to_be_visible()
    stop.focus()
    # A reload would lose this marker; every write to the live stage label is counted.
    mark_document(page, "avancement-etape")
    assert_no_axe_violations(axe, page)

    # Same stage, further on: the percent and the bar move, the live label is not rewritten.
    set_progress(draw, progress_done=18)
    expect(page.locator("#avancement-pourcent")).to_have_text("(60 %)")
    assert bar.get_attribute("value") == "18"
    expect(page.locator("#avancement-texte")).to_have_text(
        "18 personne(s) sur 30 ont déjà leur probabilité fixée."
    )
    assert page.evaluate("window.stageWrites") == 0

    # A new stage: the live label changes once (heard once), and not again at the next ticks.
    set_progress(draw, progress_stage="peeling", progress_done=37, progress_total=100)
    expect(stage).to_have_text("Calcul des probabilités (LEXIMIN) : construction des panels")
    expect(page.locator("#avancement-pourcent")).to_have_text("(37 %)")
    set_progress(draw, progress_done=50)
    expect(page.locator("#avancement-pourcent")).to_have_text("(50 %)")
    assert bar.get_attribute("value") == "50" and bar.get_attribute("max") == "100"
    assert page.evaluate("window.stageWrites") == 1
    # Rounding: an indeterminate bar, and no percent.
    set_progress(draw, progress_stage="rounding", progress_done=0, progress_total=1)
    expect(stage).to_have_text("Arrondi en loterie de panels")
    expect(page.locator("#avancement-pourcent")).to_have_text("")
    assert bar.get_attribute("value") is None

    # No reload happened, and the focus is still on the link the keyboard user reached.
    assert page.evaluate("window.sameDocument") == "oui"
    assert page.evaluate("document.activeElement.textContent") == STOP
    assert_no_axe_violations(axe, page)

    # The computation ends: the page is loaded once, without ?suivi=auto, and shows the result.
    Draw.objects.filter(pk=draw.pk).update(status=Draw.Status.PENDING)
    assert services.prepare_draw(draw.pk).status == Draw.Status.PREPARED
    page.wait_for_url(live_server.url + "/gestion/tirage/")
    expect(page.get_by_role("heading", name="Résultat du calcul")).to_be_visible()
    assert page.locator("#suivi-calcul").count() == 0
    assert page.evaluate("window.sameDocument") is None
    assert_no_axe_violations(axe, page)
    assert problems == []
