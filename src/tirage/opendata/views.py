"""Public open-data pages and files (``/donnees-ouvertes/``), no sign-in, no JavaScript.

* :func:`home` — the data requests with their states and catalogue links, the services
  followed, the files to download;
* :func:`service` — one service: its indicators as charts (SVG images) each with the same
  figures in a table and a one-sentence summary, by secteur where the data has it, against
  the City's target; the members' evaluations by month (never their names);
* :func:`chart_svg` — a chart as a standalone SVG (its own strict CSP);
* :func:`datapackage`, :func:`catalogue`, :func:`resource_file`, :func:`schema_file` — the
  open data at stable URLs (``datapackage.json``, ``catalogue.jsonld``, ``<name>.csv``,
  ``<name>.json``, ``schemas/<owner>/<name>/<version>/schema.json``); Licence Ouverte 2.0.

Nothing here shows personal data: the registry's rows are public by construction
(:mod:`tirage.opendata.registry`), evaluations are shown without their author.
"""

from __future__ import annotations

import datetime as dt
import json
from itertools import groupby

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tirage.calls.models import Call
from tirage.opendata import api, charts, publication, registry
from tirage.opendata.importer import month_label
from tirage.opendata.indicators import INDICATORS, Code
from tirage.opendata.models import DataRequest, DigitalService, Evaluation, IndicatorValue
from tirage.opendata.schemas import INDICATORS_SCHEMA, shipped_schema, shipped_schemas
from tirage.opendata.services import secteur_labels

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def package_texts() -> dict[str, str]:
    """Title, description and publisher of the package and the DCAT catalogue."""
    call = Call.objects.current()
    council = call.council_name if call else "Conseil citoyen"
    city = call.city_name if call else "la Ville"
    return {
        "title": f"{council} – {city} : données ouvertes",
        "description": (
            f"Les données publiques du {council} de {city} : demandes d'ouverture de données, "
            "services numériques suivis et leurs indicateurs, avis, recommandations, réponses de "
            "la Ville et engagements. Licence Ouverte 2.0."
        ),
        "publisher": f"Ville de {city}" if call else "Tirage",
    }


def base_url(request: HttpRequest) -> str:
    """The absolute address of the open-data folder (file URLs hang on it)."""
    return request.build_absolute_uri(reverse("opendata:home"))


def home(request: HttpRequest) -> HttpResponse:
    requests = (
        DataRequest.objects.select_related("opinion")
        .prefetch_related("verifications")
        .order_by("-requested_on", "-id")
    )
    rows = [(item, _last(item)) for item in requests]
    services = DigitalService.objects.filter(active=True).annotate(last=Max("values__period"))
    return render(
        request,
        "opendata/home.html",
        {
            "requests": rows,
            "services": services,
            "resources": registry.resources(),
            "schema": shipped_schema(INDICATORS_SCHEMA),
            "statuses": DataRequest.Status,
            "api_page_size": api.PAGE_SIZE,
        },
    )


def _last(item: DataRequest):
    checks = sorted(item.verifications.all(), key=lambda v: (v.checked_at, v.id))
    return checks[-1] if checks else None


def latest_month(service: DigitalService) -> dt.date | None:
    """The last month with a whole-city value for ``service`` (charts end there)."""
    return (
        IndicatorValue.objects.filter(service=service, secteur="")
        .aggregate(last=Max("period"))
        .get("last")
    )


def service_charts(service: DigitalService) -> list[charts.Chart]:
    """The charts of a service page, in the indicators' order: for each indicator with
    values, its two-year time series (whole city, with the target) and, when the last month
    has values per secteur, the comparison of the secteurs."""
    last = latest_month(service)
    if last is None:
        return []
    codes = set(IndicatorValue.objects.filter(service=service).values_list("indicator", flat=True))
    with_secteurs = set(
        IndicatorValue.objects.filter(service=service, period=last)
        .exclude(secteur="")
        .values_list("indicator", flat=True)
    )
    found = []
    for code in INDICATORS:
        if code not in codes:
            continue
        found.append(charts.time_series(service, code, last=last))
        if code in with_secteurs:
            found.append(
                charts.secteur_comparison(service, code, period=last, labels=secteur_labels())
            )
    return found


def _services_with_targets():
    return DigitalService.objects.prefetch_related("targets")


def service(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(_services_with_targets(), slug=slug)
    items = service_charts(item)
    evaluations = (
        Evaluation.objects.filter(service=item)
        .select_related("adopted_as")
        .order_by("-period", "created_at")
    )
    by_month = [
        (month_label(period), list(group))
        for period, group in groupby(evaluations, key=lambda e: e.period)
    ]
    return render(
        request,
        "opendata/service.html",
        {
            "service": item,
            "charts": [
                (chart, reverse("opendata:chart", args=[item.slug, chart.slug])) for chart in items
            ],
            "last": latest_month(item),
            "evaluations": by_month,
            "codes": Code,
        },
    )


def chart_svg(request: HttpRequest, slug: str, chart: str) -> HttpResponse:
    item = get_object_or_404(_services_with_targets(), slug=slug)
    for candidate in service_charts(item):
        if candidate.slug == chart:
            response = HttpResponse(candidate.svg(), content_type="image/svg+xml; charset=utf-8")
            # An image document: no script, its own <style> only (docs/adr/0022).
            response["Content-Security-Policy"] = SVG_CSP
            response["X-Content-Type-Options"] = "nosniff"
            return response
    raise Http404("Pas de graphique de ce nom pour ce service.")


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["X-Content-Type-Options"] = "nosniff"
    return response


def datapackage(request: HttpRequest) -> HttpResponse:
    texts = package_texts()
    descriptor = publication.datapackage(
        registry.resources(),
        title=texts["title"],
        description=texts["description"],
        base_url=base_url(request),
    )
    content = json.dumps(descriptor, ensure_ascii=False, indent=1).encode("utf-8")
    return _file(content, "application/json; charset=utf-8", "datapackage.json")


def catalogue(request: HttpRequest) -> HttpResponse:
    content = publication.dcat_jsonld(
        registry.resources(), base_url=base_url(request), **package_texts()
    )
    return _file(content, "application/ld+json; charset=utf-8", "catalogue.jsonld")


def resource_file(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    try:
        item = registry.resource(name)
    except KeyError as exc:
        raise Http404("Pas de fichier de ce nom.") from exc
    if extension not in ("csv", "json"):
        raise Http404("Fichiers CSV ou JSON seulement.")
    if extension == "csv":
        return _file(publication.csv_bytes(item), "text/csv; charset=utf-8", f"{name}.csv")
    return _file(publication.json_bytes(item), "application/json; charset=utf-8", f"{name}.json")


def schema_file(request: HttpRequest, owner: str, name: str, version: str) -> HttpResponse:
    schema = shipped_schema(f"{owner}/{name}", version)
    if schema is None or version != schema.version:
        raise Http404("Pas de schéma de ce nom et de cette version.")
    return _file(schema.path.read_bytes(), "application/json; charset=utf-8", "schema.json")


def schemas(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/schemas.html", {"schemas": shipped_schemas()})
