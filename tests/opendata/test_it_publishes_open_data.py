"""Publication: CSV + JSON per resource, a Data Package that `frictionless validate` accepts,
and a DCAT catalogue with one dcat:Dataset per resource. Run against the demo data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import DCAT, DCTERMS

from tests.factories import roubaix_call
from tirage.demo.opendata import seed_opendata
from tirage.opendata import publication, registry, services
from tirage.opendata.models import DataRequest, IndicatorValue
from tirage.opendata.registry import Field, PublicResource, public_resource

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
BASE = "https://tirage.ville.example/donnees-ouvertes/"


@pytest.fixture
def demo(db):
    call = roubaix_call()
    return seed_opendata(call=call, today=TODAY)


@pytest.fixture
def package(demo, tmp_path) -> Path:
    folder = tmp_path / "donnees-ouvertes"
    publication.write_package(
        folder,
        base_url=BASE,
        title="Conseil local du numérique de Roubaix",
        description="Les données publiques du conseil.",
        publisher="Ville de Roubaix",
    )
    return folder


def test_the_demo_seeds_five_services_two_years_and_six_requests_in_every_state(demo):
    assert demo["services"] == 5
    assert demo["requests"] == 6
    assert IndicatorValue.objects.values("period").distinct().count() == 24
    statuses = sorted(DataRequest.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["requested", "accepted", "refused", "published", "verified", "published"]
    )
    verified = DataRequest.objects.get(status="verified")
    assert verified.last_verification().schema_name == "LaMednum/standard-mediation-num"
    # A second run adds nothing.
    assert seed_opendata(call=verified.call, today=TODAY)["values"] == demo["values"]
    assert DataRequest.objects.count() == 6


def test_frictionless_validate_accepts_the_published_package(package):
    executable = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(executable), "validate", "datapackage.json", "--json"],
        cwd=package,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report["tasks"], ensure_ascii=False)[:2000]
    names = [task["name"] for task in report["tasks"]]
    assert names == [r.name for r in registry.resources()]
    # An empty table (no opinions in this demo) has no "rows" in its stats.
    rows = {task["name"]: task["stats"].get("rows", 0) for task in report["tasks"]}
    assert rows["indicateurs-services-numeriques"] == IndicatorValue.objects.count()
    assert rows["demandes-ouverture"] == 6
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"


def test_the_dcat_catalogue_has_one_dataset_per_resource(package):
    graph = Graph().parse(package / "catalogue.jsonld", format="json-ld")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(registry.resources())
    identifiers = {str(graph.value(d, DCTERMS.identifier)) for d in datasets}
    assert identifiers == {r.name for r in registry.resources()}
    for dataset in datasets:
        assert str(graph.value(dataset, DCTERMS.license)) == publication.LICENCE_URL
        downloads = {
            str(graph.value(dist, DCAT.downloadURL))
            for dist in graph.objects(dataset, DCAT.distribution)
        }
        name = str(graph.value(dataset, DCTERMS.identifier))
        assert downloads == {f"{BASE}{name}.csv", f"{BASE}{name}.json"}
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert set(graph.objects(catalog, DCAT.dataset)) == datasets


def test_csv_and_json_hold_the_same_rows_and_reimport_as_indicators(package):
    text = (package / "indicateurs-services-numeriques.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    document = json.loads((package / "indicateurs-services-numeriques.json").read_text("utf-8"))
    assert len(rows) == len(document["data"]) == IndicatorValue.objects.count()
    first = IndicatorValue.objects.select_related("service").order_by(
        "service__order", "indicator", "period", "secteur"
    )[0]
    assert rows[0] == {
        "service": first.service.slug,
        "periode": f"{first.period:%Y-%m}",
        "indicateur": first.indicator,
        "secteur": first.secteur,
        "valeur": f"{first.value.normalize():f}",
    }
    assert Decimal(str(document["data"][0]["valeur"])) == first.value
    # The published JSON is a file the importer accepts (values already there: refused as such).
    with pytest.raises(services.importer.ImportRefused) as caught:
        services.import_indicators(
            content=(package / "indicateurs-services-numeriques.json").read_bytes(),
            file_name="reimport.json",
            today=TODAY,
        )
    assert "une valeur existe déjà" in caught.value.errors[0]


def test_no_personal_data_is_published(package):
    everything = "".join(p.read_text("utf-8") for p in package.iterdir())
    assert "@" not in everything.replace("@context", "").replace("@id", "").replace(
        "@type", ""
    ).replace("@value", "").replace("@language", "").replace("@graph", "")


def test_adding_a_resource_is_one_small_function(demo):
    saved = registry.registered_builders()
    try:

        @public_resource
        def meetings() -> PublicResource:
            return PublicResource(
                name="reunions",
                title="Réunions",
                description="Les réunions du conseil.",
                fields=(Field("date", "date", "Date", required=True),),
                rows=lambda: [{"date": dt.date(2026, 1, 15)}],
            )

        added = registry.resource("reunions")
        assert publication.csv_bytes(added) == b"date\r\n2026-01-15\r\n"
        assert json.loads(publication.json_bytes(added))["data"] == [{"date": "2026-01-15"}]

        @public_resource
        def clash() -> PublicResource:
            return PublicResource(name="reunions", title="x", description="x", fields=(), rows=list)

        with pytest.raises(ValueError, match="share a name"):
            registry.resources()
    finally:
        registry.restore_builders(saved)
    assert [r.name for r in registry.resources()] == [
        "demandes-ouverture",
        "services-numeriques",
        "indicateurs-services-numeriques",
        "objectifs-services-numeriques",
        "consultations-du-conseil",
        "avis-du-conseil",
        "recommandations-du-conseil",
        "reponses-de-la-ville",
        "engagements-de-la-ville",
        "engagements-avancement",
    ]


def test_a_row_with_an_undeclared_field_is_refused():
    bad = PublicResource(
        name="x",
        title="x",
        description="x",
        fields=(Field("a", "string", "A"),),
        rows=lambda: [{"a": "1", "adresse_courriel": "x@example.org"}],
    )
    with pytest.raises(ValueError, match="undeclared fields"):
        publication.csv_bytes(bad)
