"""Following the computation (?suivi=auto) while the server does not answer, in Chromium.

backoffice/follow.js used to retry silently: the progress box went on showing the last
answer (« (20 %) ») as if it were current, with nothing to say that the server had stopped.
"""

from __future__ import annotations

import datetime as dt

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

DOWN = "Le serveur ne répond pas"


def test_the_page_says_when_the_server_does_not_answer_and_recovers(page, live_server, axe):
    call = roubaix_call()
    fill_pool(call)
    draw = services.create_draw(freeze_pool(call, now=AFTER_DEADLINE))
    Draw.objects.filter(pk=draw.pk).update(
        status=Draw.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(),
        progress_stage="leximin", progress_done=6, progress_total=30,
    )  # fmt: skip
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    errors = watch_script_problems(page)
    page.goto(live_server.url + "/gestion/tirage/?suivi=auto")
    page.get_by_role("link", name=STOP).focus()
    mark_document(page)
    status = page.locator("#suivi-calcul [role=status]")
    expect(status).to_have_text("")

    # The server stops: the page says so (once), keeps what it showed, and keeps trying.
    page.route("**/gestion/tirage/**", lambda route: route.abort("connectionrefused"))
    expect(status).to_contain_text(DOWN, timeout=10_000)
    expect(status).to_contain_text("La page réessaie toute seule toutes les 3 secondes.")
    expect(page.locator("#avancement-pourcent")).to_have_text("(20 %)")
    assert_no_axe_violations(axe, page)

    # It answers again: the message goes, the progress moves, in the same document, focus kept.
    Draw.objects.filter(pk=draw.pk).update(progress_done=18, heartbeat_at=timezone.now())
    page.unroute("**/gestion/tirage/**")
    expect(page.locator("#avancement-pourcent")).to_have_text("(60 %)", timeout=10_000)
    expect(status).to_have_text("")
    assert page.evaluate("window.sameDocument") == "oui"
    assert page.evaluate("document.activeElement.textContent") == STOP

    # Down again, and back with the worker gone meanwhile: the page loads once, interrupted.
    page.route("**/gestion/tirage/**", lambda route: route.abort("connectionrefused"))
    expect(status).to_contain_text(DOWN, timeout=10_000)
    Draw.objects.filter(pk=draw.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    page.unroute("**/gestion/tirage/**")
    page.wait_for_url(live_server.url + "/gestion/tirage/")
    expect(page.get_by_text("Le calcul est interrompu.")).to_be_visible()
    assert errors == []
