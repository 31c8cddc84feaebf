"""Letters about a seat are queued with the answer and laid out by the real worker: never in the
web request, never under the offer's row lock, never for an answer that was rolled back; a
letter that fails leaves the offer pending with its old code, and says so (real transactions
and the real worker here)."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from tests.aftermath import drawn_call
from tests.conftest import queued
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.council.models import Offer
from tirage.council.services.answers import record_answer
from tirage.council.services.offers import find_offer, open_offers
from tirage.council.tasks import offer_letters
from tirage.letters import rendering
from tirage.letters.models import Kind, Letter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def laid_out(monkeypatch):
    """Whether a transaction was open each time letters were laid out."""
    seen: list[bool] = []
    original = rendering.render_batch

    def watching(contents, **kwargs):
        seen.append(transaction.get_connection().in_atomic_block)
        return original(contents, **kwargs)

    monkeypatch.setattr(rendering, "render_batch", watching)
    return seen


def test_a_public_decline_queues_the_replacement_letter_for_the_worker(client, laid_out, run_tasks):
    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    step = client.post(f"/reponse/{code}/", {"answer": "decline"})
    assert step.status_code == 200 and "Ce qui ne pourra pas être défait" in step.text
    assert not Offer.objects.filter(replaces=offer).exists() and laid_out == []
    response = client.post(f"/reponse/{code}/", {"answer": "decline", "confirmer": "1"})
    assert response.status_code == 302 and response["Location"] == "/reponse/merci/?r=non"
    new = Offer.objects.get(replaces=offer)
    # The web request laid nothing out and sent nothing: the letter waits for the worker.
    assert laid_out == [] and not mail.outbox and not new.letters.exists()
    assert queued(offer_letters) == 1
    results = run_tasks()
    assert sorted(r.task_path.rsplit(".", 1)[1] for r in results) == ["offer_letters", "send_copy"]
    assert all(r.status == "SUCCESSFUL" for r in results)
    assert new.letters.get().letter.kind == Kind.REPLACEMENT
    assert laid_out == [False]  # outside any transaction, in the worker
    [copy] = mail.outbox
    assert copy.to == [new.application.email]
    # The code printed on the attached letter answers for the new offer.
    _name, content, _mimetype = copy.attachments[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    printed = re.search(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b", text)
    assert printed is not None and find_offer(printed.group()) == new


def _declined_online(client) -> Offer:
    """A drawn call whose first selected person said « Non » online: the replacement's offer."""
    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    client.post(f"/reponse/{code}/", {"answer": "decline", "confirmer": "1"})
    return Offer.objects.get(replaces=offer)


def test_a_letter_that_fails_leaves_the_offer_pending_and_says_so(client, monkeypatch, run_tasks):
    new = _declined_online(client)
    hash_before = new.token_hash

    def broken(contents, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "render_batch", broken)
    [result] = run_tasks()
    assert (result.task_path.rsplit(".", 1)[1], result.status) == ("offer_letters", "FAILED")
    new.refresh_from_db()
    assert new.status == Offer.Status.PENDING and new.token_hash == hash_before
    assert not Letter.objects.exists() and not mail.outbox
    client.force_login(make_staff("coordination", COORDINATOR))
    overview = client.get("/gestion/conseil/").content.decode()
    # Everyone selected is still pending here (no letters run in this test), and the new offer.
    assert "20 propositions en attente sans courrier" in overview
    page = client.get(f"/gestion/conseil/propositions/{new.pk}/").content.decode()
    assert "aucun courrier produit" in page and "en préparation" not in page


def test_a_decline_rolled_back_sends_nothing(laid_out):
    drawn = drawn_call()
    offer, _code = open_offers(drawn.result, now=timezone.now())[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        record_answer(offer, accepted=False, via=Offer.Via.STAFF)
        raise RuntimeError("the staff member's request failed after the answer")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING and not Offer.objects.filter(replaces=offer)
    assert laid_out == [] and not Letter.objects.exists() and not mail.outbox


def test_a_lost_letter_sent_again_that_fails_is_shown_as_failed(client, monkeypatch, run_tasks):
    # « Renvoyer le courrier » stops the old code at once; if the worker then fails, the
    # staff pages listed the earlier letter as if it were sent, with no working code.
    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    client.post(f"/reponse/{code}/", {"answer": "decline", "confirmer": "1"})
    new = Offer.objects.get(replaces=offer)
    assert {r.status for r in run_tasks()} == {"SUCCESSFUL"}
    first = new.letters.get().letter
    new.refresh_from_db()
    printed_hash = new.token_hash  # the code printed on the first letter
    client.force_login(make_staff("coordination", COORDINATOR))
    client.post(f"/gestion/conseil/propositions/{new.pk}/renvoyer/")

    def broken(contents, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "render_batch", broken)
    assert [r.status for r in run_tasks()][-1] == "FAILED"
    new.refresh_from_db()
    assert new.status == Offer.Status.PENDING and list(new.letters.all()) == [new.letters.get()]
    assert new.token_hash != printed_hash  # the first letter's code no longer works
    page = client.get(f"/gestion/conseil/propositions/{new.pk}/").content.decode()
    assert f"lot n° {first.batch_id}" in page
    assert "le nouvel envoi a échoué : aucun courrier produit" in page
    assert "courrier en préparation" not in page
    overview = client.get("/gestion/conseil/").content.decode()
    assert "échec du nouvel envoi" in overview
    # Everyone selected is still pending without a letter (none run here), and the new offer.
    assert "20 propositions en attente sans courrier" in overview
    # Sent again, and laid out this time: the failure is over.
    monkeypatch.undo()
    client.post(f"/gestion/conseil/propositions/{new.pk}/renvoyer/")
    assert [r.status for r in run_tasks()][-2:] == ["SUCCESSFUL", "SUCCESSFUL"]
    page = client.get(f"/gestion/conseil/propositions/{new.pk}/").content.decode()
    assert "a échoué" not in page and new.letters.count() == 2
    assert "échec du nouvel envoi" not in client.get("/gestion/conseil/").content.decode()


def test_an_answer_recorded_during_the_layout_stores_no_letter(client, monkeypatch, run_tasks):
    new = _declined_online(client)
    hash_before = new.token_hash
    original = rendering.render_batch

    def answered_meanwhile(contents, **kwargs):
        # A paper slip recorded at the counter while the worker lays the letter out.
        Offer.objects.filter(pk=new.pk).update(status=Offer.Status.ACCEPTED)
        return original(contents, **kwargs)

    monkeypatch.setattr(rendering, "render_batch", answered_meanwhile)
    [result] = run_tasks()
    assert (result.status, result.return_value) == ("SUCCESSFUL", "answered")
    new.refresh_from_db()
    assert new.token_hash == hash_before  # no new code for an offer already answered
    assert not Letter.objects.exists() and not mail.outbox
