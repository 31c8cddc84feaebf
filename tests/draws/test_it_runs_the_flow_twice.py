"""``tirage draw_flow`` run again: idempotent with the same dice, refuses other dice loudly."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tirage.draws import services
from tirage.draws.flow import run_flow


def test_flow_again_with_the_same_dice_returns_the_result(committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    files = run_flow(committed.pool.call, dice=[4, 2, 7], strict=True)
    assert files["result"].exists()
    assert run_flow(committed.pool.call)["result"] == files["result"]  # no dice: as is


def test_flow_again_with_other_dice_says_the_draw_is_done(committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    # Used to print the old result's path silently, as if 1 1 1 had been drawn.
    with pytest.raises(CommandError, match="déjà eu lieu avec les dés 4 2 7"):
        call_command("draw_flow", "--dice", "1", "1", "1")
    committed.refresh_from_db()
    assert committed.result.panel_index == 427


def test_draw_flow_never_closes_a_real_call_early(db):
    from django.utils import timezone

    from tests.factories import roubaix_call
    from tirage.audit.models import AuditEntry

    call = roubaix_call(open_on=timezone.localdate())
    closes_at = call.closes_at
    with pytest.raises(CommandError, match="L'appel est ouvert jusqu'au .* après la clôture"):
        call_command("draw_flow", "--dice", "4", "2", "7")
    call.refresh_from_db()
    assert call.closes_at == closes_at and not call.pools.exists()
    assert not AuditEntry.objects.filter(action="call.closed_early").exists()


def test_draw_flow_refuses_while_applications_await_a_decision(call, pool_apps):
    from tests.factories import applicant
    from tirage.applications.models import Application, Status
    from tirage.applications.services import submit_application

    twin = pool_apps[0]
    # The same person typed again: a probable duplicate, left for staff to decide.
    data = applicant(
        family_name=twin.family_name, given_name=twin.given_name, birth_date=twin.birth_date
    )
    waiting = submit_application(
        call, data, channel="paper", received_on=call.closing_date
    ).application
    assert waiting.status == Status.RECEIVED
    with pytest.raises(CommandError, match="1 candidature\\(s\\) attendent une décision"):
        call_command("draw_flow", "--dice", "4", "2", "7")
    assert Application.objects.get(pk=waiting.pk).status == Status.RECEIVED  # not « démo »-decided
    assert not call.pools.exists()


def test_draw_flow_names_an_unknown_call_instead_of_a_traceback(call):
    with pytest.raises(CommandError, match="Aucun appel « nope » ; appels chargés : roubaix"):
        call_command("draw_flow", "--call", "nope", "--dice", "4", "2", "7")
    assert not call.pools.exists()
