"""The whole chain with the real engine: draw → letters → a decline → replacement within the quotas."""

import pypdf

from tests.aftermath import AFTER_DRAW
from tests.draws.conftest import fill_pool
from tests.factories import roubaix_call
from tirage.council.models import Offer
from tirage.council.services.answers import record_answer
from tirage.council.services.seat_letters import run_letters
from tirage.draws.flow import run_flow
from tirage.draws.models import DrawResult
from tirage.draws.services import instance_for
from tirage.letters.models import Kind, Letter


def test_draw_letters_decline_and_replacement(db):
    call = roubaix_call()
    fill_pool(call)
    run_flow(call, until="results", dice=[4, 2, 7])
    result = DrawResult.objects.get()
    path = run_letters(call, now=AFTER_DRAW)
    assert (
        len(pypdf.PdfReader(path).pages)
        == Letter.objects.get(kind=Kind.SELECTED, receipt_code=result.selected[0]).batch.pages
    )
    assert sorted(
        Letter.objects.filter(kind=Kind.SELECTED).values_list("receipt_code", flat=True)
    ) == sorted(result.selected)
    assert Letter.objects.count() == result.draw.pool.size
    # Someone whose seat can surely be filled: a reserve person has the same secteur and gender.
    values = {m.receipt_code: m.values for m in result.draw.pool.members.all()}
    code = next(c for c in result.selected if any(values[r] == values[c] for r in result.reserve))
    leaving = Offer.objects.get(receipt_code=code)
    record_answer(leaving, accepted=False, via=Offer.Via.STAFF, now=AFTER_DRAW)
    new = Offer.objects.get(replaces=leaving)
    panel = [o.receipt_code for o in Offer.objects.filter(status=Offer.Status.PENDING)]
    instance = instance_for(result.draw.pool)
    assert instance.panel_violations(panel) == []

    # Everyone before the replacement in the reserve order would have broken a quota, or
    # shares fewer features with the person leaving (the seat list: most alike first).
    def alike(c):
        return sum(values[c][f] == v for f, v in values[code].items())

    position = result.reserve.index(new.receipt_code)
    for skipped in result.reserve[:position]:
        others = [c for c in panel if c != new.receipt_code] + [skipped]
        assert instance.panel_violations(others) != [] or alike(skipped) < alike(new.receipt_code)
