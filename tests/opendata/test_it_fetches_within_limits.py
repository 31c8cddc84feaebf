"""Fetching a catalogue URL: only allowed prefixes, a bounded wait, a bounded size."""

from __future__ import annotations

import hashlib
import time

import pytest

from tirage.opendata.fetch import FetchError, fetch, human_size, is_allowed


def test_it_fetches_an_allowed_file(catalogue):
    catalogue.files["ok.csv"] = ("text/csv; charset=utf-8", b"a,b\n1,2\n")
    fetched = fetch(catalogue.url("ok.csv"))
    assert fetched.content == b"a,b\n1,2\n"
    assert fetched.content_type == "text/csv"
    assert fetched.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_it_follows_a_redirect_within_the_allow_list(catalogue):
    catalogue.files["ok.csv"] = ("text/csv", b"a\n1\n")
    fetched = fetch(catalogue.url("redirection"))
    assert fetched.url == catalogue.url("ok.csv")
    assert catalogue.requests == ["redirection", "ok.csv"]


def test_it_refuses_a_redirect_outside_the_allow_list(catalogue):
    with pytest.raises(FetchError) as caught:
        fetch(catalogue.url("redirection-externe"))
    assert caught.value.code == "not_allowed"
    assert "http://donnees.example.invalid/x.csv" in caught.value.message


def test_it_reports_a_404(catalogue):
    with pytest.raises(FetchError) as caught:
        fetch(catalogue.url("absent.csv"))
    assert caught.value.code == "http_status"
    assert "404" in caught.value.message
    assert catalogue.url("absent.csv") in caught.value.message


def test_it_gives_up_on_a_server_that_does_not_answer(catalogue):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(catalogue.url("lent.csv"))
    waited = time.monotonic() - started
    assert caught.value.code == "timeout"
    assert "en 0,5 s" in caught.value.message
    assert waited < 2.0  # the bound: timeout 0.5 s, worst case under twice that plus overhead


def test_it_refuses_a_file_announcing_two_gigabytes_without_reading_it(catalogue):
    with pytest.raises(FetchError) as caught:
        fetch(catalogue.url("annonce-2-go.csv"))
    assert caught.value.code == "too_large"
    assert caught.value.message == (
        "Le fichier annonce 2 Go, au-delà de la limite de 1 Mo : il n'a pas été téléchargé."
    )
    assert catalogue.stream_stopped.wait(10)
    assert catalogue.streamed_bytes < 64 * 1024 * 1024


def test_it_stops_a_stream_that_grows_past_the_limit(catalogue):
    with pytest.raises(FetchError) as caught:
        fetch(catalogue.url("flux-2-go.csv"))
    assert caught.value.code == "too_large"
    assert "dépasse la limite de 1 Mo" in caught.value.message
    # The server noticed the client had gone long before 2 GB.
    assert catalogue.stream_stopped.wait(10)
    assert catalogue.streamed_bytes < 64 * 1024 * 1024


def test_nothing_is_fetched_when_no_prefix_is_configured(settings):
    settings.OPENDATA_FETCH_ALLOWED_PREFIXES = []
    with pytest.raises(FetchError) as caught:
        fetch("https://www.data.gouv.fr/fr/datasets/r/abc")
    assert caught.value.code == "not_allowed"
    assert "déposez le fichier" in caught.value.message


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://data.example/fr/x.csv", True),
        ("https://data.example.evil/fr/x.csv", False),
        ("https://user:pw@data.example/fr/x.csv", False),
        ("ftp://data.example/fr/x.csv", False),
        ("https://data.example/en/x.csv", False),
        ("http://data.example/fr/x.csv", False),
    ],
)
def test_the_allow_list_matches_scheme_host_and_path(url, allowed):
    assert is_allowed(url, ["https://data.example/fr/"]) is allowed


def test_sizes_are_said_in_french():
    assert human_size(2 * 1024**3) == "2 Go"
    assert human_size(1536) == "1,5 ko"
    assert human_size(12) == "12 octets"
