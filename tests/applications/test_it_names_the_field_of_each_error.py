"""Every length error names its field in French with what was typed, once in the summary."""

from __future__ import annotations

import re

import pytest

from tests.applications.online import open_call, step1

pytestmark = pytest.mark.django_db


def test_too_long_texts_are_named_with_their_length(client):
    open_call()
    response = client.post(
        "/candidater/",
        step1(family_name="N" * 160, given_name="P" * 151, phone="0" * 35, motivation="m" * 2001),
    )
    page = response.text
    summary = page[
        page.index('class="error-summary"') : page.index(
            "</ul>", page.index('class="error-summary"')
        )
    ]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert ("id_family_name", "Nom : 150 caractères au plus (160 saisis).") in links
    assert ("id_given_name", "Prénom : 150 caractères au plus (151 saisis).") in links
    assert ("id_phone", "Téléphone : 30 caractères au plus (35 saisis).") in links
    assert ("id_motivation", "Motivation : 2 000 caractères au plus (2001 saisis).") in links
    assert len({message for _, message in links}) == len(links)  # no message twice
    assert "trop long" not in page and "Assurez-vous" not in page
