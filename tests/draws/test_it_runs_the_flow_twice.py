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
