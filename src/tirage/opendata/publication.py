"""Build the open-data files: CSV and JSON per resource, a Frictionless Data Package and a
DCAT catalogue in JSON-LD that data.gouv.fr can harvest. Licence Ouverte 2.0 throughout.

* :func:`csv_bytes` — UTF-8, ``,`` separator, header = field names, ``\\r\\n`` line ends
  (RFC 4180); dates ISO 8601, numbers with a decimal point, booleans ``true``/``false``,
  empty cells for missing values.
* :func:`json_bytes` — ``{"name", "title", "licence", "data": [...]}`` (the indicator
  importer reads this shape back).
* :func:`datapackage` — the ``datapackage.json`` descriptor: one resource per CSV with its
  Table Schema inline.
* :func:`dcat_graph` / :func:`dcat_jsonld` — a ``dcat:Catalog`` with one ``dcat:Dataset``
  per resource, each with a CSV and a JSON ``dcat:Distribution`` (rdflib).
* :func:`write_package` — every file in a folder (what ``/donnees-ouvertes/`` serves).

``base_url`` is the public address of the open-data folder (``https://…/donnees-ouvertes/``);
file URLs are built from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from tirage.opendata.registry import PublicResource, resources

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE = {
    "name": "etalab-2.0",
    "path": LICENCE_URL,
    "title": "Licence Ouverte / Open Licence version 2.0",
}
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def cell(value: Any) -> str:
    """A Python value as a CSV cell (see module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def json_value(value: Any) -> Any:
    """A Python value for JSON: numbers stay numbers, dates become ISO strings."""
    if isinstance(value, Decimal):
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else float(normal)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _rows(resource: PublicResource) -> Iterable[Mapping[str, Any]]:
    names = resource.field_names
    for row in resource.rows():
        extra = set(row) - set(names)
        if extra:
            raise ValueError(f"{resource.name}: row has undeclared fields {sorted(extra)}")
        yield row


def csv_bytes(resource: PublicResource) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(resource.field_names)
    for row in _rows(resource):
        writer.writerow([cell(row.get(name)) for name in resource.field_names])
    return buffer.getvalue().encode("utf-8")


def json_rows(resource: PublicResource) -> list[dict[str, Any]]:
    return [
        {name: json_value(row.get(name)) for name in resource.field_names}
        for row in _rows(resource)
    ]


def json_bytes(resource: PublicResource) -> bytes:
    document = {
        "name": resource.name,
        "title": resource.title,
        "licence": LICENCE,
        "data": json_rows(resource),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def package_name(title: str) -> str:
    """A Data Package name from a title (lower-case ASCII, digits, ``-``)."""
    import unicodedata  # only here: one call per package

    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split()
    return "-".join(words) or "donnees"


def datapackage(
    items: list[PublicResource],
    *,
    title: str,
    description: str = "",
    base_url: str = "",
    created: dt.datetime | None = None,
) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor for ``items`` (paths relative to the package)."""
    created = created or timezone.now()
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(title),
        "title": title,
        "description": description,
        "created": created.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": item.name,
                "title": item.title,
                "description": item.description,
                "path": f"{item.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENCE],
                "schema": item.table_schema(),
            }
            for item in items
        ],
    }
    if base_url:
        descriptor["homepage"] = base_url
    return descriptor


def dcat_graph(
    items: list[PublicResource],
    *,
    base_url: str,
    title: str,
    description: str,
    publisher: str,
    modified: dt.datetime | None = None,
) -> Graph:
    """A DCAT catalogue: one ``dcat:Dataset`` per resource, CSV and JSON distributions."""
    base = base_url.rstrip("/") + "/"
    modified = modified or timezone.now()
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    catalog = URIRef(base + "catalogue.jsonld")
    agent = URIRef(base + "#editeur")
    licence = URIRef(LICENCE_URL)
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(publisher, lang="fr")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="fr")))
    graph.add((catalog, DCTERMS.description, Literal(description, lang="fr")))
    graph.add((catalog, DCTERMS.publisher, agent))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCTERMS.language, Literal("fr")))
    graph.add((catalog, FOAF.homepage, URIRef(base)))
    stamp = Literal(
        modified.astimezone(dt.UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime
    )
    graph.add((catalog, DCTERMS.modified, stamp))
    for item in items:
        dataset = URIRef(f"{base}#{item.name}")
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(item.name)))
        graph.add((dataset, DCTERMS.title, Literal(item.title, lang="fr")))
        graph.add((dataset, DCTERMS.description, Literal(item.description, lang="fr")))
        graph.add((dataset, DCTERMS.publisher, agent))
        graph.add((dataset, DCTERMS.license, licence))
        graph.add((dataset, DCTERMS.modified, stamp))
        graph.add((dataset, DCAT.landingPage, URIRef(base)))
        for keyword in item.keywords:
            graph.add((dataset, DCAT.keyword, Literal(keyword, lang="fr")))
        if item.conforms_to:
            graph.add((dataset, DCTERMS.conformsTo, Literal(item.conforms_to)))
        contact = BNode()
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(publisher, lang="fr")))
        for extension, media_type, label in (
            ("csv", "text/csv", "CSV"),
            ("json", "application/json", "JSON"),
        ):
            distribution = URIRef(f"{base}{item.name}.{extension}")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{item.title} ({label})", lang="fr")))
            graph.add((distribution, DCAT.accessURL, distribution))
            graph.add((distribution, DCAT.downloadURL, distribution))
            graph.add((distribution, DCAT.mediaType, Literal(media_type)))
            graph.add((distribution, DCTERMS.format, Literal(label)))
            graph.add((distribution, DCTERMS.license, licence))
    return graph


def dcat_jsonld(items: list[PublicResource], **kwargs: Any) -> bytes:
    """:func:`dcat_graph` serialised as JSON-LD (UTF-8)."""
    text = dcat_graph(items, **kwargs).serialize(format="json-ld", indent=1, auto_compact=True)
    return text.encode("utf-8")


def write_package(
    folder: Path,
    *,
    base_url: str,
    title: str,
    description: str,
    publisher: str,
    items: list[PublicResource] | None = None,
) -> list[Path]:
    """Write ``<name>.csv``, ``<name>.json``, ``datapackage.json`` and ``catalogue.jsonld``
    into ``folder`` (created if needed); returns the paths written."""
    items = resources() if items is None else items
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in items:
        for extension, content in (("csv", csv_bytes(item)), ("json", json_bytes(item))):
            path = folder / f"{item.name}.{extension}"
            path.write_bytes(content)
            written.append(path)
    descriptor = datapackage(items, title=title, description=description, base_url=base_url)
    package_path = folder / "datapackage.json"
    package_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=1), "utf-8")
    catalogue_path = folder / "catalogue.jsonld"
    catalogue_path.write_bytes(
        dcat_jsonld(
            items, base_url=base_url, title=title, description=description, publisher=publisher
        )
    )
    return [*written, package_path, catalogue_path]
