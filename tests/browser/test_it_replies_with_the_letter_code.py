"""Answer a seat offer in a real browser, keyboard only, with the code printed on the letter; axe on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.aftermath import drawn_call
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_it_applies_with_keyboard import focused_matches, tab_to, type_into
from tirage.council.models import Member, Offer
from tirage.council.services.offers import open_offers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reply_with_the_keyboard_only(page, live_server, axe):
    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    page.goto(live_server.url + "/reponse")
    assert_no_axe_violations(axe, page)

    # A wrong code: the error summary names it and links to the field.
    type_into(page, "#id_code", "ABC")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Le code de réponse compte 10 caractères" in page.locator("#erreurs").inner_text()
    assert_no_axe_violations(axe, page)

    page.fill("#id_code", "")
    tab_to(page, "#id_code", backwards=True)
    page.keyboard.type(code.lower().replace("-", " "))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/reponse/{code}/")
    assert offer.receipt_code in page.locator("main").inner_text()
    assert_no_axe_violations(axe, page)

    # Submitting without a choice shows the error, then answer with the keyboard.
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Choisissez « Oui » ou « Non »." in page.locator("#erreurs").inner_text()
    assert_no_axe_violations(axe, page)
    tab_to(page, "#id_answer_0")
    page.keyboard.press("Space")
    assert page.locator("#id_answer_0").is_checked()
    tab_to(page, "#id_public_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    assert focused_matches(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Merci, votre réponse est enregistrée"
    assert_no_axe_violations(axe, page)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED and offer.public_consent
    assert Member.objects.get(offer=offer).public_consent

    # The roster page is accessible too.
    page.goto(live_server.url + "/conseil/membres/")
    assert_no_axe_violations(axe, page)


def test_a_no_is_confirmed_before_it_is_recorded(page, live_server, axe):
    """« Non » gives the seat away for good: a step says so; Enter on it records nothing."""
    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    page.goto(live_server.url + f"/reponse/{code}/")
    tab_to(page, "#id_answer_0")
    page.keyboard.press("ArrowDown")  # the radio group: down moves to « Non »
    assert page.locator("#id_answer_1").is_checked()
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING
    assert "Vous répondez « Non » : confirmez-vous ?" in page.locator("h1").inner_text()
    text = page.locator("main").inner_text()
    assert "votre siège sera proposé à la personne suivante" in text
    assert "vous ne pourrez pas changer d'avis en ligne" in text
    assert_no_axe_violations(axe, page)
    # Changing one's mind: back to the answer, nothing recorded.
    tab_to(page, "#revenir")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/reponse/{code}/")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING
    # Again, and confirmed this time.
    tab_to(page, "#id_answer_0")
    page.keyboard.press("ArrowDown")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert_no_axe_violations(axe, page)
