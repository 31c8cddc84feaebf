"""Charts of a service's indicators: the figures, a one-sentence summary, a table, an SVG.

A :class:`Chart` is plain data (labels and series of values) built from the database by
:func:`time_series` (one indicator of a service month by month, whole city or one secteur,
with the City's target) or :func:`secteur_comparison` (one month, one bar per secteur,
with the target). The same object gives the table (:meth:`Chart.table`) and the SVG
(:meth:`Chart.svg`, drawn server-side by pygal), so both show the same numbers; a test
reads them back from the SVG.

The SVG has no script and no external resource (pygal's tooltip script is removed); it
starts with ``<title>`` and ``<desc>`` and has ``role="img"``. It keeps pygal's internal
``<style>``: pages embed it as an image (``<img src=… alt=…>``) beside the table and the
summary, so the page's Content-Security-Policy needs no inline style (docs/adr/0022-charts-pygal-svg-as-images.md).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import pygal
from pygal.style import Style

from tirage.council.dates import add_months
from tirage.geo.reference import SECTEUR_CODES
from tirage.opendata.importer import MONTHS_FR, month_label
from tirage.opendata.indicators import Indicator, format_value, indicator
from tirage.opendata.models import DigitalService, IndicatorValue

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

#: Colours with at least 4.5:1 contrast on white (RGAA 3.3 asks 3:1 for graphics).
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1e1e1e",
    foreground_strong="#000000",
    foreground_subtle="#5a5a5a",
    opacity="1",
    opacity_hover="1",
    colors=("#000091", "#a94400", "#00734a", "#6e445a", "#3a3a3a", "#8d5300"),
    font_family="Marianne, Arial, Helvetica, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
    title_font_size=16,
    stroke_width=2,
    guide_stroke_color="#d0d0d0",
    major_guide_stroke_color="#b0b0b0",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_dasharray="1,0",
)


@dataclass(frozen=True, slots=True)
class Series:
    """One line or set of bars; ``is_target`` draws it dashed (line) and names it « Objectif »."""

    name: str
    values: tuple[Decimal | None, ...]
    is_target: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    """Figures of one chart. ``kind`` is ``line`` or ``bar``; ``x_labels`` name the columns of
    the table (months or secteurs) and ``x_header`` their heading."""

    slug: str
    kind: str
    title: str
    description: str
    summary: str
    x_header: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    indicator: Indicator

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series if not s.is_target for v in s.values)

    def table(self) -> tuple[list[str], list[list[str]]]:
        """``(headers, rows)``: one row per x label, one column per series, values in French."""
        headers = [self.x_header, *(s.name for s in self.series)]
        rows = [
            [label, *(format_value(s.values[i], self.indicator) for s in self.series)]
            for i, label in enumerate(self.x_labels)
        ]
        return headers, rows

    def svg(self) -> str:
        """The chart as a standalone, script-free SVG document (UTF-8 text)."""
        return render_svg(self)


def months_ending(last: dt.date, count: int) -> list[dt.date]:
    """``count`` months ending with ``last``'s month, oldest first."""
    last = last.replace(day=1)
    return [add_months(last, -offset) for offset in range(count - 1, -1, -1)]


def target_for(
    service: DigitalService, code: str, month: dt.date, secteur: str = ""
) -> Decimal | None:
    """The City's target for that month (a secteur's own, else the whole city's), or ``None``."""
    candidates = [
        target
        for target in service.targets.all()
        if target.indicator == code
        and target.secteur in ({secteur, ""} if secteur else {""})
        and target.valid_from <= month
        and (target.valid_until is None or month <= target.valid_until)
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda t: (t.secteur == secteur, t.valid_from))
    return candidates[-1].value


def _range_sentence(ind: Indicator, target: Decimal | None) -> str:
    if target is None:
        return ""
    return f" ; l'objectif de la Ville est de {format_value(target, ind)}"


def time_series(
    service: DigitalService,
    code: str,
    *,
    last: dt.date,
    months: int = 24,
    secteur: str = "",
) -> Chart:
    """One indicator of ``service`` for the ``months`` months ending with ``last``'s month."""
    ind = indicator(code)
    periods = months_ending(last, months)
    found = dict(
        IndicatorValue.objects.filter(
            service=service, indicator=code, secteur=secteur, period__in=periods
        ).values_list("period", "value")
    )
    values = tuple(found.get(p) for p in periods)
    targets = tuple(target_for(service, code, p, secteur) for p in periods)
    where = f", secteur {secteur.capitalize()}" if secteur else ""
    series = [Series(service.name if not secteur else f"Secteur {secteur.capitalize()}", values)]
    if any(t is not None for t in targets):
        series.append(Series("Objectif", targets, is_target=True))
    known = [(p, v) for p, v in zip(periods, values, strict=True) if v is not None]
    if known:
        (first_p, first_v), (last_p, last_v) = known[0], known[-1]
        summary = (
            f"En {month_label(last_p)}, {ind.subject} était de "
            f"{format_value(last_v, ind)}, contre {format_value(first_v, ind)} en "
            f"{month_label(first_p)}{_range_sentence(ind, targets[periods.index(last_p)])}."
        )
    else:
        summary = f"Aucune valeur publiée pour « {ind.label} » sur cette période."
    return Chart(
        slug=f"{service.slug}-{code}{'-' + secteur if secteur else ''}",
        kind="line",
        title=f"{ind.label} — {service.name}{where}, de {month_label(periods[0])} à "
        f"{month_label(periods[-1])}",
        description=(
            f"Courbe mensuelle{' (' + ind.unit + ')' if ind.unit else ''} : un point par mois"
            + (", la ligne en tirets est l'objectif de la Ville" if len(series) > 1 else "")
            + ". Les mêmes chiffres figurent dans le tableau qui suit."
        ),
        summary=summary,
        x_header="Mois",
        x_labels=tuple(month_label(p) for p in periods),
        series=tuple(series),
        indicator=ind,
    )


def secteur_comparison(
    service: DigitalService, code: str, *, period: dt.date, labels: dict[str, str] | None = None
) -> Chart:
    """One indicator of ``service`` for one month, one bar per secteur, with the target."""
    ind = indicator(code)
    period = period.replace(day=1)
    labels = labels or {code: code.capitalize() for code in SECTEUR_CODES}
    found = dict(
        IndicatorValue.objects.filter(service=service, indicator=code, period=period)
        .exclude(secteur="")
        .values_list("secteur", "value")
    )
    codes = [c for c in labels if c in found] or list(labels)
    values = tuple(found.get(c) for c in codes)
    targets = tuple(target_for(service, code, period, c) for c in codes)
    series = [Series(month_label(period).capitalize(), values)]
    if any(t is not None for t in targets):
        series.append(Series("Objectif", targets, is_target=True))
    known = [(labels[c], v) for c, v in zip(codes, values, strict=True) if v is not None]
    if known:
        low = min(known, key=lambda item: item[1])
        high = max(known, key=lambda item: item[1])
        summary = (
            f"En {month_label(period)}, {ind.subject} allait de "
            f"{format_value(low[1], ind)} ({low[0]}) à {format_value(high[1], ind)} ({high[0]})"
            f"{_range_sentence(ind, targets[0] if targets else None)}."
        )
    else:
        summary = f"Aucune valeur par secteur pour « {ind.label} » en {month_label(period)}."
    return Chart(
        slug=f"{service.slug}-{code}-secteurs-{period:%Y-%m}",
        kind="bar",
        title=f"{ind.label} par secteur — {service.name}, {month_label(period)}",
        description=(
            "Une barre par secteur"
            + (", et pour chacun une barre « Objectif »" if len(series) > 1 else "")
            + ". Les mêmes chiffres figurent dans le tableau qui suit."
        ),
        summary=summary,
        x_header="Secteur",
        x_labels=tuple(labels[c] for c in codes),
        series=tuple(series),
        indicator=ind,
    )


SHORT_MONTHS = dict(
    zip(
        MONTHS_FR,
        ("janv.", "févr.", "mars", "avr.", "mai", "juin")
        + ("juil.", "août", "sept.", "oct.", "nov.", "déc."),
        strict=True,
    )
)


def _axis_labels(chart: Chart) -> list[str]:
    if chart.kind != "line":
        return list(chart.x_labels)
    # « mars 2026 » → « mars 26 » on the axis (the table keeps the full month).
    labels = []
    for label in chart.x_labels:
        month, year = label.rsplit(" ", 1)
        labels.append(f"{SHORT_MONTHS.get(month, month)} {year[-2:]}")
    return labels


def render_svg(chart: Chart) -> str:
    """Draw ``chart`` with pygal and make it a self-describing, script-free SVG."""
    ind = chart.indicator
    config = {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "width": 760,
        "height": 380,
        "explicit_size": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "allow_interruptions": True,
        "value_formatter": lambda value: format_value(value, ind),
        "no_data_text": "Aucune donnée",
        "x_label_rotation": 0,
        "dots_size": 3,
    }
    if chart.kind == "line" and len(chart.x_labels) > 12:
        config.update(show_minor_x_labels=False, x_labels_major_every=3)
    if ind.maximum is not None and (ind.is_percentage or ind.unit.startswith("/")):
        config["range"] = (0, float(ind.maximum))
    elif ind.boolean:
        config["range"] = (0, 1)
    klass = pygal.Line if chart.kind == "line" else pygal.Bar
    drawing = klass(**config)
    drawing.x_labels = _axis_labels(chart)
    for series in chart.series:
        values = [None if v is None else float(v) for v in series.values]
        if series.is_target and chart.kind == "line":
            drawing.add(
                series.name,
                values,
                show_dots=False,
                stroke_style={"width": 3, "dasharray": "10, 6"},
            )
        else:
            drawing.add(series.name, values)
    return _finish(drawing.render(is_unicode=True), chart)


def _finish(svg_text: str, chart: Chart) -> str:
    root = ET.fromstring(svg_text)
    for parent in list(root.iter()):
        for child in list(parent):
            classes = (child.get("class") or "").split()
            # No script; no empty tooltip layer (its inline style= would need a CSP exception).
            if child.tag == f"{{{SVG_NS}}}script" or "tooltip-overlay" in classes:
                parent.remove(child)
    for child in list(root):
        if child.tag == f"{{{SVG_NS}}}title":  # pygal's default « Pygal »
            root.remove(child)
    title_id, desc_id = f"graphique-{chart.slug}-titre", f"graphique-{chart.slug}-description"
    root.set("role", "img")
    root.set("aria-labelledby", f"{title_id} {desc_id}")
    root.set("lang", "fr")
    title = ET.Element(f"{{{SVG_NS}}}title", {"id": title_id})
    title.text = chart.title
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": desc_id})
    desc.text = f"{chart.summary} {chart.description}"
    root.insert(0, desc)
    root.insert(0, title)
    # ElementTree's prefix map is global: another library registering a default namespace
    # drops ours, and the chart would come out as <ns0:svg>. Register again right here.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="unicode")


def values_in_svg(svg_text: str) -> list[list[str]]:
    """The values pygal labelled, per series in order (each point's or bar's ``desc.value``;
    a dashed target line has no points, hence an empty list)."""
    root = ET.fromstring(svg_text)
    found: dict[int, list[str]] = {}
    for group in root.iter(f"{{{SVG_NS}}}g"):
        classes = (group.get("class") or "").split()
        index = next((int(c[6:]) for c in classes if c.startswith("serie-")), None)
        if "series" not in classes or index is None:
            continue
        found.setdefault(index, []).extend(
            desc.text or ""
            for desc in group.iter(f"{{{SVG_NS}}}desc")
            if desc.get("class") == "value"
        )
    return [found[index] for index in sorted(found)]
