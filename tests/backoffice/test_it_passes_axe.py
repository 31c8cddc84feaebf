"""Staff pages checked with axe-core (WCAG 2.1 A/AA rules) in a real Chromium."""

import pytest

from tests.accounts.totp import code_from_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_staff_pages_have_no_wcag_violations(live_server, page, coordinator, online_app):
    from axe_playwright_python.sync_playwright import Axe

    app = online_app(secteur="", needs_review=True)
    axe = Axe()
    page.goto(f"{live_server.url}/gestion/connexion/")
    problems = {}
    problems["login"] = axe.run(page, options=WCAG).response["violations"]
    page.fill("#id_username", "coord")
    page.fill("#id_password", "motdepasse-solide-42")
    page.click("button[type=submit]")
    # First sign-in of a coordinator: set up the authenticator app (a real TOTP code).
    page.wait_for_url("**/gestion/connexion/application/**")
    problems["enrol"] = axe.run(page, options=WCAG).response["violations"]
    page.fill("#id_code", code_from_secret(page.inner_text(".secret")))
    page.click("button.primary")
    page.wait_for_selector(".recovery-codes")
    problems["recovery codes"] = axe.run(page, options=WCAG).response["violations"]
    page.get_by_role("link", name="Continuer").click()
    page.wait_for_url("**/gestion/")
    for name, path in [
        ("dashboard", "/gestion/"),
        ("list", "/gestion/candidatures/liste/"),
        ("detail", f"/gestion/candidatures/{app.pk}/"),
        ("bursts", "/gestion/candidatures/rafales/"),
        ("counter", "/gestion/saisie/"),  # last: its empty form is sent below
    ]:
        if name == "bursts":  # a burst to show: the table, not only « aucune rafale »
            from django.utils import timezone

            from tirage.applications.models import FormCounter

            FormCounter.objects.create(
                scope="ip", key="a" * 32, event="refused_fast", window=timezone.now(), count=12
            )
        page.goto(live_server.url + path)
        problems[name] = axe.run(page, options=WCAG).response["violations"]
    page.click("button.primary")  # empty counter form: errors shown
    page.wait_for_selector(".error-summary")
    problems["counter errors"] = axe.run(page, options=WCAG).response["violations"]
    found = {
        name: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        for name, violations in problems.items()
        if violations
    }
    assert found == {}
