"""The public reply page: single-use code printed on the letter, valid until the deadline, no JavaScript."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.aftermath import AFTER_DRAW
from tirage.audit.models import AuditEntry
from tirage.council.models import Member, Offer
from tirage.council.services.offers import open_offers


@pytest.fixture
def offer_and_code(drawn):
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    return offer, code


def test_the_code_page_leads_to_the_offer_whatever_the_spelling(client, offer_and_code):
    offer, code = offer_and_code
    page = client.get("/reponse")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="fr"' in html and '<label for="id_code">Votre code de réponse</label>' in html
    typed = code.lower().replace("-", " ")
    response = client.get("/reponse", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/reponse/{code}/"


def test_a_malformed_code_is_named_in_the_error_summary(client, db):
    response = client.get("/reponse", {"code": "ABC"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_code"' in html and "Le code de réponse compte 10 caractères" in html
    assert 'aria-invalid="true"' in html


def test_an_unknown_code_says_so(client, db):
    response = client.get("/reponse/AAAAA-BBBBB/")
    assert response.status_code == 404
    assert "Ce code de réponse n'est pas reconnu" in response.content.decode()


def test_accepting_makes_a_member_and_the_code_cannot_be_used_again(client, offer_and_code):
    offer, code = offer_and_code
    form = client.get(f"/reponse/{code}/")
    html = form.content.decode()
    assert form.status_code == 200 and offer.receipt_code in html
    assert "<legend>Acceptez-vous de siéger au conseil ?</legend>" in html
    response = client.post(f"/reponse/{code}/", {"answer": "accept", "public_consent": "on"})
    assert response.status_code == 302 and response["Location"] == "/reponse/merci/?r=oui"
    offer.refresh_from_db()
    assert (
        offer.status == Offer.Status.ACCEPTED
        and offer.answered_via == Offer.Via.LINK
        and offer.public_consent
    )
    member = Member.objects.get(offer=offer)
    assert member.public_consent and member.start_date == timezone.localdate()
    assert member.end_date == dt.date(
        member.start_date.year + 2, member.start_date.month, member.start_date.day
    ) - dt.timedelta(days=1)
    again = client.post(f"/reponse/{code}/", {"answer": "decline"})
    assert again.status_code == 410 and "déjà enregistrée" in again.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert AuditEntry.objects.filter(action="seat.accepted", object_id=str(offer.pk)).count() == 1


def test_no_choice_gives_an_error_and_records_nothing(client, offer_and_code):
    offer, code = offer_and_code
    response = client.post(f"/reponse/{code}/", {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez « Oui » ou « Non »." in html and 'href="#id_answer_0"' in html
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING


def test_the_code_expires_at_the_end_of_the_deadline_day(client, drawn):
    offer, code = open_offers(drawn.result, now=AFTER_DRAW)[0]
    assert offer.deadline == dt.date(2025, 7, 7)  # 16 June + 21 days
    # (today is long after 7 July 2025)
    response = client.post(f"/reponse/{code}/", {"answer": "accept"})
    assert (
        response.status_code == 410
        and "Le délai de réponse s'est terminé le 7 juillet 2025" in response.content.decode()
    )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING and not Member.objects.exists()


def test_a_code_with_an_extra_accented_letter_is_unknown(client, offer_and_code):
    offer, code = offer_and_code
    # The hash dropped non-ASCII characters: « CODE + é » used to open the offer.
    for typed in (f"{code}é", f"é{code}", f"{code}Ü"):
        response = client.get(f"/reponse/{typed}/")
        assert response.status_code == 404, typed
    assert client.get(f"/reponse/{code.lower()}/").status_code == 200
