"""Normal form of street names."""

from __future__ import annotations

import pytest

from tirage.geo.normalize import normalize_street


@pytest.mark.parametrize(
    ("name", "kind", "core"),
    [
        ("Bd. de Fourmies", "boulevard", "fourmies"),
        ("BD DE FOURMIES", "boulevard", "fourmies"),
        ("boulevar de fourmie", "boulevard", "fourmie"),  # type typo: one edit
        ("Rue de l'Épeule", "rue", "epeule"),
        ("rue de l’epeule", "rue", "epeule"),
        ("R DU GAL LECLERC", "rue", "general leclerc"),
        ("Av. du Pdt Coty", "avenue", "president coty"),
        ("Rue du Dr Roux", "rue", "docteur roux"),
        ("Pl. Ste-Élisabeth", "place", "sainte elisabeth"),
        ("Rond-Point des Tourelles", "rondpoint", "tourelles"),
        ("Vertes Allées", "", "vertes allees"),
        ("Grande Rue", "", "grande rue"),
        ("Imp. du Cœur", "impasse", "coeur"),
        ("che des Prés", "chemin", "pres"),
        ("Fbg de Lille", "faubourg", "lille"),
        ("Sq. du Mal Juin", "square", "marechal juin"),
        ("Place", "", "place"),
        ("", "", ""),
    ],
)
def test_normalize(name, kind, core):
    n = normalize_street(name)
    assert (n.kind, n.core) == (kind, core)
