"""The public pages of opinions and consultations pass axe-core (WCAG 2.1 A/AA) in a real Chromium."""

import datetime as dt

import pytest

from tests.meetings.helpers import installed_council
from tirage.demo.opinions import ACCESSIBILITY, PORTAL, seed_opinions
from tirage.opinions import pages
from tirage.opinions.models import Consultation, Opinion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
TODAY = dt.date(2026, 12, 6)


def test_public_opinion_pages_have_no_wcag_violations(live_server, page, axe, monkeypatch):
    council = installed_council()
    seed_opinions(call=council.call, today=TODAY)
    monkeypatch.setattr(pages, "public_today", lambda: TODAY)
    portal = Opinion.objects.get(title=PORTAL)
    late = Opinion.objects.get(title=ACCESSIBILITY)
    consultation = Consultation.objects.get(title=PORTAL)
    problems = {}
    for name, path in [
        ("list", "/avis/"),
        ("answered opinion", f"/avis/{portal.pk}/"),
        ("late opinion", f"/avis/{late.pk}/"),
        ("consultations", "/consultations/"),
        ("consultation", f"/consultations/{consultation.pk}/"),
    ]:
        page.goto(live_server.url + path)
        problems[name] = axe.run(page, options=WCAG).response["violations"]
    found = {
        name: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        for name, violations in problems.items()
        if violations
    }
    assert found == {}
    # The path is reached by keyboard from the top of the page (skip link, then links in order).
    page.goto(f"{live_server.url}/avis/{late.pk}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    assert "En retard de 40 jours" in page.inner_text("#clock")


def test_staff_opinion_pages_have_no_wcag_violations(live_server, page, axe):
    from django.conf import settings
    from django.test import Client

    from tests.roles import make_staff
    from tirage.backoffice.roles import COORDINATOR
    from tirage.opinions.models import Commitment

    council = installed_council()
    seed_opinions(call=council.call, today=TODAY)
    client = Client()
    client.force_login(make_staff("coordination", COORDINATOR))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    portal = Opinion.objects.get(title=PORTAL)
    late = Opinion.objects.get(title=ACCESSIBILITY)
    draft = Opinion.objects.filter(state="draft").first()
    consultation = Consultation.objects.get(title=PORTAL)
    problems = {}
    for name, path in [
        ("overview", "/gestion/avis/"),
        ("new consultation", "/gestion/avis/consultations/nouvelle/"),
        ("consultation", f"/gestion/avis/consultations/{consultation.pk}/"),
        ("booklet entry", f"/gestion/avis/consultations/{consultation.pk}/livret/saisie/"),
        ("new opinion", f"/gestion/avis/nouveau/?consultation={consultation.pk}"),
        ("new proposal", "/gestion/avis/nouveau/?nature=proposition"),
        ("opinion", f"/gestion/avis/{portal.pk}/"),
        ("edit draft", f"/gestion/avis/{draft.pk}/modifier/"),
        ("answers", f"/gestion/avis/{late.pk}/reponse/"),
        ("ratings", f"/gestion/avis/{portal.pk}/appreciation/"),
        ("commitment", f"/gestion/avis/engagements/{Commitment.objects.first().pk}/"),
    ]:
        page.goto(live_server.url + path)
        problems[name] = axe.run(page, options=WCAG).response["violations"]
    page.goto(f"{live_server.url}/gestion/avis/consultations/nouvelle/")
    page.click("button.primary")  # empty form: the errors are shown
    page.wait_for_selector(".error-summary")
    problems["new consultation, errors"] = axe.run(page, options=WCAG).response["violations"]
    found = {
        name: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        for name, violations in problems.items()
        if violations
    }
    assert found == {}
