"""A coordinator signs in with the keyboard: password, then the app's code (real TOTP)."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.totp import code_for
from tests.browser.conftest import assert_no_axe_violations
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_login(page, username: str, password: str) -> None:
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_password_then_code_with_the_keyboard(live_server, page, axe):
    roubaix_call(open_on=dt.date.today())
    user = make_staff("coord", COORDINATOR)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    page.goto(f"{live_server.url}/gestion/connexion/?next=/gestion/candidatures/liste/")
    type_login(page, "coord", "motdepasse-solide-42")
    page.wait_for_url("**/gestion/connexion/code/**")
    # Ready to type: autofocus on the code (under load it can land after the load event).
    page.wait_for_function("document.activeElement && document.activeElement.name === 'code'")
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert "Code incorrect" in page.inner_text(".error-summary")
    assert_no_axe_violations(axe, page)

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    page.fill("#id_code", code_for(device))
    page.keyboard.press("Enter")
    page.wait_for_url("**/gestion/candidatures/liste/")
    assert page.get_by_role("heading", level=1).count() == 1

    page.goto(f"{live_server.url}/gestion/securite/")
    assert "Codes de secours restants : 0." in page.content()
    assert_no_axe_violations(axe, page)


def test_the_lockout_page_is_french_and_accessible(live_server, page, axe):
    roubaix_call(open_on=dt.date.today())
    for _ in range(5):
        page.goto(f"{live_server.url}/gestion/connexion/")
        type_login(page, "personne", "mauvais")
    assert page.get_by_role("heading", level=1).inner_text() == "Connexion bloquée"
    assert_no_axe_violations(axe, page)
