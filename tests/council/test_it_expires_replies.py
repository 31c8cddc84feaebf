"""``tirage expire_replies``: no answer by the deadline → expired, and the seat is offered to the reserve list."""

import datetime as dt

import pytest
from django.core.management import call_command

pytest.importorskip(
    "tirage.sortition.reserve", reason="the engine's reserve module is not merged yet"
)

from tests.aftermath import AFTER_DRAW, lay_out_queued_offer_letters  # noqa: E402
from tirage.calls.models import PARIS  # noqa: E402
from tirage.council.models import Offer  # noqa: E402
from tirage.council.services.answers import expire_replies, record_answer
from tirage.council.services.offers import open_offers  # noqa: E402
from tirage.council.services.seat_letters import letters_on_the_way  # noqa: E402
from tirage.letters.models import Kind  # noqa: E402


@pytest.fixture
def silent(drawn):
    """Everyone accepted except the man of sud selected first (slot sud-1)."""
    offers = {o.receipt_code: o for o, _ in open_offers(drawn.result, now=AFTER_DRAW)}
    silent = offers.pop(drawn.by_slot[("sud", 1)])
    for offer in offers.values():
        record_answer(offer, accepted=True, via=Offer.Via.STAFF, now=AFTER_DRAW)
    return silent


def test_nothing_expires_on_the_deadline_day(silent):
    assert silent.deadline == dt.date(2025, 7, 7)
    assert expire_replies(now=dt.datetime(2025, 7, 7, 23, 59, tzinfo=PARIS)) == []
    silent.refresh_from_db()
    assert silent.status == Offer.Status.PENDING


def test_the_day_after_the_seat_goes_to_the_reserve(drawn, silent):
    expired = expire_replies(now=dt.datetime(2025, 7, 8, 0, 0, 1, tzinfo=PARIS))
    assert [o.pk for o in expired] == [silent.pk]
    silent.refresh_from_db()
    assert silent.status == Offer.Status.EXPIRED and silent.answered_via == Offer.Via.SYSTEM
    new = Offer.objects.get(replaces=silent)
    # The first of the silent member's seat list (docs/draw-protocol.md, section 5): the
    # reserve person most like them who keeps the quotas — sud-5, a man of sud like sud-1 —
    # even where sud-4 (a woman of sud, also within the quotas) comes first in the global order.
    first_sud = next(
        c
        for c in drawn.result.reserve
        if c in {drawn.by_slot[("sud", 4)], drawn.by_slot[("sud", 5)]}
    )
    assert new.receipt_code == drawn.by_slot[("sud", 5)]
    assert first_sud == drawn.by_slot[("sud", 4)]  # the case that tells the two rules apart
    assert new.deadline == dt.date(2025, 7, 29)
    assert letters_on_the_way([new.pk, silent.pk]) == {new.pk}  # queued for the worker
    assert lay_out_queued_offer_letters() == ["done"]
    assert new.letters.get().letter.kind == Kind.REPLACEMENT
    # Running again does nothing more.
    assert expire_replies(now=dt.datetime(2025, 7, 9, tzinfo=PARIS)) == []
    assert Offer.objects.filter(replaces__isnull=False).count() == 1


def test_the_command_reports_what_it_did(silent, capsys):
    call_command("expire_replies")  # today is long after July 2025
    out = capsys.readouterr().out
    assert f"{silent.receipt_code} : sans réponse → proposé à " in out
    assert "1 proposition(s) expirée(s)." in out
