"""Public open-data pages and files, read through their URLs, on the demo data."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import timezone
from rdflib import RDF, Graph
from rdflib.namespace import DCAT, DCTERMS

from tests.factories import roubaix_call
from tirage.demo.opendata import seed_opendata
from tirage.opendata import charts, registry
from tirage.opendata.models import DataRequest, DigitalService, IndicatorValue
from tirage.opendata.schemas import INDICATORS_SCHEMA, shipped_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call = roubaix_call()
    seed_opendata(call=call, today=timezone.localdate())
    return call


class Page(HTMLParser):
    """The chart images (src → alt) and every chart table's cells, by ``data-chart``."""

    def __init__(self):
        super().__init__()
        self.images: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and "chart-image" in (attrs.get("class") or ""):
            self.images[attrs["src"]] = attrs["alt"]
        elif tag == "table" and attrs.get("data-chart"):
            self._table = attrs["data-chart"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_the_home_page_shows_every_request_with_its_state_and_catalogue(client, demo):
    response = client.get("/donnees-ouvertes/")
    assert response.status_code == 200
    html = response.content.decode()
    for request in DataRequest.objects.all():
        assert request.title.replace("'", "&#x27;") in html
    assert html.count('class="state state-') == 6
    verified = DataRequest.objects.get(status="verified")
    last = verified.last_verification()
    assert f'href="{verified.resource_url}"' in html
    assert "LaMednum/standard-mediation-num, version 0.2.0" in html
    assert "Conforme</span>, le " in html
    refused = DataRequest.objects.get(status="refused")
    assert refused.decision_reason.replace("'", "&#x27;") in html
    assert last.message.split(" : ")[0].replace("'", "&#x27;") in html
    for service in DigitalService.objects.all():
        assert f'href="/donnees-ouvertes/services/{service.slug}/"' in html
    for item in registry.resources():
        assert f'href="/donnees-ouvertes/{item.name}.csv"' in html
        assert f'href="/donnees-ouvertes/{item.name}.json"' in html
    assert 'href="/donnees-ouvertes/datapackage.json"' in html
    assert 'href="/donnees-ouvertes/catalogue.jsonld"' in html
    assert "<script" not in html


def test_every_page_links_to_open_data_from_the_footer(client, demo):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/donnees-ouvertes/"' in footer


def test_each_chart_table_holds_the_numbers_of_its_svg(client, demo):
    service = DigitalService.objects.get(slug="guichets-numeriques")
    response = client.get(f"/donnees-ouvertes/services/{service.slug}/")
    assert response.status_code == 200
    page = Page()
    page.feed(response.content.decode())
    # Volume, satisfaction, waiting time: each over time and by secteur.
    assert len(page.images) == len(page.tables) == 6
    compared = 0
    for src, alt in page.images.items():
        slug = src.rsplit("/", 1)[-1].removesuffix(".svg")
        svg = client.get(src)
        assert svg.status_code == 200
        assert svg["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert svg["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        text = svg.content.decode()
        assert "<script" not in text
        assert f">{alt}</title>" in text.replace("&#x27;", "'").replace("'", "'")
        header, *rows = page.tables[slug]
        drawn = charts.values_in_svg(text)
        for column, points in enumerate(drawn, start=1):
            if header[column] == "Objectif" and not points:
                continue  # a dashed line: checked through the axis in test_it_draws_charts
            assert points == [row[column] for row in rows if row[column] != "—"], slug
            compared += len(points)
    # 24 months × 3 indicators, 5 secteurs × 3 indicators, plus the bars « Objectif ».
    assert compared >= 24 * 3 + 5 * 3


def test_a_chart_summary_gives_the_last_figure_and_the_target(client, demo):
    service = DigitalService.objects.get(slug="demarches-en-ligne")
    html = client.get(f"/donnees-ouvertes/services/{service.slug}/").content.decode()
    last = IndicatorValue.objects.filter(service=service, indicator="part_en_ligne", secteur="")
    value = last.order_by("-period").first().value
    shown = f"{value.quantize(value.__class__('0.1')):f}".replace(".", ",").removesuffix(",0")
    assert re.search(
        rf"la part des démarches faites entièrement en ligne était de {shown}\xa0%, contre "
        rf"[0-9,]+\xa0% en [a-zé]+ \d{{4}} ; l&#x27;objectif de la Ville est de 80\xa0%",
        html,
    )


def test_an_unknown_chart_or_service_is_not_found(client, demo):
    assert client.get("/donnees-ouvertes/services/inconnu/").status_code == 404
    url = "/donnees-ouvertes/services/site-ville/graphiques/inconnu.svg"
    assert client.get(url).status_code == 404
    assert client.get("/donnees-ouvertes/inconnu.csv").status_code == 404
    assert client.get("/donnees-ouvertes/demandes-ouverture.exe").status_code == 404


def test_the_dcat_catalogue_at_its_url_has_one_dataset_per_resource(client, demo):
    response = client.get("/donnees-ouvertes/catalogue.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    graph = Graph().parse(data=response.content, format="json-ld")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    names = [item.name for item in registry.resources()]
    assert len(datasets) == len(names) == 10
    assert {str(graph.value(d, DCTERMS.identifier)) for d in datasets} == set(names)
    for dataset in datasets:
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = str(graph.value(distribution, DCAT.downloadURL))
            assert url.startswith("http://testserver/donnees-ouvertes/")
            assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_the_csv_at_its_url_is_the_published_table(client, demo):
    response = client.get("/donnees-ouvertes/indicateurs-services-numeriques.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == IndicatorValue.objects.count()
    assert list(rows[0]) == ["service", "periode", "indicateur", "secteur", "valeur"]
    document = json.loads(
        client.get("/donnees-ouvertes/indicateurs-services-numeriques.json").content
    )
    assert len(document["data"]) == len(rows)


def test_tirage_publishes_its_indicator_schema(client, demo):
    schema = shipped_schema(INDICATORS_SCHEMA)
    html = client.get("/donnees-ouvertes/schemas/").content.decode()
    url = f"/donnees-ouvertes/schemas/tirage/indicateurs-services-numeriques/{schema.version}/schema.json"
    assert f'href="{url}"' in html
    response = client.get(url)
    assert json.loads(response.content) == schema.descriptor
    assert client.get(url.replace(schema.version, "9.9.9")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_frictionless_validates_the_package_at_its_public_url(live_server):
    seed_opendata(call=roubaix_call(), today=timezone.localdate())
    executable = Path(sys.executable).parent / "frictionless"
    url = f"{live_server.url}/donnees-ouvertes/datapackage.json"
    result = subprocess.run(
        [str(executable), "validate", url, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report["tasks"], ensure_ascii=False)[:2000]
    rows = {task["name"]: task["stats"].get("rows", 0) for task in report["tasks"]}
    assert list(rows) == [item.name for item in registry.resources()]
    assert rows["indicateurs-services-numeriques"] == IndicatorValue.objects.count()
    assert rows["demandes-ouverture"] == 6
