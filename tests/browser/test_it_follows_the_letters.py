"""Following the letters' production (council page, ?suivi=auto), in Chromium: updated in place.

The section « Courriers du tirage » used to reload the page every 3 seconds
(<meta http-equiv="refresh">): axe-core's critical « meta-refresh », and each reload sent the
keyboard focus back to the top. It now uses the same script as the draw overview
(backoffice/follow.js), which fetches the page and updates the progress box only.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.aftermath import drawn_call
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.follow import STOP, mark_document, watch_script_problems
from tests.browser.test_it_draws_with_keyboard import log_in
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.letters.models import Batch, BatchRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def set_progress(**fields) -> None:
    BatchRun.objects.update(heartbeat_at=timezone.now(), **fields)


def test_the_letters_box_follows_the_production_without_reloading(
    page, live_server, axe, run_tasks
):
    drawn_call()
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    problems = watch_script_problems(page)  # script errors, anything the CSP blocks
    page.goto(live_server.url + "/gestion/conseil/")
    with page.expect_navigation():
        page.get_by_role("button", name="Produire les courriers du tirage").click()
    assert page.url == live_server.url + "/gestion/conseil/?suivi=auto#courriers"
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert page.locator('script[src="/static/backoffice/follow.js"]').count() == 1
    stage = page.locator("#courriers-etape")
    bar = page.locator("progress#avancement-courriers")
    sentence = page.locator("#courriers-texte")
    expect(stage).to_have_text("en attente de démarrage")
    expect(stage).to_have_attribute("aria-live", "polite")
    assert bar.get_attribute("value") is None
    expect(sentence).to_be_hidden()
    # The script runs: the sentence for pages without JavaScript gives way to the stop link.
    expect(page.get_by_text("Sans JavaScript")).to_be_hidden()
    stop = page.get_by_role("link", name=STOP)
    expect(stop).to_be_visible()
    stop.focus()
    # A reload would lose this marker; every write to the live stage label is counted.
    mark_document(page, "courriers-etape")
    assert_no_axe_violations(axe, page)

    # The worker starts the layout: the stage changes once, the bar and the sentence show up.
    set_progress(status=BatchRun.Status.RUNNING, stage="layout", done=12, total=30,
                 started_at=timezone.now())  # fmt: skip
    expect(stage).to_have_text("mise en page")
    expect(page.locator("#courriers-pourcent")).to_have_text("(40 %)")
    expect(sentence).to_have_text("12 lettres sur 30 mises en page.")
    assert bar.get_attribute("value") == "12" and bar.get_attribute("max") == "30"
    # Further on, same stage: the live label is not written again.
    set_progress(done=24)
    expect(page.locator("#courriers-pourcent")).to_have_text("(80 %)")
    expect(sentence).to_have_text("24 lettres sur 30 mises en page.")
    assert bar.get_attribute("value") == "24"
    assert page.evaluate("window.stageWrites") == 1

    # No reload happened, and the focus is still on the link the keyboard user reached.
    assert page.evaluate("window.sameDocument") == "oui"
    assert page.evaluate("document.activeElement.textContent") == STOP
    assert_no_axe_violations(axe, page)

    # The real worker produces the batch (its queued run, still pending for it): the page is
    # loaded once, without ?suivi=auto, and shows the letters produced.
    set_progress(status=BatchRun.Status.PENDING, stage="", done=0, total=None)
    run_tasks()
    assert BatchRun.objects.get().status == BatchRun.Status.DONE and Batch.objects.count() == 1
    page.wait_for_url(live_server.url + "/gestion/conseil/#courriers")
    expect(page.get_by_text("Les courriers du tirage sont produits")).to_be_visible()
    assert page.locator("#suivi-courriers").count() == 0
    assert page.evaluate("window.sameDocument") is None
    assert_no_axe_violations(axe, page)
    assert problems == []
