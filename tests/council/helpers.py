import datetime as dt

from tirage.council.models import Member, Offer
from tirage.council.services.answers import record_answer
from tirage.council.services.offers import open_offers


def install_all(drawn, *, now, start: dt.date, consent=lambda app: False):
    """Every selected person accepts (recorded by staff) with a mandate from ``start``; returns the members."""
    for offer, _ in open_offers(drawn.result, now=now):
        record_answer(
            offer,
            accepted=True,
            via=Offer.Via.STAFF,
            now=now,
            start_date=start,
            public_consent=consent(offer.application),
        )
    return list(Member.objects.order_by("id"))
