"""The replies page: a readable list (one line per person, no form in it), one page per person
with its own form, and the letter sent again apart from the answer (axe-core, real Chromium)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.aftermath import AFTER_DRAW, drawn_call
from tests.conftest import assert_no_axe_violations
from tests.council.helpers import install_all
from tirage.council.models import Member, Offer
from tirage.council.services.offers import open_offers


@pytest.mark.django_db
def test_the_list_has_no_form_and_each_person_has_a_page(client, drawn, coordinator):
    open_offers(drawn.result, now=AFTER_DRAW)
    client.force_login(coordinator)
    html = client.get("/gestion/conseil/").text
    listing = html[html.index('id="propositions"') : html.index('id="membres"')]
    assert "<form" not in listing and 'type="radio"' not in listing  # was 22 forms in a table
    offer = Offer.objects.first()
    assert f'href="/gestion/conseil/propositions/{offer.pk}/"' in listing
    page = client.get(f"/gestion/conseil/propositions/{offer.pk}/").text
    answer = page[page.index('id="reponse"') : page.index('id="renvoi"')]
    resend = page[page.index('id="renvoi"') :]
    assert "Enregistrer la réponse" in answer and "Renvoyer" not in answer
    assert "Renvoyer le courrier" in resend and "Enregistrer" not in resend
    # Each radio button sits with its own label.
    assert (
        '<div class="choice"><input type="radio" name="answer" value="decline" id="id_answer_1" '
        'required> <label for="id_answer_1">Refuse de siéger</label></div>'
    ) in answer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_council_pages_pass_axe(live_server, page, axe, coordinator):
    from django.test import Client

    drawn = drawn_call()
    members = install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 9, 1))
    Offer.objects.filter(pk=members[0].offer_id).update(status=Offer.Status.PENDING)
    Member.objects.filter(pk=members[0].pk).delete()
    client = Client()
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in [
        "/gestion/conseil/",
        f"/gestion/conseil/propositions/{members[0].offer_id}/",
        f"/gestion/conseil/membres/{members[1].pk}/",
        "/gestion/courriers/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator(".staff-nav").count() == 1, path
        assert_no_axe_violations(axe, page)
    page.goto(f"{live_server.url}/gestion/conseil/propositions/{members[0].offer_id}/")
    page.get_by_role("button", name="Enregistrer la réponse").click()  # nothing chosen
    page.wait_for_selector(".error-summary")
    assert_no_axe_violations(axe, page)


@pytest.mark.django_db
def test_the_reply_pages_name_the_council_once_in_their_title(client, drawn):
    # The titles added the council's name before the site's « Conseil … – Roubaix »: twice.
    offer, code = open_offers(drawn.result, now=dt.datetime.now(dt.UTC))[0]

    def title(response) -> str:
        return response.text.split("<title>", 1)[1].split("</title>", 1)[0]

    site = "Conseil local du numérique – Roubaix"
    assert title(client.get(f"/reponse/{code}/")) == f"Votre réponse – {site}"
    confirm = client.post(f"/reponse/{code}/", {"answer": "decline"})
    assert title(confirm) == f"Confirmez votre réponse « Non » – {site}"
    assert title(client.post(f"/reponse/{code}/", {})) == f"Erreur : Votre réponse – {site}"
    unknown = client.get("/reponse/ABCDE-FGHJK/")
    assert title(unknown) == f"Erreur : Répondre à votre courrier – {site}"
