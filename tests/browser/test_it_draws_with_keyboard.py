"""The public draw pages and the ceremony, in Chromium: zero axe-core violations, keyboard only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_it_applies_with_keyboard import focused_matches, gets_focus, tab_to
from tests.draws.conftest import committed_draw, fill_pool
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.draws.models import DrawResult

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committed():
    call = roubaix_call()
    fill_pool(call)
    return committed_draw(call)


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def submit_with_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_public_pages_and_lookup_by_keyboard(page, live_server, axe, committed):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Le tirage au sort").count() == 1
    assert_no_axe_violations(axe, page)

    page.goto(live_server.url + "/tirage/")
    assert committed.commitment in page.content()
    assert_no_axe_violations(axe, page)

    # Own probability: type the receipt code and press Enter.
    code = committed.pool.members.order_by("receipt_code").first().receipt_code
    count = committed.summary["probabilities"][code]
    page.goto(live_server.url + "/tirage/ma-probabilite/")
    assert_no_axe_violations(axe, page)
    tab_to(page, "#id_code")
    page.keyboard.type(code.lower().replace("-", ""))
    submit_with_enter(page)
    status = page.get_by_role("status")
    assert f"vous êtes dans {count} panel" in status.inner_text()
    assert_no_axe_violations(axe, page)

    # Unknown code: the summary takes the focus and links to the field.
    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type("ZZZZ-ZZZZ")
    submit_with_enter(page)
    summary = page.locator(".error-summary")
    assert "ZZZZ-ZZZZ ne figure pas dans le vivier" in summary.inner_text()
    assert page.title().startswith("Erreur : ")
    assert_no_axe_violations(axe, page)
    tab_to(page, ".error-summary a[href='#id_code']")
    page.keyboard.press("Enter")
    # The link moves the focus to the field (or just before it: the next Tab reaches it).
    if not focused_matches(page, "#id_code"):
        page.keyboard.press("Tab")
    assert focused_matches(page, "#id_code")


def test_ceremony_by_keyboard_then_results(page, live_server, axe, committed):
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    # The staff overview with its charts and tables, before the ceremony.
    page.goto(live_server.url + "/gestion/tirage/")
    assert page.locator("svg[role=img]").count() == 4
    assert_no_axe_violations(axe, page)

    page.goto(live_server.url + f"/gestion/tirage/{committed.pk}/ceremonie/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert_no_axe_violations(axe, page)
    assert gets_focus(page, "#id_die_0")  # autofocus: the operator types straight away

    # A wrong die first: the error summary names it, nothing is recorded.
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.type("x")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    submit_with_enter(page)
    assert (
        "Dé n° 2 : un dé à dix faces donne un chiffre de 0 à 9."
        in page.locator(".error-summary").inner_text()
    )
    assert not DrawResult.objects.exists()
    assert_no_axe_violations(axe, page)

    assert gets_focus(page, "#id_die_1")  # the wrong die has the focus, its message tied to it
    assert page.locator("#id_die_1_error").inner_text().startswith("Dé n° 2 :")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, "#id_die_2")
    # Enter after the third die: a check screen that says what cannot be undone, nothing recorded.
    submit_with_enter(page)
    assert not DrawResult.objects.exists()
    confirm = page.locator("section.confirm")
    assert "4 · 2 · 7" in confirm.inner_text()
    assert "le résultat est définitif" in confirm.inner_text()
    assert gets_focus(page, "#confirmer-titre")  # the focus is on the check, not on a button
    page.keyboard.press("Enter")  # a second Enter records nothing
    page.wait_for_timeout(300)
    assert not DrawResult.objects.exists() and page.locator("section.confirm").count() == 1
    assert_no_axe_violations(axe, page)
    tab_to(page, "button:not([name=corriger])")
    submit_with_enter(page)
    assert page.locator(".panel-number").inner_text() == "Panel n° 427"
    assert page.locator(".digit").all_inner_texts() == ["4", "2", "7"]
    assert page.locator("ol.selected > li").count() == 20
    assert_no_axe_violations(axe, page)
    assert DrawResult.objects.get().panel_index == 427

    page.reload()
    assert page.locator(".panel-number").inner_text() == "Panel n° 427"

    page.goto(live_server.url + "/gestion/tirage/")
    assert_no_axe_violations(axe, page)

    page.goto(live_server.url + f"/gestion/tirage/{committed.pk}/proces-verbal/")
    assert_no_axe_violations(axe, page)

    page.goto(live_server.url + "/tirage/resultats/")
    assert "427" in page.locator("main").inner_text()
    assert_no_axe_violations(axe, page)


def test_overview_while_running_and_after_a_failure(page, live_server, axe):
    from tests.draws.conftest import AFTER_DEADLINE
    from tirage.backoffice.roles import OBSERVER
    from tirage.calls.models import FeatureValue
    from tirage.draws import services
    from tirage.draws.models import Draw
    from tirage.draws.pool import freeze_pool

    call = roubaix_call()
    fill_pool(call)
    FeatureValue.objects.filter(feature__key="secteur", key="nord").update(min=7, max=7)
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    services.prepare_draw(services.create_draw(pool).pk)
    log_in(page, live_server, make_staff("obs", OBSERVER))
    page.goto(live_server.url + "/gestion/tirage/")
    assert "il faut au moins 7 membre(s)" in page.get_by_role("alert").inner_text()
    assert_no_axe_violations(axe, page)

    draw = services.create_draw(pool)
    from django.utils import timezone

    Draw.objects.filter(pk=draw.pk).update(
        status=Draw.Status.RUNNING,
        progress_stage="leximin",
        progress_done=6,
        progress_total=30,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    page.goto(live_server.url + "/gestion/tirage/")
    assert page.locator("progress#avancement").get_attribute("value") == "6"
    assert page.get_by_label("Avancement du calcul").count() == 1
    assert_no_axe_violations(axe, page)
