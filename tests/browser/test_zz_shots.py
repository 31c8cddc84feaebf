import pytest
from tests.browser.test_it_draws_with_keyboard import committed, log_in  # noqa
from tests.draws.conftest import staff_user
from tirage.backoffice.roles import COORDINATOR
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_shots(page, live_server, committed):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, staff_user(COORDINATOR))
    page.goto(live_server.url + "/gestion/tirage/")
    page.screenshot(path="/tmp/s-overview.png", full_page=True)
    page.goto(live_server.url + f"/gestion/tirage/{committed.pk}/ceremonie/")
    page.screenshot(path="/tmp/s-ceremony1.png")
    page.fill("#id_die_0", "4"); page.fill("#id_die_1", "2"); page.fill("#id_die_2", "7")
    page.click("button[type=submit]")
    page.screenshot(path="/tmp/s-ceremony2.png", full_page=True)
    page.goto(live_server.url + "/tirage/ma-probabilite/?code=ZZZZZZZZ")
    page.screenshot(path="/tmp/s-lookup.png", full_page=True)
    page.goto(live_server.url + "/tirage/")
    page.screenshot(path="/tmp/s-announce.png", full_page=True)
