"""Apply online with the keyboard only (no clicks), and check every page with axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_no_axe_violations
from tests.factories import roubaix_call
from tirage.applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "sel => document.activeElement && document.activeElement.matches(sel)", selector
    )


def gets_focus(page, selector: str, timeout: float = 10_000) -> bool:
    """Wait until ``selector`` has the focus (autofocus can land after the load event)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "sel => document.activeElement && document.activeElement.matches(sel)",
            arg=selector,
            timeout=timeout,
        )
    except PlaywrightTimeout:
        return False
    return True


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never got the focus with {key}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_apply_with_the_keyboard_only(page, live_server, axe):
    call = roubaix_call(open_on=timezone.localdate())
    page.goto(live_server.url + "/")
    assert_no_axe_violations(axe, page)

    # The skip link is the first stop and is visible when focused.
    page.keyboard.press("Tab")
    assert gets_focus(page, "a.skip-link")
    assert page.locator("a.skip-link").bounding_box()["y"] >= 0

    tab_to(page, "a.button[href='/candidater/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Vos informations"
    assert_no_axe_violations(axe, page)

    tab_to(page, "#id_gender_0")
    page.keyboard.press("ArrowDown")  # moves to and selects « Homme »
    page.keyboard.press("ArrowUp")  # back to « Femme »
    page.keyboard.press("Space")
    assert page.locator("#id_gender_0").is_checked()
    type_into(page, "#id_family_name", "Lefebvre")
    type_into(page, "#id_given_name", "Inès")
    type_into(page, "#id_birth_day", "6")
    type_into(page, "#id_birth_month", "6")
    type_into(page, "#id_birth_year", "2001")
    type_into(page, "#id_street_number", "7")
    type_into(page, "#id_street_name", "Rue Jean Jaures")  # unknown, with suggestions
    # Check the prefilled postcode going back with Shift+Tab from the commune.
    tab_to(page, "#id_commune")
    tab_to(page, "#id_postcode", backwards=True)
    assert page.locator("#id_postcode").input_value() == "59100"
    type_into(page, "#id_email", "ines@example.org")
    tab_to(page, "#id_consent_notice")
    page.keyboard.press("Space")
    tab_to(page, "#id_attests_residence")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Unknown street: the secteur step.
    assert "secteur" in page.locator("h1").inner_text()
    assert page.get_by_role("button", name="C'est ma rue : Avenue Jean Jaurès").count() == 1
    assert_no_axe_violations(axe, page)
    tab_to(page, "#id_secteur_0")
    page.keyboard.press("ArrowDown")  # second mairie de quartier
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("h1").inner_text() == "Vérifiez vos réponses"
    assert "6 juin 2001" in page.locator("main").inner_text()
    assert_no_axe_violations(axe, page)
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("h1").inner_text() == "Votre candidature est enregistrée"
    code = page.locator("#receipt-code").inner_text().strip()
    assert_no_axe_violations(axe, page)
    app = Application.objects.get()
    assert code == app.receipt_code
    assert (app.family_name, app.given_name, app.email) == ("Lefebvre", "Inès", "ines@example.org")
    assert app.call == call and app.needs_review
    second_office = list(call.offices.exclude(secteur=""))[1]
    assert app.secteur == second_office.secteur


def test_error_state_has_a_focused_summary_and_no_axe_violation(page, live_server, axe):
    roubaix_call(open_on=timezone.localdate())
    page.goto(live_server.url + "/candidater/")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Without any script, the summary gets the focus (autofocus, which may land
    # a little after the load event on a busy machine) and lists the fields.
    page.wait_for_function(
        "document.activeElement && document.activeElement.matches('.error-summary')"
    )
    summary = page.locator(".error-summary")
    assert "Indiquez votre nom." in summary.inner_text()
    assert_no_axe_violations(axe, page)
    # Following a link of the summary lands on the field.
    tab_to(page, ".error-summary a[href='#id_family_name']")
    page.keyboard.press("Enter")
    page.keyboard.type("Nom")
    assert page.locator("#id_family_name").input_value() == "Nom"
    assert Application.objects.count() == 0
