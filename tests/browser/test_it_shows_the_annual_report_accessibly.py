"""The annual report's staff pages pass axe-core (WCAG 2.1 A/AA) in a real Chromium, the coordinator
signed in with both factors (password, then the app's code)."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.totp import code_for
from tests.browser.test_it_signs_in_with_two_factors import type_login
from tests.meetings.helpers import at, hold, installed_council, plenary
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.reports.models import AnnualReport, open_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(axe, page) -> list:
    found = axe.run(page, options=WCAG).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_annual_report_staff_pages_have_no_wcag_violations(live_server, page, axe):
    council = installed_council()
    first = plenary(council, at(2025, 10, 7))
    hold(first, absent=council.members[:2], everyone=council.members)
    report, _ = open_report(
        call=council.call, period_start=dt.date(2025, 9, 1), period_end=dt.date(2026, 8, 31)
    )
    device = TOTPDevice.objects.create(
        user=make_staff("coord", COORDINATOR), name="app", confirmed=True
    )

    # Both factors, through the real sign-in pages.
    page.goto(f"{live_server.url}/gestion/connexion/?next=/gestion/rapport-activite/")
    type_login(page, "coord", "motdepasse-solide-42")
    page.wait_for_url("**/gestion/connexion/code/**")
    page.fill("#id_code", code_for(device))
    page.keyboard.press("Enter")
    page.wait_for_url("**/gestion/rapport-activite/")
    problems = {"list": violations(axe, page)}

    # A period that ends before it starts: the errors are shown.
    page.fill("#id_period_start", "2026-08-31")
    page.fill("#id_period_end", "2025-09-01")
    page.click("text=Préparer le rapport de cette période")
    page.wait_for_selector(".error-summary")
    problems["list, errors"] = violations(axe, page)

    page.goto(f"{live_server.url}/gestion/rapport-activite/{report.pk}/")
    assert page.get_by_role("heading", level=1).count() == 1
    problems["draft"] = violations(axe, page)
    page.fill("#id_text", "Une première année riche.\n\nMerci aux membres.")
    page.click("text=Enregistrer le texte")
    page.wait_for_selector("text=Texte enregistré.")
    problems["draft, saved"] = violations(axe, page)

    page.click("text=Adopter et publier le rapport")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == AnnualReport.State.ADOPTED
    page.goto(f"{live_server.url}/gestion/rapport-activite/{report.pk}/")
    problems["adopted"] = violations(axe, page)

    # The adoption's address opened directly: the staff page that says where it is done.
    page.goto(f"{live_server.url}/gestion/rapport-activite/{report.pk}/adopter/")
    assert page.get_by_role("heading", level=1).inner_text() == "Action à lancer depuis sa page"
    problems["adopt by address"] = violations(axe, page)

    assert {name: found for name, found in problems.items() if found} == {}
