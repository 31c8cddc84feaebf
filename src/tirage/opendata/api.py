"""The read-only JSON API: the same public resources as the files, page by page.

* ``GET /donnees-ouvertes/api/`` — the resources: name, title, description, Table Schema,
  API and file URLs;
* ``GET /donnees-ouvertes/api/<name>/?page=N`` — ``{"name", "title", "licence", "count",
  "page", "pages", "next", "previous", "results"}`` with :data:`PAGE_SIZE` rows per page,
  rows as in ``<name>.json``. A page out of range or not a number answers 404 with a French
  ``{"erreur": …}``.

No sign-in, ``Access-Control-Allow-Origin: *``, GET only.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from tirage.opendata import publication, registry

PAGE_SIZE = 100


def _json(document: Any, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        status=status,
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    items = [
        {
            "name": item.name,
            "title": item.title,
            "description": item.description,
            "url": request.build_absolute_uri(reverse("opendata:api_resource", args=[item.name])),
            "csv": request.build_absolute_uri(reverse("opendata:file", args=[item.name, "csv"])),
            "json": request.build_absolute_uri(reverse("opendata:file", args=[item.name, "json"])),
            "schema": item.table_schema(),
        }
        for item in registry.resources()
    ]
    return _json({"licence": publication.LICENCE, "resources": items})


@require_GET
def resource(request: HttpRequest, name: str) -> HttpResponse:
    try:
        item = registry.resource(name)
    except KeyError:
        return _json({"erreur": f"Pas de données nommées « {name} »."}, status=404)
    paginator = Paginator(publication.json_rows(item), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return _json({"erreur": "Le numéro de page doit être un nombre entier."}, status=404)
    except EmptyPage:
        return _json(
            {"erreur": f"Pas de page {request.GET.get('page')} : il y en a {paginator.num_pages}."},
            status=404,
        )
    here = request.build_absolute_uri(reverse("opendata:api_resource", args=[name]))
    return _json(
        {
            "name": item.name,
            "title": item.title,
            "licence": publication.LICENCE,
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": f"{here}?page={page.next_page_number()}" if page.has_next() else None,
            "previous": f"{here}?page={page.previous_page_number()}"
            if page.has_previous()
            else None,
            "results": list(page.object_list),
        }
    )
