"""Address → secteur through ``tirage.geo.address.resolve_address`` on the shipped Roubaix data.

The expected secteurs are computed here without ``tirage.geo``: the shipped
street table gives, for each street, the length of its centreline inside each
IRIS (the street's geometry cut by the IRIS polygons, done at build time); the
shipped IRIS table (``iris.csv``, from the Médiathèque de Roubaix) gives each
IRIS's quartier and secteur. A street lies in the secteurs of its IRIS.
For the five streets below every IRIS is in one secteur:

* Grand Place (59512_2370): IRIS 595120601 + 595120602 → Q06 → centre;
* Rue de l'Hommelet (59512_2640): 595120402 + 595120403 → Q04 → nord;
* Rue de l'Épeule (59512_1930): 595120501/502/504 → Q05 → ouest;
* Rue du Pile (59512_4540): 595121001 + 595121002 → Q10 → est;
* Rue de la Potennerie: Q08 (Moulin – Potennerie) → sud.

As a second, geometric check, a point on four of these streets (coordinates
read on a map, WGS84) falls inside the shipped secteur polygon of the same
secteur (shapely, a dev dependency).
"""

import csv
import json
from importlib import resources

import pytest
from shapely.geometry import Point, shape

from tirage.geo.address import AreaOrigin, quartier_labels_by_secteur, resolve_address

DATA = resources.files("tirage.geo").joinpath("data")


def expected_secteurs(label: str) -> set[str]:
    iris_secteur = {
        r["code"]: r["secteur"]
        for r in csv.DictReader(DATA.joinpath("iris.csv").open(encoding="utf-8"))
    }
    streets = json.loads(DATA.joinpath("streets.json").read_text("utf-8"))["streets"]
    (street,) = [s for s in streets if s["label"] == label]
    return {iris_secteur[code] for code, _length in street["iris"]}


@pytest.mark.parametrize(
    ("typed", "label", "secteur"),
    [
        ("Grand'Place", "Grand Place", "centre"),
        ("rue de l'hommelet", "Rue de l'Hommelet", "nord"),
        ("Rue de l Epeule", "Rue de l'Épeule", "ouest"),
        ("RUE DU PILE", "Rue du Pile", "est"),
        ("r. de la Potennerie", "Rue de la Potennerie", "sud"),
    ],
)
def test_one_street_in_each_secteur(typed, label, secteur):
    assert expected_secteurs(label) == {secteur}
    res = resolve_address("12", typed, "59100", "Roubaix")
    assert (res.status, res.secteur, res.street_label) == ("single", secteur, label)
    assert res.origin == AreaOrigin.ADDRESS and not res.needs_review


@pytest.mark.parametrize(
    ("secteur", "lat", "lon"),
    [
        ("centre", 50.6906, 3.1815),  # Grand Place, in front of the town hall
        ("nord", 50.6975, 3.1830),  # Rue de l'Hommelet
        ("ouest", 50.6885, 3.1655),  # Rue de l'Épeule, near the mairie Ouest
        ("est", 50.6885, 3.1930),  # Rue du Pile
    ],
)
def test_points_on_those_streets_lie_in_the_same_secteur_polygon(secteur, lat, lon):
    features = json.loads(DATA.joinpath("secteurs_roubaix.geojson").read_text("utf-8"))["features"]
    inside = [
        f["properties"]["code"] for f in features if shape(f["geometry"]).contains(Point(lon, lat))
    ]
    assert inside == [secteur]


def test_outside_roubaix():
    res = resolve_address("3", "Rue Nationale", "59200", "Tourcoing")
    assert res.status == "outside" and res.secteur == "" and res.needs_review
    assert res.review_note == "Adresse hors du territoire de l'appel : à vérifier."


def test_street_in_several_secteurs_takes_a_declared_secteur_among_them():
    # Rue de Lannoy crosses IRIS of Q12 (sud, est), Q06 (centre) and Q09 (est).
    assert expected_secteurs("Rue de Lannoy") == {"est", "sud", "centre"}
    res = resolve_address("100", "Rue de Lannoy", "59100", "Roubaix")
    assert res.status == "multiple" and res.secteur == "" and res.needs_review
    assert set(res.choices) == {"est", "sud", "centre"}
    chosen = resolve_address("100", "Rue de Lannoy", "59100", "Roubaix", secteur="centre")
    assert (chosen.secteur, chosen.quartier, chosen.origin) == (
        "centre",
        "Q06",
        AreaOrigin.DECLARED,
    )
    assert not chosen.needs_review
    wrong = resolve_address("100", "Rue de Lannoy", "59100", "Roubaix", secteur="nord")
    assert wrong.secteur == "" and wrong.needs_review
    assert wrong.review_note.startswith("Secteur déclaré (Nord) absent de cette voie")


def test_unknown_street_keeps_a_declared_secteur_or_quartier_flagged():
    res = resolve_address("1", "Rue Imaginaire des Lilas", "59100", "Roubaix")
    assert (res.status, res.secteur, res.needs_review) == ("unknown", "", True)
    assert (
        res.review_note == "Voie « Rue Imaginaire des Lilas » non trouvée : secteur à déterminer."
    )
    declared = resolve_address("1", "Rue Imaginaire des Lilas", "59100", "Roubaix", secteur="ouest")
    assert (declared.secteur, declared.origin, declared.needs_review) == (
        "ouest",
        "applicant",
        True,
    )
    by_quartier = resolve_address(
        "1", "Rue Imaginaire des Lilas", "59100", "Roubaix", quartier="Q04"
    )
    assert (by_quartier.secteur, by_quartier.quartier) == ("nord", "Q04")


def test_declared_secteur_contradicting_a_single_street_is_ignored_and_flagged():
    res = resolve_address("1", "Rue du Pile", "59100", "Roubaix", secteur="ouest")
    assert res.secteur == "est" and res.needs_review
    assert (
        res.review_note
        == "Secteur déclaré (Ouest) différent de celui de l'adresse (Est) : à vérifier."
    )


@pytest.mark.django_db
def test_a_call_of_another_city_has_no_street_data_and_keeps_the_declared_secteur():
    from tirage.calls.callfile import load_call, read_call_file

    data = read_call_file()
    data.update(
        slug="tourcoing", city_name="Tourcoing", communes=["Tourcoing"], postcodes=["59200"]
    )
    data["features"][0]["values"] = [
        {"key": "bourgogne", "label": "Bourgogne", "min": 10, "max": 10},
        {"key": "centre", "label": "Centre", "min": 10, "max": 10},
    ]
    call = load_call(data)
    res = resolve_address(
        "3", "Rue Nationale", "59200", "Tourcoing", secteur="bourgogne", territory=call
    )
    assert (res.status, res.secteur, res.origin) == (
        "unknown",
        "bourgogne",
        AreaOrigin.DECLARED,
    )
    assert res.needs_review and res.choices == ("bourgogne", "centre")
    # Roubaix's street data is not used for another city, even for a Roubaix street name.
    assert resolve_address("1", "Rue du Pile", "59200", "Tourcoing", territory=call).secteur == ""


def test_a_quartier_across_two_secteurs_says_so_under_both():
    lists = quartier_labels_by_secteur()
    shared = "Fraternité – Linné – Justice (partagé entre Est et Sud)"
    assert shared in lists["est"] and shared in lists["sud"]
    assert "Pile" in lists["est"]  # a quartier in one secteur is listed plainly
