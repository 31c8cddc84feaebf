"""Once the council is installed, the home page points to it instead of « Devenez membre »."""

from __future__ import annotations

from tests.aftermath import drawn_call
from tests.meetings.helpers import installed_council


def test_home_invites_to_apply_before_and_shows_the_council_after(client, db):
    drawn_call()
    page = client.get("/").text
    assert "<h1>Devenez membre du" in page and "Voir les membres du conseil" not in page


def test_home_points_to_the_installed_council(client, db):
    council = installed_council()
    page = client.get("/").text
    name = council.call.council_name
    assert f"<h1>Le {name} de" in page and "Devenez membre" not in page
    assert f"{len(council.members)} membres tirés au sort siègent aujourd" in page
    assert '<a class="button" href="/conseil/membres/">Voir les membres du conseil</a>' in page
