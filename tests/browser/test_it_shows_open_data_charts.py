"""Open-data pages in a real Chromium: the charts render with JavaScript off, no page breaks
the Content-Security-Policy, and axe-core finds no violation on the public and staff pages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from tests.conftest import assert_no_axe_violations
from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.demo.opendata import seed_opendata
from tirage.opendata.models import DataRequest, DigitalService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def charts_fetched_one_by_one(context, *page_urls: str) -> int:
    """Fetch the page's chart images from the server one after the other, then let the
    browser load them from those answers; returns how many.

    With SQLite in memory, the live server's threads share one database connection: six
    images requested at once would use it concurrently, a fault of the test set-up only
    (each thread has its own connection on PostgreSQL and in production). The bytes the
    browser renders are still the server's, headers included."""
    answers = {}
    for page_url in page_urls:
        html = context.request.get(page_url).text()
        base = page_url.split("/donnees-ouvertes/")[0]
        for src in re.findall(r'<img src="([^"]+\.svg)"', html):
            response = context.request.get(base + src)
            answers[base + src] = (response.status, response.headers, response.body())

    def fulfil(route):
        status, headers, body = answers[route.request.url]
        route.fulfill(status=status, headers=headers, body=body)

    context.route("**/*.svg", fulfil)
    return len(answers)


@pytest.fixture
def demo(db):
    seed_opendata(call=roubaix_call(), today=timezone.localdate())


def test_charts_render_without_javascript(live_server, browser, demo):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    url = f"{live_server.url}/donnees-ouvertes/services/guichets-numeriques/"
    assert charts_fetched_one_by_one(context, url) == 6
    page = context.new_page()
    svgs: list[tuple[str, int, str]] = []
    page.on(
        "response",
        lambda r: (
            svgs.append((r.url, r.status, r.headers.get("content-type", "")))
            if r.url.endswith(".svg")
            else None
        ),
    )
    page.goto(f"{live_server.url}/donnees-ouvertes/services/guichets-numeriques/")
    page.wait_for_load_state("load")
    images = page.locator("img.chart-image")
    assert images.count() == 6
    # Each image was fetched and decoded (its natural width read back by the browser).
    assert len(svgs) == 6
    assert all(status == 200 and kind.startswith("image/svg+xml") for _u, status, kind in svgs)
    context.close()
    js_context = browser.new_context(locale="fr-FR")
    charts_fetched_one_by_one(js_context, url)
    js_page = js_context.new_page()
    js_page.goto(f"{live_server.url}/donnees-ouvertes/services/guichets-numeriques/")
    js_page.wait_for_load_state("load")
    widths = js_page.eval_on_selector_all("img.chart-image", "els => els.map(e => e.naturalWidth)")
    assert widths == [760] * 6
    js_context.close()


def test_open_data_pages_pass_axe_and_the_csp(live_server, page, axe, demo):
    client = Client()
    client.force_login(make_staff("coord", COORDINATOR))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    verified = DataRequest.objects.get(status="verified")
    service = DigitalService.objects.get(slug="demarches-en-ligne")
    paths = [
        "/donnees-ouvertes/",
        "/donnees-ouvertes/services/demarches-en-ligne/",
        "/donnees-ouvertes/services/guichets-numeriques/",
        "/donnees-ouvertes/schemas/",
        "/gestion/donnees-ouvertes/",
        f"/gestion/donnees-ouvertes/demandes/{verified.pk}/",
        f"/gestion/donnees-ouvertes/services/{service.pk}/",
        "/gestion/donnees-ouvertes/demandes/nouvelle/",
        "/gestion/donnees-ouvertes/indicateurs/import/",
        "/gestion/donnees-ouvertes/evaluations/saisie/",
    ]
    charts_fetched_one_by_one(page.context, *(live_server.url + p for p in paths[1:3]))
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        assert_no_axe_violations(axe, page)
    # An import refused: the error summary passes too.
    page.goto(live_server.url + "/gestion/donnees-ouvertes/indicateurs/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "x.csv", "mimeType": "text/csv", "buffer": b"service,valeur\nx,1\n"}],
    )
    page.get_by_role("button", name="Vérifier (rien n'est enregistré)").click()
    page.wait_for_selector(".error-summary")
    assert "Colonnes absentes" in page.inner_text(".error-summary")
    assert_no_axe_violations(axe, page)
    assert violations == []
