"""Open data: consultations, opinions with their votes (SCDL Délibérations columns), recommendations, answers,
commitments and updates — valid for `frictionless validate`, and without personal data."""

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.meetings.helpers import installed_council
from tirage.demo.opinions import ACCESSIBILITY, PORTAL, seed_opinions
from tirage.opendata import publication, registry
from tirage.opinions.clock import clock_for
from tirage.opinions.models import Opinion

TODAY = dt.date(2026, 12, 6)
NAMES = [
    "consultations-du-conseil",
    "avis-du-conseil",
    "recommandations-du-conseil",
    "reponses-de-la-ville",
    "engagements-de-la-ville",
    "engagements-avancement",
]


@pytest.fixture
def published(db, tmp_path):
    council = installed_council()
    seed_opinions(call=council.call, today=TODAY)
    folder = tmp_path / "donnees-ouvertes"
    publication.write_package(
        folder,
        base_url="https://tirage.ville.example/donnees-ouvertes/",
        title="Conseil local du numérique de Roubaix",
        description="Les données publiques du conseil.",
        publisher="Ville de Roubaix",
        items=[registry.resource(name) for name in NAMES],
    )
    return council, folder


def read(folder: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text("utf-8"))))


def test_the_opinions_resources_are_registered_in_order():
    names = [r.name for r in registry.resources()]
    assert [n for n in names if n in NAMES] == NAMES


def test_frictionless_validate_accepts_the_opinions_files(published):
    _, folder = published
    executable = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(executable), "validate", "datapackage.json", "--json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report["tasks"], ensure_ascii=False)[:3000]
    rows = {task["name"]: task["stats"]["rows"] for task in report["tasks"]}
    assert rows == {
        "consultations-du-conseil": 2,
        "avis-du-conseil": 3,
        "recommandations-du-conseil": 9,
        "reponses-de-la-ville": 7,
        "engagements-de-la-ville": 4,
        "engagements-avancement": 5,
    }


def test_opinions_carry_their_vote_and_their_clock(published):
    _, folder = published
    rows = {row["titre"]: row for row in read(folder, "avis-du-conseil")}
    portal = rows[PORTAL]
    assert portal["DELIB_ID"] == "roubaix-cln-2025-avis-1-v1"
    assert portal["DELIB_OBJET"] == f"Avis n° 1 : {PORTAL}"
    assert portal["DELIB_DATE"] == (TODAY - dt.timedelta(days=285)).isoformat()
    assert [portal[k] for k in ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE")] == [
        "20",
        "17",
        "14",
        "2",
    ]
    assert (portal["VOTE_ABSTENTION"], portal["mode"], portal["jours_de_retard"]) == (
        "1",
        "vote",
        "0",
    )
    consensus = next(r for r in rows.values() if r["mode"] == "consensus")
    assert consensus["VOTE_REEL"] == "" and consensus["VOTE_POUR"] == ""
    late = rows[ACCESSIBILITY]
    # Counted on the day the file is made, under the council's current rule.
    expected = clock_for(Opinion.objects.get(title=ACCESSIBILITY))
    assert late["jours_de_retard"] == str(expected.days_late) and expected.days_late >= 40
    assert late["reponse_attendue_avant_le"] == "2026-10-28"
    recommendations = read(folder, "recommandations-du-conseil")
    assert [(r["numero"], r["reponse"], r["evaluation_conseil"]) for r in recommendations[:3]] == [
        ("1", "accepted", "satisfying"),
        ("2", "accepted", "satisfying"),
        ("3", "rejected", "unsatisfying"),
    ]
    updates = read(folder, "engagements-avancement")
    assert updates[0]["preuves"] == (
        "Compte rendu du comité de suivi (exemple) <https://www.ville-roubaix.fr/>"
    )


def test_no_personal_data_in_the_opinions_files(published):
    council, folder = published
    everything = "".join((folder / f"{name}.csv").read_text("utf-8") for name in NAMES)
    for member in council.members:
        app = member.application
        assert council.named(member) not in everything
        assert app.family_name not in everything
        assert app.receipt_code not in everything
    assert "@" not in everything
    # Drafts and withdrawn proposals are not published.
    assert "ateliers numériques le samedi" not in everything
    assert "numéro de téléphone unique" not in everything
