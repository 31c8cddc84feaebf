"""Accessible bar charts of a prepared lottery, drawn as inline SVG by the templates.

Each chart carries its figures three times: as bars, as the text written at
the end of each bar, and in ``aria_label`` (read by screen readers, the SVG
having ``role="img"``). The staff page prints the same figures in a table.
No colour carries meaning alone: every bar is labelled with its series.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats

from tirage.draws.stats import ValueRow

BAR_HEIGHT = 22  # px, in the SVG's own units
GAP = 6
LABEL_WIDTH = 150
PLOT_WIDTH = 330
WIDTH = 640  # label + plot + room for the value text


def percent(share: float | None, digits: int = 1) -> str:
    """« 66,7 % » (French decimal comma), or « inconnue » for ``None``."""
    if share is None:
        return "inconnue"
    return f"{formats.number_format(round(share * 100, digits), digits)} %"


@dataclass(frozen=True)
class Bar:
    group: str  # the value's label, e.g. « Nord »
    series: str  # e.g. « Vivier »; empty when the chart has one series
    share: float | None  # 0..1; None = unknown (no bar drawn)
    y: int
    width: float

    @property
    def text(self) -> str:
        prefix = f"{self.series} : " if self.series else ""
        return prefix + percent(self.share)

    @property
    def text_x(self) -> float:
        return LABEL_WIDTH + self.width + 6

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.72


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""

    @property
    def height(self) -> int:
        return max((b.y for b in self.bars), default=0) + BAR_HEIGHT + GAP

    @property
    def group_labels(self) -> list[tuple[str, float]]:
        """(label, y) of each group, placed at its first bar."""
        seen: dict[str, float] = {}
        for bar in self.bars:
            seen.setdefault(bar.group, bar.y + BAR_HEIGHT * 0.72)
        return list(seen.items())

    @property
    def aria_label(self) -> str:
        parts = []
        for group in dict.fromkeys(b.group for b in self.bars):
            texts = [b.text for b in self.bars if b.group == group]
            parts.append(f"{group} : " + ", ".join(t for t in texts))
        return f"{self.title}. " + " ; ".join(parts) + "."


def _chart(
    slug: str, title: str, groups: list[tuple[str, list[tuple[str, float | None]]]], note: str = ""
) -> Chart:
    bars: list[Bar] = []
    y = GAP
    top = max((s for _, series in groups for _, s in series if s is not None), default=0) or 1
    for label, series in groups:
        for name, share in series:
            width = 0.0 if share is None else round(PLOT_WIDTH * share / top, 1)
            bars.append(Bar(group=label, series=name, share=share, y=y, width=width))
            y += BAR_HEIGHT + 2
        y += GAP * 2
    return Chart(slug=slug, title=title, bars=bars, note=note)


def probability_charts(rows: list[ValueRow]) -> list[Chart]:
    """One chart per feature: the mean selection probability of each value."""
    charts = []
    for feature in dict.fromkeys(r.feature for r in rows):
        frows = [r for r in rows if r.feature == feature]
        charts.append(
            _chart(
                f"chance-{feature}",
                f"Chance moyenne d'être tiré·e au sort, par {frows[0].feature_label.lower()}",
                [(r.label, [("", r.mean_probability if r.pool else None)]) for r in frows],
            )
        )
    return charts


def share_charts(rows: list[ValueRow], *, seats: int, pool_size: int) -> list[Chart]:
    """One chart per feature: share of the pool, of the seats (expected) and of the population if known."""
    charts = []
    for feature in dict.fromkeys(r.feature for r in rows):
        frows = [r for r in rows if r.feature == feature]
        known = any(r.population_share is not None for r in frows)
        groups = []
        for r in frows:
            series: list[tuple[str, float | None]] = [
                ("Vivier", r.pool / pool_size if pool_size else None),
                ("Sièges", r.expected_seats / seats if seats else None),
            ]
            if known:
                series.append(("Population", r.population_share))
            groups.append((r.label, series))
        charts.append(
            _chart(
                f"parts-{feature}",
                (
                    "Part du vivier, des sièges et de la population"
                    if known
                    else "Part du vivier et des sièges"
                )
                + f", par {frows[0].feature_label.lower()}",
                groups,
            )
        )
    return charts
