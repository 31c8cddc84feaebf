"""Between the next call's draw and the installation of its members, the council that sits
(meetings, opinions, public pages) is still the previous one: it does not vanish when the
dice are thrown (found in a fresh-eyes walk of the demo: « 0 membres en exercice »)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.meetings.helpers import installed_council
from tests.meetings.staff import council_year, text
from tirage.calls.models import PARIS, Call
from tirage.council.services.offers import sitting_call, term_call
from tirage.council.services.renewals import open_next_call
from tirage.draws.models import Draw, DrawResult, FrozenPool

pytestmark = pytest.mark.django_db


def _next_call_drawn(council) -> Call:
    """The next call opened, frozen and drawn (nobody installed from it yet)."""
    today = timezone.localdate()
    new = open_next_call(
        council.call,
        slug="roubaix-cln-suivant",
        opens_at=dt.datetime.combine(today - dt.timedelta(days=60), dt.time(9), tzinfo=PARIS),
        closes_at=dt.datetime.combine(today - dt.timedelta(days=20), dt.time(23), tzinfo=PARIS),
        draw_date=today - dt.timedelta(days=10),
    )
    pool = FrozenPool.objects.create(call=new, size=0, fingerprint="0" * 64)
    draw = Draw.objects.create(pool=pool, status=Draw.Status.DRAWN, commitment="ab" * 32)
    DrawResult.objects.create(
        draw=draw,
        randomness={"dice": [1, 2, 3]},
        panel_index=122,
        selected=[],
        reserve=[],
        result_path="draws/none/result.json",
        result_sha256="cd" * 32,
    )
    return new


def test_the_sitting_council_keeps_its_pages_once_the_next_call_is_drawn(
    client, as_user, coordinator
):
    council = installed_council()
    year = council_year(council)
    new = _next_call_drawn(council)
    # The draw's pages (seats, letters, installation) move to the new call…
    assert Call.objects.current() == new and term_call() == new
    # …the sitting council stays where it meets.
    assert sitting_call() == council.call
    page = text(client.get("/conseil/"))
    assert "20 membres en exercice" in page
    assert f'href="/conseil/reunions/{year.october.pk}/"' in page
    staff = as_user(coordinator)
    meetings = text(staff.get("/gestion/conseil/reunions/"))
    assert year.october.title in meetings
    # Once the sitting members' mandates are over, the new call's council is the one shown.
    after_term = max(m.end_date for m in council.members) + dt.timedelta(days=1)
    assert sitting_call(after_term) == new
