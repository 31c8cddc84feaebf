"""Address → secteur for the online form, through :mod:`tirage.geo.lookup`.

``locate()`` returns the geo ``StreetMatch`` (``status`` in ``single``,
``multiple``, ``unknown``, ``outside``; ``secteurs``; ``quartiers``;
``street_id``; ``label``). For a call of another city, whose streets are not
shipped, it answers ``unknown`` for every street (staff then set the secteur).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SINGLE = "single"
MULTIPLE = "multiple"
UNKNOWN = "unknown"
OUTSIDE = "outside"


@dataclass(frozen=True)
class _NoMatch:
    status: str = UNKNOWN
    street_id: str = ""
    label: str = ""
    secteurs: tuple[str, ...] = ()
    quartiers: tuple[str, ...] = ()
    candidates: tuple = field(default_factory=tuple)


def locate(street: str, *, postcode: str = "", commune: str = "", call=None):
    """The secteur(s) of ``street`` (see module docstring).

    With a ``call`` whose territory the shipped street data does not cover
    (another city), every street is ``unknown``: staff set the secteur.
    """
    from tirage.geo.lookup import is_roubaix, lookup_street

    if call is not None and not any(is_roubaix(commune=c) for c in call.communes or [""]):
        return _NoMatch()
    return lookup_street(street, postcode=postcode, commune=commune)


def quartier_labels_by_secteur() -> dict[str, list[str]]:
    """``{"nord": ["Alma – Fosse aux Chênes", …], …}``."""
    from tirage.geo.reference import quartiers

    result: dict[str, list[str]] = {}
    for q in quartiers():
        for code in getattr(q, "secteurs", ()) or ():
            result.setdefault(code, []).append(q.label)
    return result


def quartiers_in_secteur(quartier_codes: list[str], secteur: str) -> list[str]:
    """The codes among ``quartier_codes`` whose quartier lies (at least partly) in ``secteur``."""
    from tirage.geo.reference import quartiers

    in_secteur = {q.code for q in quartiers() if secteur in (q.secteurs or ())}
    return [code for code in quartier_codes if code in in_secteur]
