"""Coordinators record the reply slips received on paper; other roles cannot."""

import pytest

from tests.aftermath import AFTER_DRAW
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR, OBSERVER
from tirage.council.models import Member, Offer
from tirage.council.services.offers import open_offers


@pytest.fixture
def offer(drawn):
    offer, code = open_offers(drawn.result, now=AFTER_DRAW)[0]
    offer.clear_code = code  # known only here, as on the printed letter
    return offer


def _user(role):
    return make_staff(role.replace(" ", ""), role)


def test_coordinator_records_an_acceptance(client, offer):
    client.force_login(_user(COORDINATOR))
    page = client.get("/gestion/conseil/")
    assert page.status_code == 200 and offer.receipt_code in page.content.decode()
    response = client.post(
        f"/gestion/conseil/propositions/{offer.pk}/reponse/",
        {"answer": "accept", "public_consent": "on"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED and offer.answered_via == Offer.Via.STAFF
    assert offer.answered_by.username == "coordination"
    assert Member.objects.get(offer=offer).public_consent


def test_a_late_paper_slip_is_still_recorded_by_staff(client, offer):
    # The deadline (7 July 2025) is past: online answers are refused, a slip posted in time is not.
    client.force_login(_user(COORDINATOR))
    client.post(f"/gestion/conseil/propositions/{offer.pk}/reponse/", {"answer": "accept"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED


def test_missing_choice_changes_nothing(client, offer):
    client.force_login(_user(COORDINATOR))
    response = client.post(f"/gestion/conseil/propositions/{offer.pk}/reponse/", {})
    assert response.status_code == 400
    assert response.context["form"].errors["answer"] == [
        "Choisissez la réponse reçue : accepte ou refuse."
    ]
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING


def test_observer_is_refused(client, offer):
    client.force_login(_user(OBSERVER))
    assert client.get("/gestion/conseil/").status_code == 403
    assert (
        client.post(
            f"/gestion/conseil/propositions/{offer.pk}/reponse/", {"answer": "decline"}
        ).status_code
        == 403
    )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING


def test_a_lost_letter_is_sent_again_with_a_new_code(client, offer):
    from tests.aftermath import lay_out_queued_offer_letters
    from tirage.council.services.offers import find_offer
    from tirage.letters.models import Kind

    old_hash = offer.token_hash
    client.force_login(_user(COORDINATOR))
    response = client.post(f"/gestion/conseil/propositions/{offer.pk}/renvoyer/")
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "l&#x27;ancien code ne fonctionne plus" in page
    assert "courrier en préparation" in page and "aucun courrier produit" not in page
    offer.refresh_from_db()
    assert offer.token_hash != old_hash and offer.status == Offer.Status.PENDING
    assert find_offer(offer.clear_code) is None  # the lost letter's code no longer works
    assert lay_out_queued_offer_letters() == ["done"]
    assert offer.letters.get().letter.kind == Kind.SELECTED
    page = client.get(f"/gestion/conseil/propositions/{offer.pk}/").content.decode()
    assert "courrier en préparation" not in page and "tiré au sort (coupon-réponse)" in page


def test_a_second_lost_letter_names_no_batch_before_the_worker_lays_it_out(client, offer):
    # The message used to name the batch of the latest letter listed: the lost one.
    from tests.aftermath import lay_out_queued_offer_letters

    client.force_login(_user(COORDINATOR))
    client.post(f"/gestion/conseil/propositions/{offer.pk}/renvoyer/")
    assert lay_out_queued_offer_letters() == ["done"]
    lost = offer.letters.get().letter
    response = client.post(f"/gestion/conseil/propositions/{offer.pk}/renvoyer/", follow=True)
    page = response.content.decode()
    assert (
        f"Nouveau courrier pour {offer.receipt_code} en préparation : "
        "l&#x27;ancien code ne fonctionne plus." in page
    )
    assert f"{offer.receipt_code} (lot n° {lost.batch_id})" not in page
    assert f"lot n° {lost.batch_id}" in page  # still listed, among the offer's letters
    assert lay_out_queued_offer_letters() == ["done"]
    assert offer.letters.count() == 2
