"""Letters and e-mails are produced after the answer's transaction commits, never under the
offer's row lock, and never for an answer that was rolled back (real transactions here)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tests.aftermath import drawn_call
from tirage.council.models import Offer
from tirage.council.services.answers import record_answer
from tirage.council.services.offers import open_offers
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


def test_a_public_decline_writes_the_replacement_letter_after_the_commit(client, laid_out):
    drawn = drawn_call()
    offer, code = open_offers(drawn.result, now=timezone.now())[0]
    step = client.post(f"/reponse/{code}/", {"answer": "decline"})
    assert step.status_code == 200 and "Ce qui ne pourra pas être défait" in step.text
    assert not Offer.objects.filter(replaces=offer).exists() and laid_out == []
    response = client.post(f"/reponse/{code}/", {"answer": "decline", "confirmer": "1"})
    assert response.status_code == 302 and response["Location"] == "/reponse/merci/?r=non"
    new = Offer.objects.get(replaces=offer)
    assert new.letters.get().letter.kind == Kind.REPLACEMENT
    assert laid_out == [False]  # was True: the PDF was made inside record_answer's transaction
    assert [m.to for m in mail.outbox] == [[new.application.email]]


def test_a_decline_rolled_back_sends_nothing(laid_out):
    drawn = drawn_call()
    offer, _code = open_offers(drawn.result, now=timezone.now())[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        record_answer(offer, accepted=False, via=Offer.Via.STAFF)
        raise RuntimeError("the staff member's request failed after the answer")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING and not Offer.objects.filter(replaces=offer)
    assert laid_out == [] and not Letter.objects.exists() and not mail.outbox
