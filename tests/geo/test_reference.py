"""The shipped reference tables load and hold the right counts and codes.

Expected values come from the source table ``iris_quartier_secteur.csv`` (see
``src/tirage/geo/data/PROVENANCE.md``), read by hand, not from the loaders.
"""

from __future__ import annotations

import json
from importlib import resources

from tirage.geo import reference


def test_counts():
    assert len(reference.iris_table()) == 38
    assert len(reference.quartiers()) == 13
    assert len(reference.secteurs()) == 5
    assert len(reference.mairies()) == 5


def test_secteur_codes_and_labels():
    got = [(s.code, s.label, s.mairie_label) for s in reference.secteurs()]
    assert got == [
        ("nord", "Nord", "Mairie des quartiers Nord"),
        ("sud", "Sud", "Mairie des quartiers Sud"),
        ("est", "Est", "Mairie des quartiers Est"),
        ("ouest", "Ouest", "Mairie des quartiers Ouest"),
        ("centre", "Centre", "Mairie des quartiers Centre"),
    ]
    ouest = reference.secteur_by_code()["ouest"]
    assert ouest.mairie_address.startswith("187 rue de l'Épeule")


def test_quartier_codes_labels_and_split_quartiers():
    qs = reference.quartier_by_code()
    assert list(qs) == [f"Q{i:02d}" for i in range(1, 14)]
    assert qs["Q02"].label == "Alma – Fosse aux Chênes"
    assert qs["Q02"].secteurs == ("nord",)
    # Split at IRIS level: 0701 Centre, 0702/0703 Sud; 1203 Est, 1201/1202 Sud.
    assert set(qs["Q07"].secteurs) == {"centre", "sud"}
    assert set(qs["Q12"].secteurs) == {"est", "sud"}
    split = [q.code for q in reference.quartiers() if len(q.secteurs) > 1]
    assert split == ["Q07", "Q12"]
    assert qs["Q05"].iris == ("595120501", "595120502", "595120503", "595120504")


def test_iris_rows():
    by_code = reference.iris_by_code()
    assert by_code["595120701"].secteur == "centre"
    assert by_code["595120702"].secteur == "sud"
    assert by_code["595120703"].name == "EDOUART VAILLANT"  # INSEE's own spelling
    assert by_code["595121203"].secteur == "est"
    assert by_code["595121201"].secteur == "sud"
    assert by_code["595121103"].quartier == "Q11"
    assert all(len(c) == 9 and c.startswith("59512") for c in by_code)
    # IRIS per secteur, counted by hand in the source table.
    per_secteur = {}
    for i in reference.iris_table():
        per_secteur[i.secteur] = per_secteur.get(i.secteur, 0) + 1
    assert per_secteur == {"ouest": 6, "nord": 9, "centre": 4, "sud": 9, "est": 10}


def test_population_is_commune_level():
    rows = reference.commune_population()
    total_2021 = [
        r.population
        for r in rows
        if r.census_year == 2021 and r.sex == "ensemble" and r.age_band == "total_1+"
    ]
    assert total_2021 == [97199]
    assert {r.sex for r in rows} == {"ensemble", "hommes", "femmes"}


def test_shipped_geojson_and_street_files_load():
    data = resources.files("tirage.geo").joinpath("data")
    secteurs = json.loads(data.joinpath("secteurs_roubaix.geojson").read_text("utf-8"))
    assert sorted(f["properties"]["code"] for f in secteurs["features"]) == [
        "centre", "est", "nord", "ouest", "sud",
    ]  # fmt: skip
    quartiers = json.loads(data.joinpath("quartiers_roubaix.geojson").read_text("utf-8"))
    assert len(quartiers["features"]) == 13
    streets = json.loads(data.joinpath("streets.json").read_text("utf-8"))
    assert streets["meta"]["sliver_threshold_m"] == 15.0
    # BD TOPO has 917 features and 790 distinct BAN ids: at least 790 streets.
    assert 790 <= len(streets["streets"]) <= 917
    osm = json.loads(data.joinpath("osm_names.json").read_text("utf-8"))
    assert "OpenStreetMap" in osm["meta"]["attribution"]
