"""Public roster: first name, initial and quartier for those who agreed; otherwise only the quartier."""

import datetime as dt

from tests.aftermath import AFTER_DRAW
from tests.council.helpers import install_all
from tirage.council.models import Member


def test_roster_respects_consent(client, drawn):
    first, second = (drawn.apps[c] for c in drawn.result.selected[:2])
    first.given_name, first.family_name, first.quartier = "Hélène", "Lefèvre-Dupré", "Q02"
    first.save()
    second.given_name, second.family_name, second.quartier = "Karim", "Benali", "Q02"
    second.save()
    install_all(
        drawn, now=AFTER_DRAW, start=dt.date(2025, 9, 1), consent=lambda app: app.pk == first.pk
    )
    Member.objects.filter(application=drawn.apps[drawn.result.selected[2]]).update(
        ended_on=dt.date(2025, 10, 1), end_reason=Member.EndReason.RESIGNED
    )
    html = client.get("/conseil/membres/").content.decode()
    assert "<li>Hélène L. — Alma – Fosse aux Chênes</li>" in html
    assert "Lefèvre" not in html and "Karim" not in html and "Benali" not in html
    assert html.count("<li>Membre du quartier") == 18  # 20 members, one named, one gone
    assert "<li>Membre du quartier Alma – Fosse aux Chênes</li>" in html


def test_roster_before_installation(client, drawn):
    html = client.get("/conseil/membres/").content.decode()
    assert "Le conseil n'est pas encore installé." in html


def test_roster_still_shows_the_council_when_a_new_call_is_open(client, drawn):
    from tirage.calls.callfile import closing_datetime
    from tirage.calls.models import PARIS
    from tirage.council.services.renewals import open_next_call

    install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 9, 1), consent=lambda app: True)
    open_next_call(
        drawn.call,
        slug="roubaix-cln-2027",
        opens_at=dt.datetime(2026, 11, 1, tzinfo=PARIS),
        closes_at=closing_datetime(dt.date(2027, 6, 4)),
        draw_date=dt.date(2027, 6, 11),
    )
    html = client.get("/conseil/membres/").content.decode()
    assert html.count("<li>") >= 20 and "Prénom00 N." in html
