"""Template helpers of the draw pages: French percentages, shares, the home page notice."""

from __future__ import annotations

from django import template

from tirage.draws import charts
from tirage.draws.services import public_draw

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.6667 → « 66,7 % »; ``None`` → « inconnue »."""
    return charts.percent(share)


@register.filter
def pool_share(row, pool_size: int) -> float | None:
    return row.pool / pool_size if pool_size else None


@register.filter
def seat_share(row, seats: int) -> float | None:
    return row.expected_seats / seats if seats else None


@register.inclusion_tag("draws/_home_notice.html")
def public_draw_notice(call) -> dict:
    """A short block for the home page once the draw's commitment is public (nothing before)."""
    draw = public_draw(call) if call else None
    return {"call": call, "draw": draw}
