"""The read-only JSON API: the registry's resources, page by page, the same rows as the files."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.factories import roubaix_call
from tirage.demo.opendata import seed_opendata
from tirage.opendata import api, registry
from tirage.opendata.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    seed_opendata(call=roubaix_call(), today=timezone.localdate())


def test_the_index_lists_every_resource_with_its_urls(client, demo):
    document = json.loads(client.get("/donnees-ouvertes/api/").content)
    names = [item["name"] for item in document["resources"]]
    assert names == [item.name for item in registry.resources()]
    first = document["resources"][0]
    assert first["url"] == "http://testserver/donnees-ouvertes/api/demandes-ouverture/"
    assert first["csv"] == "http://testserver/donnees-ouvertes/demandes-ouverture.csv"
    assert document["licence"]["name"] == "etalab-2.0"


def test_pages_hold_every_row_once_in_order(client, demo):
    url = "/donnees-ouvertes/api/indicateurs-services-numeriques/"
    total = IndicatorValue.objects.count()
    whole = json.loads(client.get("/donnees-ouvertes/indicateurs-services-numeriques.json").content)
    rows, page, pages = [], json.loads(client.get(url).content), 0
    assert page["count"] == total and page["previous"] is None
    assert page["pages"] == -(-total // api.PAGE_SIZE)
    while True:
        pages += 1
        assert len(page["results"]) == min(api.PAGE_SIZE, total - len(rows))
        rows += page["results"]
        if page["next"] is None:
            break
        page = json.loads(client.get(page["next"].removeprefix("http://testserver")).content)
    assert pages == page["pages"] and rows == whole["data"]
    assert page["previous"] == f"http://testserver{url}?page={pages - 1}"


def test_a_bad_page_or_name_answers_404_in_french(client, demo):
    url = "/donnees-ouvertes/api/demandes-ouverture/"
    response = client.get(url + "?page=9")
    assert response.status_code == 404
    assert json.loads(response.content) == {"erreur": "Pas de page 9 : il y en a 1."}
    response = client.get(url + "?page=deux")
    assert json.loads(response.content) == {
        "erreur": "Le numéro de page doit être un nombre entier."
    }
    response = client.get("/donnees-ouvertes/api/inconnu/")
    assert response.status_code == 404
    assert client.post(url).status_code == 405
