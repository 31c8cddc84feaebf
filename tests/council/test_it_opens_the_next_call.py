"""A coordinator opens a new call for the seats that free up: same features and quotas, new dates."""

import datetime as dt

import pytest

from tirage.audit.models import AuditEntry
from tirage.calls.callfile import closing_datetime
from tirage.calls.models import PARIS, Call
from tirage.council.errors import CouncilError
from tirage.council.services.renewals import open_next_call


def test_new_call_copies_features_quotas_and_offices(drawn):
    old = drawn.call
    new = open_next_call(
        old,
        slug="roubaix-cln-2027",
        opens_at=dt.datetime(2027, 5, 3, tzinfo=PARIS),
        closes_at=closing_datetime(dt.date(2027, 6, 4)),
        draw_date=dt.date(2027, 6, 11),
    )
    assert new.pk != old.pk and new.council_name == old.council_name and new.seats == 20
    assert new.mandate_months == 24 and new.renewals_allowed == 1
    quotas = lambda call: [  # noqa: E731
        (f.key, f.source, [(v.key, v.min, v.max) for v in f.values.all()])
        for f in call.features.all()
    ]
    assert quotas(new) == quotas(old) and len(quotas(new)) == 2
    assert set(new.offices.all()) == set(old.offices.all())
    assert not new.applications.exists() and Call.objects.count() == 2
    assert AuditEntry.objects.filter(action="call.created_from", object_id=str(new.pk)).exists()
    # The old call is unchanged.
    assert old.features.first().call_id == old.pk


def test_bad_dates_and_taken_slug_are_refused(drawn):
    from django.core.exceptions import ValidationError

    with pytest.raises(CouncilError, match="existe déjà"):
        open_next_call(
            drawn.call,
            slug=drawn.call.slug,
            opens_at=drawn.call.opens_at,
            closes_at=drawn.call.closes_at,
            draw_date=drawn.call.draw_date,
        )
    with pytest.raises(ValidationError):
        open_next_call(
            drawn.call,
            slug="x-2027",
            opens_at=dt.datetime(2027, 6, 5, tzinfo=PARIS),
            closes_at=dt.datetime(2027, 6, 1, tzinfo=PARIS),
            draw_date=dt.date(2027, 6, 11),
        )
    assert Call.objects.count() == 1


def test_the_command_creates_the_call_and_names_bad_dates(drawn, capsys):
    from django.core.management import CommandError, call_command

    call_command(
        "open_next_call",
        drawn.call.slug,
        "roubaix-cln-2027",
        "--opens",
        "2027-05-03",
        "--closes",
        "2027-06-04",
        "--draw",
        "2027-06-11",
        "--seats",
        "20",
    )
    assert (
        "Appel « roubaix-cln-2027 » créé : 20 sièges, tirage le 11/06/2027."
        in capsys.readouterr().out
    )
    with pytest.raises(CommandError, match="Le tirage ne peut précéder la clôture"):
        call_command(
            "open_next_call",
            drawn.call.slug,
            "x-2028",
            "--opens",
            "2028-05-03",
            "--closes",
            "2028-06-04",
            "--draw",
            "2028-06-01",
        )
    with pytest.raises(CommandError, match="Date invalide « 2028-13-01 »"):
        call_command(
            "open_next_call",
            drawn.call.slug,
            "x-2028",
            "--opens",
            "2028-13-01",
            "--closes",
            "2028-06-04",
            "--draw",
            "2028-06-11",
        )
