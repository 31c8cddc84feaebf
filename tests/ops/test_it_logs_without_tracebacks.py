"""Ordinary refusals (400, 403, 404) log one line, no traceback; errors keep theirs."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from django.test import Client

from tests.applications.online import open_call
from tests.roles import make_staff
from tirage.backoffice.roles import OBSERVER
from tirage.ops.logs import ClientErrorFilter, JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What the console handler of ``settings.LOGGING`` writes, with TIRAGE_LOG_FORMAT=json."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(ClientErrorFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield out
    logger.removeHandler(handler)


def test_a_refused_page_logs_one_line_without_traceback(json_log):
    open_call()
    client = Client()
    client.force_login(make_staff("obs", OBSERVER))
    assert client.get("/gestion/candidatures/liste/").status_code == 403
    assert client.get("/nulle-part/").status_code == 404
    forbidden, missing = (json.loads(line) for line in json_log.getvalue().splitlines())
    assert forbidden["status"] == 403 and forbidden["path"] == "/gestion/candidatures/liste/"
    assert forbidden["level"] == "WARNING" and forbidden["logger"] == "django.request"
    assert "exception" not in forbidden and "Traceback" not in json_log.getvalue()
    assert (missing["status"], missing["method"], missing["path"]) == (404, "GET", "/nulle-part/")


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", None,
            sys.exc_info(),
        )  # fmt: skip
    record.status_code = 500
    assert ClientErrorFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["status"] == 500 and "RuntimeError: boom" in entry["exception"]


def test_a_bad_request_page_is_in_french(settings):
    open_call()
    settings.ALLOWED_HOSTS = ["tirage.example.fr"]
    response = Client().get("/", HTTP_HOST="intrus.example.com")
    assert response.status_code == 400
    assert "<h1>Demande incorrecte</h1>" in response.text
