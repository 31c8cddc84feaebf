import pytest

from tirage.applications import staff_views as views

pytestmark = pytest.mark.django_db

URL = "/gestion/candidatures/liste/"


@pytest.mark.parametrize(
    "who, status", [("coordinator", 200), ("agent_nord", 200), ("observer", 403)]
)
def test_who_may_list(request, as_user, who, status):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == status


def test_agent_sees_own_mairie_paper_and_what_they_typed(
    as_user, agent_nord, paper_app, online_app
):
    nord = paper_app("mdq-nord", given_name="Nadia")
    sud_typed_by_nord = paper_app("mdq-sud", agent=agent_nord, given_name="Sami")
    sud = paper_app("mdq-sud", given_name="Sophie")
    online = online_app(given_name="Olivier")
    text = as_user(agent_nord).get(URL).text
    assert nord.receipt_code in text and sud_typed_by_nord.receipt_code in text
    assert sud.receipt_code not in text and online.receipt_code not in text


def test_coordinator_sees_all_and_filters(as_user, coordinator, paper_app, online_app):
    paper = paper_app("mdq-nord", given_name="Nadia", secteur="nord")
    online = online_app(given_name="Olivier", secteur="sud")
    client = as_user(coordinator)
    assert {paper.receipt_code, online.receipt_code} <= set(_codes(client.get(URL)))
    assert _codes(client.get(URL, {"channel": "paper"})) == [paper.receipt_code]
    assert _codes(client.get(URL, {"secteur": "sud"})) == [online.receipt_code]
    assert _codes(client.get(URL, {"office": "mdq-nord"})) == [paper.receipt_code]
    assert _codes(client.get(URL, {"status": "ineligible"})) == []


def test_search_ignores_accents_case_and_code_format(as_user, coordinator, online_app):
    amelie = online_app(given_name="Amélie", family_name="Lefèvre", postcode="59100")
    online_app(given_name="Paul", family_name="Martin")
    client = as_user(coordinator)
    assert _codes(client.get(URL, {"q": "lefevre"})) == [amelie.receipt_code]
    assert _codes(client.get(URL, {"q": "AMELIE LEFÈVRE"})) == [amelie.receipt_code]
    raw = amelie.receipt_code.replace("-", "").lower()
    assert _codes(client.get(URL, {"q": raw})) == [amelie.receipt_code]
    assert len(_codes(client.get(URL, {"q": "59100"}))) == 2


def test_needs_review_filter_and_pagination(as_user, coordinator, online_app, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    flagged = online_app(given_name="Zoé", secteur="", needs_review=True)
    for name in ("Un", "Deux", "Trois"):
        online_app(given_name=name)
    client = as_user(coordinator)
    assert _codes(client.get(URL, {"needs_review": "on"})) == [flagged.receipt_code]
    first = client.get(URL)
    assert "page 1 sur 2" in first.text and len(_codes(first)) == 2
    second = client.get(URL, {"page": 2})
    assert len(_codes(second)) == 2 and not set(_codes(first)) & set(_codes(second))


def _codes(response) -> list[str]:
    return [app.receipt_code for app in response.context["page"].object_list]
