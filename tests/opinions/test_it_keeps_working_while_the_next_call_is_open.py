"""While the next call is open (not drawn yet), the staff pages of opinions show the sitting council's work."""

import datetime as dt

from django.utils import timezone

from tests.opinions.helpers import portal_opinion
from tirage.calls.callfile import closing_datetime
from tirage.calls.models import PARIS
from tirage.council.services.renewals import open_next_call


def test_the_overview_lists_the_sitting_councils_opinions(client, coordinator, council):
    opinion = portal_opinion(council)
    today = timezone.localdate()
    open_next_call(
        council.call,
        slug="roubaix-cln-suivant",
        opens_at=dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9), tzinfo=PARIS),
        closes_at=closing_datetime(today + dt.timedelta(days=7)),
        draw_date=today + dt.timedelta(days=14),
    )
    client.force_login(coordinator)
    page = client.get("/gestion/avis/").content.decode()
    assert opinion.title in page
    assert "Aucun avis ni proposition" not in page
    assert client.get(f"/gestion/avis/{opinion.pk}/").status_code == 200
