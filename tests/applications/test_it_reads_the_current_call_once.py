"""One request reads the current call once; a call edited meanwhile is read again."""

from __future__ import annotations

import datetime as dt
import uuid

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


def _structure_selects(queries: CaptureQueriesContext) -> int:
    tables = ('FROM "calls_feature"', 'FROM "calls_featurevalue"', 'FROM "calls_office"')
    return sum(any(t in q["sql"] for t in tables) for q in queries.captured_queries)


def _in_a_request(read):
    token = remember_current_call()
    try:
        with CaptureQueriesContext(connection) as queries:
            result = read(Call.objects.current())
        return result, queries
    finally:
        forget_current_call(token)


def _structure(call: Call):
    return (
        dict(call.secteur_choices),
        [(f.key, [(v.key, v.min, v.max) for v in f.values.all()]) for f in call.feature_list],
        [o.code for o in call.office_list],
    )


def test_the_next_request_reuses_the_structure_until_a_value_office_or_feature_changes():
    call = roubaix_call()
    first, queries = _in_a_request(_structure)
    assert _structure_selects(queries) == 3  # features, their values, offices
    again, queries = _in_a_request(_structure)
    assert again == first and _structure_selects(queries) == 0
    assert _call_selects(queries) == 1  # the call's row itself is read on every request

    value = FeatureValue.objects.get(feature__call=call, feature__source="secteur", key="nord")
    value.max = value.max + 1
    value.save()
    changed, queries = _in_a_request(_structure)
    assert _structure_selects(queries) == 3
    quotas = {key: (low, high) for key, low, high in dict(changed[1])["secteur"]}
    assert quotas["nord"] == (value.min, value.max)

    office = call.offices.order_by("order").first()
    call.offices.remove(office)
    without, queries = _in_a_request(_structure)
    assert _structure_selects(queries) == 3 and office.code not in without[2]

    feature = call.features.get(source="secteur")
    feature.label = "Mairie de quartier"
    feature.save()
    _, queries = _in_a_request(_structure)
    assert _structure_selects(queries) == 3


def test_a_version_changed_by_another_process_is_read_again():
    call = roubaix_call()
    _in_a_request(_structure)
    # Another server process saved a value: this process only sees the call's new version.
    FeatureValue.objects.filter(feature__call=call, key="nord").update(label="Nord (autre)")
    Call.objects.filter(pk=call.pk).update(structure_version=uuid.uuid4())
    seen, queries = _in_a_request(_structure)
    assert _structure_selects(queries) == 3 and seen[0]["nord"] == "Nord (autre)"
