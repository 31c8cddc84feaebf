"""Secteurs and quartiers for staff choices, and the address lookup.

The geo app (``tirage.geo``) holds the reference tables and the street lookup;
the call's secteur feature gives the secteur list (the quota keys). Without
the geo data (another city), every street is "unknown" and staff choose.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AreaMatch:
    """The street lookup's answer, reduced to what the counter screen needs.

    ``status``: ``single`` | ``multiple`` | ``unknown`` | ``outside``;
    ``secteurs`` / ``quartiers``: codes (``nord``…, ``Q01``…).
    """

    status: str
    street_id: str = ""
    label: str = ""
    secteurs: tuple[str, ...] = ()
    quartiers: tuple[str, ...] = field(default=())
    candidates: tuple[str, ...] = ()  # close street names ("did you mean…"), labels


def lookup(street: str, *, postcode: str = "", commune: str = "", call=None) -> AreaMatch:
    """The street's secteur(s), through the online form's ``applications.addressing.locate``
    (``unknown`` for every street of a city the shipped geo data does not cover)."""
    from tirage.applications.addressing import locate

    match = locate(street, postcode=postcode, commune=commune, call=call)
    return AreaMatch(
        status=match.status,
        street_id=match.street_id or "",
        label=match.label or "",
        secteurs=tuple(match.secteurs or ()),
        quartiers=tuple(match.quartiers or ()),
        candidates=tuple(c.label for c in match.candidates or ()),
    )


def quartier_in(match: AreaMatch, secteur: str) -> str:
    """The quartier of ``match`` within ``secteur`` when there is exactly one, else ''."""
    from tirage.applications.addressing import quartiers_in_secteur

    found = quartiers_in_secteur(list(match.quartiers), secteur)
    return found[0] if len(found) == 1 else ""


def secteur_choices(call) -> list[tuple[str, str]]:
    """``[(code, label)]`` of the call's secteurs (its secteur feature), else geo's reference."""
    feature = call.feature_for("secteur") if call is not None else None
    if feature is not None:
        return [(v.key, v.label) for v in feature.values.all()]
    from tirage.geo.reference import secteurs

    return [(s.code, s.label) for s in secteurs()]


def quartier_choices() -> list[tuple[str, str]]:
    """``[(code, label)]`` of the quartiers from geo's reference."""
    from tirage.geo.reference import quartiers

    return [(q.code, f"{q.code} — {q.label}") for q in quartiers()]


def label_of(code: str, choices: list[tuple[str, str]]) -> str:
    return dict(choices).get(code, code)
