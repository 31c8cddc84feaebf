"""Street → secteur lookup on real Roubaix streets.

How the expected secteurs were checked (not from the lookup's own output): for
each street, the raw BD TOPO line (``bdtopo_roubaix_voies.geojson``) was sampled
every ~5 m, and each point was located with shapely in the *source*
``secteurs_roubaix.geojson`` and in the IRIS-GE polygons (a different method from
the build script, which intersects whole lines with IRIS). Counts of points
(1 point ≈ 5 m) are given next to each case. The secteurs also agree with the
mairie addresses (Sud on boulevard de Fourmies, Ouest 187 rue de l'Épeule, Nord
place de la Fosse aux Chênes, Est rue de Tournai).
"""

from __future__ import annotations

import pytest

from tirage.geo.lookup import lookup_street, parse_address_line, suggest_streets

# One street per secteur, each wholly (or all but a < 15 m sliver) inside it.
ONE_PER_SECTEUR = [
    # 279/279 points in QUARTIERS SUD (IRIS 0703 Edouard Vaillant and 1301).
    ("Boulevard de Fourmies", "sud"),
    # 236/237 points in QUARTIERS OUEST (0501, 0502, 0504); 1 point (≈5 m) Centre.
    ("Rue de l'Épeule", "ouest"),
    # 128/128 points in QUARTIERS NORD (0201 Fosse aux Chênes).
    ("Avenue de la Fosse aux Chênes", "nord"),
    # 71/71 points in QUARTIERS EST (1101, 1102 Trois Ponts).
    ("Rue de Tournai", "est"),
    # 93/96 points in QUARTIERS CENTRE (0601, 0701); 3 points (≈15 m, a sliver at
    # the end on Moulin Nord) in Sud.
    ("Rue du Maréchal Foch", "centre"),
]


@pytest.mark.parametrize(("street", "secteur"), ONE_PER_SECTEUR)
def test_one_street_in_each_secteur(street, secteur):
    m = lookup_street(street)
    assert m.status == "single"
    assert m.secteurs == (secteur,)
    assert m.label == street
    assert m.score == 100


def test_fourmies_quartiers():
    # Points in IRIS 0703 (Q07, Sud part) and 1301 (Q13).
    assert set(lookup_street("Boulevard de Fourmies").quartiers) == {"Q07", "Q13"}


@pytest.mark.parametrize(
    ("street", "secteurs"),
    [
        # 245 points in 0701 Barbieux-Vauban (Centre), 34 (≈170 m) in 0801 Moulin Nord (Sud).
        ("Boulevard du Général de Gaulle", {"centre", "sud"}),
        # 398 points in 0301 Entrepont-Cartigny (Nord), 96 in 1103 Sartel (Est).
        ("Rue d'Avelghem", {"nord", "est"}),
    ],
)
def test_street_crossing_two_secteurs(street, secteurs):
    m = lookup_street(street)
    assert m.status == "multiple"
    assert set(m.secteurs) == secteurs


def test_multiple_lists_the_longest_part_first():
    # Rue d'Avelghem: ~4x more of it in Nord than in Est (398 vs 96 points).
    assert lookup_street("rue d'avelghem").secteurs[0] == "nord"


@pytest.mark.parametrize(
    ("street", "secteur", "iris"),
    [
        # Q07 is Centre in IRIS 0701 and Sud in 0702/0703.
        ("Rue Vauban", "centre", "595120701"),  # 102/102 points in 0701
        ("Avenue Jean Jaurès", "centre", "595120701"),  # 426 points, all in 0701
        ("Boulevard Lacordaire", "sud", "595120702"),  # 222/222 points in 0702
        ("Rue Pigouche", "sud", "595120703"),  # 141/141 points in 0703
        # Q12 is Est in IRIS 1203 and Sud in 1201/1202.
        ("Place de la Fraternité", "est", "595121203"),  # 88/88 points in 1203
        ("Rue de Nancy", "est", "595121203"),  # 82/82 points in 1203
        ("Rue Louis Braille", "sud", "595121201"),  # 204/204 points in 1201
        ("Rue Léon Blum", "sud", "595121202"),  # 79/80 points in 1202
    ],
)
def test_split_quartiers_use_the_iris_secteur(street, secteur, iris):
    m = lookup_street(street)
    assert m.status == "single"
    assert m.secteurs == (secteur,)
    assert m.iris == (iris,)
    assert m.quartiers == (("Q07",) if iris.startswith("5951207") else ("Q12",))


def test_street_across_split_quartier_q12():
    # Avenue Linné: 114 points in 1201 (Sud), 93 in 1301 (Sud), 45 in 1203 (Est).
    m = lookup_street("Avenue Linné")
    assert m.status == "multiple"
    assert set(m.secteurs) == {"sud", "est"}
    assert m.secteurs[0] == "sud"
    assert set(m.quartiers) == {"Q12", "Q13"}


@pytest.mark.parametrize(
    "variant",
    [
        "BD DE FOURMIES",
        "boulevard de fourmies",
        "Bd. de Fourmies",
        "boulevar de fourmie",  # two typos
        "  Boulevard   de-Fourmies ",
        "bd fourmies",
        "Boul. Fourmies",
        "fourmies",  # no type word
        "12 bd de Fourmies",
        "12 bis, boulevard de Fourmies, 59100 Roubaix",
    ],
)
def test_fourmies_variants(variant):
    m = lookup_street(variant)
    assert m.label == "Boulevard de Fourmies"
    assert m.status == "single"
    assert m.secteurs == ("sud",)


def test_typo_has_lower_score():
    m = lookup_street("boulevar de fourmie")
    assert 85 <= m.score < 100


@pytest.mark.parametrize(
    "variant",
    ["Rue de l'Épeule", "rue de l epeule", "RUE DE L’EPEULE", "r. de l'epeule", "rue epeule"],
)
def test_epeule_variants(variant):
    m = lookup_street(variant)
    assert m.label == "Rue de l'Épeule"
    assert m.secteurs == ("ouest",)


@pytest.mark.parametrize(
    ("variant", "label"),
    [
        ("bd du gal de gaulle", "Boulevard du Général de Gaulle"),
        ("r du mal foch", "Rue du Maréchal Foch"),
        ("rue st antoine", "Rue Saint-Antoine"),
        ("av jean jaures", "Avenue Jean Jaurès"),
        ("pl de la fraternite", "Place de la Fraternité"),
        # alt_name in OpenStreetMap for Avenue Jean Lebas
        ("Avenue Jean-Baptiste Lebas", "Avenue Jean Lebas"),
    ],
)
def test_abbreviations_and_alternative_names(variant, label):
    assert lookup_street(variant).label == label


def test_street_type_must_agree():
    # There is an Avenue Jean Jaurès but no "rue Jean Jaurès" and no "place de Fourmies".
    m = lookup_street("rue Jean Jaurès")
    assert m.status == "unknown"
    assert "Avenue Jean Jaurès" in [c.label for c in m.candidates]
    assert lookup_street("place de Fourmies").status == "unknown"


def test_made_up_street_is_unknown():
    m = lookup_street("rue des Licornes Imaginaires")
    assert m.status == "unknown"
    assert m.secteurs == ()
    assert m.street_id == ""


def test_empty_input_is_unknown():
    assert lookup_street("").status == "unknown"
    assert lookup_street("  ,, ").status == "unknown"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"postcode": "59000", "commune": "Lille"}, "outside"),
        ({"postcode": "59000"}, "outside"),
        ({"commune": "Tourcoing"}, "outside"),
        ({"postcode": "59100", "commune": "Roubaix"}, "single"),
        ({"postcode": "59 100", "commune": "ROUBAIX"}, "single"),
        ({"commune": "59512"}, "single"),
    ],
)
def test_outside_roubaix(kwargs, status):
    assert lookup_street("Boulevard de Fourmies", **kwargs).status == status


def test_postcode_in_the_line():
    assert lookup_street("3 rue Nationale, 59000 Lille").status == "outside"


def test_street_id_is_the_ban_id():
    # BD TOPO feature "Boulevard de Fourmies" carries identifiant_voie_ban 59512_2170
    # (grep in the source file); OSM's FANTOIR code for it is 595122170.
    assert lookup_street("bd de fourmies").street_id == "59512_2170"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12 bd de Fourmies", ("12", "bd de Fourmies")),
        ("12bis, rue de Lille", ("12bis", "rue de Lille")),
        ("12 B rue de la Paix", ("12b", "rue de la Paix")),
        ("45-47 rue de Lannoy, 59100 Roubaix", ("45-47", "rue de Lannoy")),
        ("rue de l'Épeule", ("", "rue de l'Épeule")),
        ("3 ter  rue   Pierre de Roubaix", ("3ter", "rue Pierre de Roubaix")),
        ("3, rue de Lille, appt 4, 59100 ROUBAIX", ("3", "rue de Lille")),
        ("12 rue de Lille 59100 Roubaix", ("12", "rue de Lille")),
        ("rue de Lille, bât. B", ("", "rue de Lille")),
    ],
)
def test_parse_address_line(line, expected):
    assert parse_address_line(line) == expected


def test_number_is_kept_in_the_match():
    assert lookup_street("187 rue de l'Épeule").number == "187"


def test_suggest_streets():
    assert suggest_streets("bd de fou")[0] == "Boulevard de Fourmies"
    assert "Boulevard de Fourmies" in suggest_streets("fourm")
    assert "Rue de l'Épeule" in suggest_streets("rue de l'ep")
    assert len(suggest_streets("rue", limit=7)) == 7
    assert suggest_streets("") == []


def test_real_street_without_geometry_is_unknown_but_named():
    # "Place de la Patrie" has the Roubaix FANTOIR code 595124270 in OpenStreetMap
    # but no line in BD TOPO (grep "Patrie" in bdtopo_roubaix_voies.geojson: none).
    m = lookup_street("place de la patrie")
    assert m.status == "unknown"
    assert m.label == "Place de la Patrie"
    assert m.secteurs == ()


def test_osm_spelling_of_a_bdtopo_street():
    # OSM "Rue Rouget de L'Isle" (FANTOIR 595124900) is BD TOPO "Rue Rouget de Lisle".
    assert lookup_street("Rue Rouget de L'Isle").label == "Rue Rouget de Lisle"


@pytest.mark.parametrize(
    ("variant", "label"),
    [
        ("rue de tournal", "Rue de Tournai"),  # one substitution in a 7-letter name
        ("rue de tuornai", "Rue de Tournai"),  # two letters swapped
        ("rue jules guesdes", "Rue Jules Guesde"),
        ("Grand Rue", "Grande Rue"),
        # The "type" word belongs to the name: there is no "Chemin Vert" in Roubaix.
        ("chemin vert", "Rue du Chemin Vert"),
        # Shortened name, the only boulevard with the word "Leclerc".
        ("bd Leclerc", "Boulevard du Général Leclerc"),
    ],
)
def test_typos_and_short_names(variant, label):
    assert lookup_street(variant).label == label


def test_ambiguous_short_name_is_unknown():
    # "rue jean": words shared by many streets, no single street is chosen.
    assert lookup_street("rue jean").status == "unknown"
