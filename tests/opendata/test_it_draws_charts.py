"""Charts: the SVG shows the numbers of the table beside it, has a title and a description,
and carries no script."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string

from tirage.opendata import charts, services
from tirage.opendata.models import DigitalService, IndicatorValue

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
LAST = dt.date(2026, 5, 1)


class TableCells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def portal(db):
    service = DigitalService.objects.create(slug="portail", name="Portail", kind="demarche")
    for month, value in [(1, "61.2"), (2, "63"), (4, "67.5"), (5, "70.1")]:  # March missing
        IndicatorValue.objects.create(
            service=service,
            indicator="part_en_ligne",
            period=dt.date(2026, month, 1),
            value=Decimal(value),
        )
    services.set_target(
        service_id=service.pk, indicator="part_en_ligne", value=80, valid_from=dt.date(2026, 3, 1)
    )
    return service


def _y_axis(root) -> tuple[float, float]:
    """(value per pixel, value at y=0) from two labelled guides of the y axis."""
    points = []
    for guides in root.iter(f"{SVG}g"):
        if guides.get("class") != "guides":
            continue
        path, text = guides.find(f"{SVG}path"), guides.find(f"{SVG}text")
        if path is None or text is None or " h" not in path.get("d", ""):
            continue
        y = float(path.get("d").split()[1])
        points.append((y, float(text.text.replace("\u00a0%", "").replace(",", "."))))
    (y1, v1), (y2, v2) = points[0], points[-1]
    slope = (v2 - v1) / (y2 - y1)
    return slope, v1 - slope * y1


def test_the_svg_shows_the_same_numbers_as_the_table(portal):
    chart = charts.time_series(portal, "part_en_ligne", last=LAST, months=5)
    svg = chart.svg()
    html = render_to_string("opendata/_chart.html", {"chart": chart, "svg_url": "/x.svg"})
    parser = TableCells()
    parser.feed(html)
    header, *rows = parser.rows
    assert header == ["Mois", "Portail", "Objectif"]
    assert [row[0] for row in rows] == [
        "janvier 2026",
        "février 2026",
        "mars 2026",
        "avril 2026",
        "mai 2026",
    ]
    table_values = [row[1] for row in rows]
    assert table_values == ["61,2\u00a0%", "63\u00a0%", "—", "67,5\u00a0%", "70,1\u00a0%"]
    drawn, target_points = charts.values_in_svg(svg)
    # pygal labels every point it drew: the same four figures; the missing month is a gap.
    assert drawn == [value for value in table_values if value != "—"]
    assert target_points == []  # the target is a dashed line without points
    # The dashed line's height, read back through the y axis, is the table's target.
    root = ET.fromstring(svg)
    slope, origin = _y_axis(root)
    target_path = next(
        group.find(f"{SVG}path")
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "series serie-1 color-1" and group.find(f"{SVG}path") is not None
    )
    ys = [float(y) for y in re.findall(r"[\d.]+ ([\d.]+)", target_path.get("d"))]
    assert len(ys) == 3  # March, April, May: the target starts in March
    assert {round(origin + slope * y, 1) for y in ys} == {80.0}
    assert [row[2] for row in rows] == ["—", "—", "80\u00a0%", "80\u00a0%", "80\u00a0%"]


def test_the_svg_is_self_describing_and_script_free(portal):
    chart = charts.time_series(portal, "part_en_ligne", last=LAST, months=5)
    root = ET.fromstring(chart.svg())
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == (
        "Part des démarches faites entièrement en ligne — Portail, de janvier 2026 à mai 2026"
    )
    assert desc.text.startswith(
        "En mai 2026, la part des démarches faites entièrement en ligne était de 70,1\u00a0%, "
        "contre 61,2\u00a0% en janvier 2026 ; l'objectif de la Ville est de 80\u00a0%."
    )
    text = chart.svg()
    assert "<script" not in text and "Pygal</title>" not in text
    assert "http://" not in text.replace("http://www.w3.org/", "")
    assert "https://" not in text
    assert 'style="' not in text


def test_a_secteur_comparison_names_the_lowest_and_highest(db):
    service = DigitalService.objects.create(slug="guichets", name="Guichets", kind="guichet")
    for secteur, value in {"nord": 27, "sud": 18, "est": 14, "ouest": 21, "centre": 16}.items():
        IndicatorValue.objects.create(
            service=service,
            indicator="temps_attente",
            period=LAST,
            secteur=secteur,
            value=Decimal(value),
        )
    services.set_target(
        service_id=service.pk, indicator="temps_attente", value=15, valid_from=dt.date(2026, 1, 1)
    )
    chart = charts.secteur_comparison(
        service, "temps_attente", period=LAST, labels=services.secteur_labels()
    )
    assert chart.summary == (
        "En mai 2026, le temps d'attente au guichet allait de 14\u00a0min (Est) à "
        "27\u00a0min (Nord) ; l'objectif de la Ville est de 15\u00a0min."
    )
    headers, rows = chart.table()
    assert headers == ["Secteur", "Mai 2026", "Objectif"]
    assert charts.values_in_svg(chart.svg()) == [
        [row[1] for row in rows],
        [row[2] for row in rows],
    ]
    assert [row[0] for row in rows] == ["Nord", "Sud", "Est", "Ouest", "Centre"]


def test_a_chart_without_values_says_so(db):
    service = DigitalService.objects.create(slug="bornes", name="Bornes", kind="borne")
    chart = charts.time_series(service, "satisfaction", last=LAST, months=3)
    assert not chart.has_data
    assert chart.summary == (
        "Aucune valeur publiée pour « Satisfaction des usagers » sur cette période."
    )
    assert "Aucune donnée" in chart.svg()


def test_the_svg_keeps_its_plain_svg_tags_whatever_other_libraries_registered(portal):
    """ElementTree's prefix map is global: another library registering its own default
    namespace used to turn the charts into <ns0:svg>… (seen in the full suite)."""
    ET.register_namespace("", "http://www.w3.org/1999/xhtml")
    text = charts.time_series(portal, "part_en_ligne", last=LAST, months=5).svg()
    assert text.startswith("<svg ") and "<title " in text and "ns0:" not in text
