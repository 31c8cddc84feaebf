"""Test helpers: the Roubaix call re-dated around a given day, and valid applicant data."""

from __future__ import annotations

import datetime as dt

from tirage.calls.callfile import load_call_file


def roubaix_call(*, open_on: dt.date | None = None):
    """The shipped Roubaix 2025 call, re-dated so that it is open on ``open_on`` (default: as shipped)."""
    if open_on is None:
        return load_call_file()
    # The shipped call opens 2025-05-05 and closes 2025-06-06: open_on becomes day 10.
    shift = (open_on - dt.date(2025, 5, 15)).days
    return load_call_file(shift_days=shift)


def applicant(**overrides):
    data = dict(
        gender="femme",
        family_name="Dupont",
        given_name="Amélie",
        birth_date=dt.date(1980, 3, 14),
        street_number="12",
        street_name="Boulevard de Fourmies",
        address_complement="",
        postcode="59100",
        commune="Roubaix",
        secteur="sud",
        quartier="Q13",
        area_source="address",
        email="amelie@example.org",
        phone="",
        motivation="",
        consent_notice=True,
        attests_residence=True,
    )
    data.update(overrides)
    return data
