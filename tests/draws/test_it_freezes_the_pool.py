import datetime as dt

import pytest

from tests.draws.conftest import AFTER_DEADLINE
from tests.factories import applicant
from tirage.applications.models import Status
from tirage.applications.services import submit_application
from tirage.audit.models import AuditEntry
from tirage.draws.models import FrozenPool, ImmutableError
from tirage.draws.pool import FreezeError, freeze_pool, pool_fingerprint


def test_freeze_before_deadline_is_refused(call, pool_apps):
    with pytest.raises(FreezeError, match="pas clos"):
        freeze_pool(call, now=dt.datetime(2025, 6, 6, 21, 0, tzinfo=dt.UTC))  # 23:00 in Paris


def test_freeze_takes_eligible_applications_by_code(call, pool_apps):
    pool_apps[0].change_status(Status.WITHDRAWN, reason="retrait")
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    assert pool.size == 29
    codes = set(pool.members.values_list("receipt_code", flat=True))
    assert pool_apps[0].receipt_code not in codes
    member = pool.members.get(receipt_code=pool_apps[1].receipt_code)
    assert member.values == {"secteur": "nord", "genre": "homme"}
    # The fingerprint is recomputable from codes and values alone.
    expected = pool_fingerprint(call, [(m.receipt_code, m.values) for m in pool.members.all()])
    assert pool.fingerprint == expected and len(expected) == 64
    assert AuditEntry.objects.filter(action="pool.frozen", object_id=str(pool.pk)).count() == 1


def test_frozen_pool_rejects_edits(call, pool_apps):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    member = pool.members.first()
    original = dict(member.values)
    member.values = {"secteur": "sud", "genre": "femme"}
    with pytest.raises(ImmutableError):
        member.save()
    with pytest.raises(ImmutableError):
        pool.save()
    with pytest.raises(ImmutableError):
        member.delete()
    member.refresh_from_db()
    assert member.values == original


def test_pending_decisions_block_the_freeze(call, pool_apps):
    when = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
    twin = pool_apps[0]
    submit_application(
        call,
        applicant(
            family_name=twin.family_name.upper(),
            given_name=twin.given_name,
            birth_date=twin.birth_date,
        ),
        now=when,
    )
    with pytest.raises(FreezeError, match="1 candidature"):
        freeze_pool(call, now=AFTER_DEADLINE)


def test_a_second_pool_needs_a_reason_and_replaces_the_first(call, pool_apps):
    first = freeze_pool(call, now=AFTER_DEADLINE)
    with pytest.raises(FreezeError, match="motif"):
        freeze_pool(call, now=AFTER_DEADLINE)
    pool_apps[2].change_status(Status.INELIGIBLE, reason="n'habite pas Roubaix")
    second = freeze_pool(call, now=AFTER_DEADLINE, reason="correction tardive")
    assert second.replaces == first and second.size == first.size - 1
    assert second.fingerprint != first.fingerprint


def test_missing_secteur_blocks_the_freeze(call):
    when = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
    app = submit_application(call, applicant(secteur="", quartier=""), now=when).application
    with pytest.raises(FreezeError, match=app.receipt_code):
        freeze_pool(call, now=AFTER_DEADLINE)


def test_new_freeze_reason_is_labelled_required_not_optional(client, coordinator, call, pool_apps):
    client.force_login(coordinator)
    assert client.post("/gestion/tirage/geler/").status_code == 302  # first freeze: no reason
    assert FrozenPool.objects.filter(call=call).count() == 1
    page = client.get("/gestion/tirage/").content.decode()
    assert "Motif du nouveau gel" in page
    assert (
        "(facultatif)" not in page
    )  # used to read « (obligatoire pour un nouveau gel) (facultatif) »
    client.post("/gestion/tirage/geler/", {"reason": "Correction tardive"})
    assert FrozenPool.objects.filter(call=call).count() == 2


def test_every_blocker_is_listed_at_once_as_links(client, coordinator, call, pool_apps):
    """A duplicate awaiting a decision and an application without secteur: both at once,
    each a link to its page (it used to say one problem, then the next)."""
    when = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
    twin = pool_apps[0]
    pending = submit_application(
        call,
        applicant(
            family_name=twin.family_name.upper(),
            given_name=twin.given_name,
            birth_date=twin.birth_date,
        ),
        now=when,
    ).application
    no_area = submit_application(call, applicant(secteur="", quartier=""), now=when).application
    with pytest.raises(FreezeError) as caught:
        freeze_pool(call, now=AFTER_DEADLINE)
    codes = {code for _, code, _ in caught.value.blockers}
    assert pending.receipt_code in codes and no_area.receipt_code in codes
    assert "attendent une décision" in str(caught.value) and "pas de valeur" in str(caught.value)

    client.force_login(coordinator)
    page = client.post("/gestion/tirage/geler/", follow=True).text
    assert f"{len(codes)} candidature(s) à traiter" in page
    for application in (pending, no_area):
        assert (
            f'<a href="/gestion/candidatures/{application.pk}/">{application.receipt_code}</a>'
            in page
        )
    assert not FrozenPool.objects.exists()
