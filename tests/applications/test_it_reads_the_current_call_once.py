"""One request reads the current call once; a call edited meanwhile is read again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import roubaix_call
from tirage.calls.models import Call, FeatureValue, forget_current_call, remember_current_call

pytestmark = pytest.mark.django_db


def _call_selects(queries: CaptureQueriesContext) -> int:
    return sum('FROM "calls_call"' in q["sql"] for q in queries.captured_queries)


def test_a_form_step_reads_the_call_its_features_and_offices_once(client):
    roubaix_call(open_on=dt.date.today())
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/candidater/")
    assert page.status_code == 200
    # The view, the header's site title (twice in the page) and the form: one query.
    assert _call_selects(queries) == 1


def test_outside_a_request_every_call_is_read_again():
    roubaix_call()
    with CaptureQueriesContext(connection) as queries:
        first, second = Call.objects.current(), Call.objects.current()
    assert first == second and first is not second
    assert _call_selects(queries) == 2


def test_a_value_saved_during_the_request_is_seen_by_the_next_lookup():
    call = roubaix_call()
    token = remember_current_call()
    try:
        before = Call.objects.current()
        assert Call.objects.current() is before
        value = FeatureValue.objects.get(feature__call=call, feature__source="secteur", key="nord")
        value.label = "Mairie de quartier Nord (nouveau nom)"
        value.save()
        after = Call.objects.current()
        assert after is not before
        assert dict(after.secteur_choices)["nord"] == "Mairie de quartier Nord (nouveau nom)"
        # A filtered lookup is never remembered.
        assert Call.objects.filter(slug="autre").current() is None
    finally:
        forget_current_call(token)
