"""A member who resigns leaves the roster; the seat goes to the reserve list, shown publicly as a resignation."""

import datetime as dt

import pytest

pytest.importorskip(
    "tirage.sortition.reserve", reason="the engine's reserve module is not merged yet"
)

from tests.aftermath import AFTER_DRAW  # noqa: E402
from tests.council.helpers import install_all  # noqa: E402
from tirage.calls.models import PARIS  # noqa: E402
from tirage.council.errors import CouncilError
from tirage.council.models import Member, Offer  # noqa: E402
from tirage.council.services.answers import record_answer  # noqa: E402
from tirage.council.services.mandates import end_membership


def test_resignation_offers_the_seat_and_the_replacement_completes_the_term(client, drawn):
    members = install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 9, 1))
    leaving = next(m for m in members if m.application.receipt_code == drawn.by_slot[("centre", 0)])
    now = dt.datetime(2026, 3, 2, 10, tzinfo=PARIS)
    new = end_membership(
        leaving, reason=Member.EndReason.RESIGNED, note="déménagement prévu", now=now
    )
    assert new.replaces.receipt_code == leaving.application.receipt_code
    assert drawn.draw.pool.members.get(receipt_code=new.receipt_code).values["secteur"] == "centre"
    record_answer(new, accepted=True, via=Offer.Via.STAFF, now=now, start_date=dt.date(2026, 3, 16))
    replacement = Member.objects.get(offer=new)
    assert replacement.replaces == leaving
    assert (replacement.start_date, replacement.end_date) == (
        dt.date(2026, 3, 16),
        dt.date(2027, 8, 31),
    )
    html = client.get("/tirage/resultats/").content.decode()
    assert f"{leaving.application.receipt_code}</span> (démission)" in html
    with pytest.raises(CouncilError, match="déjà quitté"):
        end_membership(leaving, reason=Member.EndReason.RESIGNED, now=now)
