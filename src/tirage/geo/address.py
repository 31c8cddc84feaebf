"""From a postal address to the secteur and quartier: the one rule set of every channel.

The online form, the counter entry, the spreadsheet import and the demo all call
:func:`resolve_address`, so the same address gives the same secteur, quartier,
origin, review flag and review note whichever way it came in.

The street decides (:func:`tirage.geo.lookup.lookup_street`, by name: there are
no house numbers in the shipped data):

* ``single``: the street lies in one secteur. A *declared* secteur (the one the
  person chose, or wrote on a paper form) that contradicts it is ignored and
  the application is flagged for review.
* ``multiple``: the street crosses several secteurs (``choices``, longest part
  first). A declared secteur among them decides (origin ``applicant``); none
  (« je ne sais pas ») or another one leaves the secteur empty, flagged.
* ``unknown``: no street of that name (or a street known only by name, without
  a secteur). A declared secteur is kept, flagged; none leaves it empty,
  flagged. ``candidates`` lists close names (« Vouliez-vous dire… »).
* ``outside``: the postcode or commune is not the city's; flagged (the call's
  eligibility rule then refuses the application).

The quartier is the one of the street's IRIS inside the chosen secteur when
there is exactly one (IRIS table of ``data/iris.csv``), else empty. For a call
of another city (a ``territory`` whose communes the shipped streets do not
cover) every street is ``unknown``: staff set the secteur.

Sources: IGN BD TOPO® and IGN/INSEE IRIS (Licence Ouverte 2.0), OpenStreetMap
names (ODbL 1.0); see ``data/PROVENANCE.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from tirage.geo.lookup import is_roubaix, lookup_street
from tirage.geo.reference import (
    SECTEUR_CODES,
    iris_by_code,
    quartier_by_code,
    quartiers,
    secteur_by_code,
)


class AddressStatus(StrEnum):
    """What the street says about the secteur (see the module docstring)."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    UNKNOWN = "unknown"
    OUTSIDE = "outside"


class AreaOrigin(StrEnum):
    """Where the secteur comes from; the values are those of ``Application.area_source``."""

    ADDRESS = "address"  # the street lies in one secteur
    DECLARED = "applicant"  # chosen by the person (online, on the paper form, in the file)
    NONE = ""  # not known yet: staff decide


class Territory(Protocol):
    """What the rules need of a call: its communes and its secteur codes (quota keys)."""

    @property
    def communes(self) -> Sequence[str]: ...

    @property
    def secteur_codes(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class AddressMatch:
    """The outcome of :func:`resolve_address`.

    ``secteur`` and ``quartier`` are codes (``"nord"``, ``"Q07"``) or ``""``;
    ``review_note`` (French) says what staff must check when ``needs_review``;
    ``choices`` are the secteur codes a person may choose from (the street's
    secteurs when ``multiple``, every secteur when ``unknown``); ``candidates``
    the labels of streets with a close name.
    """

    status: AddressStatus
    secteur: str = ""
    quartier: str = ""
    street_id: str = ""
    street_label: str = ""
    origin: AreaOrigin = AreaOrigin.NONE
    needs_review: bool = False
    review_note: str = ""
    choices: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()

    @property
    def needs_choice(self) -> bool:
        """True when the person (or the agent) is asked which secteur: the street does not say."""
        return self.status in (AddressStatus.MULTIPLE, AddressStatus.UNKNOWN)

    def fields(self) -> dict[str, str | bool]:
        """The address-derived columns of an application: ``street_id``, ``quartier``,
        ``secteur``, ``area_source``, ``needs_review``, ``review_note``."""
        return {
            "street_id": self.street_id,
            "quartier": self.quartier,
            "secteur": self.secteur,
            "area_source": self.origin.value,
            "needs_review": self.needs_review,
            "review_note": self.review_note,
        }


def secteur_label(code: str) -> str:
    """``"nord"`` → ``"Nord"`` (the code itself for a secteur the shipped data does not know)."""
    secteur = secteur_by_code().get(code)
    return secteur.label if secteur is not None else code


def _labels(codes: Sequence[str]) -> str:
    return ", ".join(secteur_label(c) for c in codes)


def streets_known(territory: Territory | None) -> bool:
    """Whether the shipped street table covers ``territory`` (Roubaix only; ``None``: Roubaix)."""
    if territory is None:
        return True
    return any(is_roubaix(commune=c) for c in (territory.communes or [""]))


def _quartier_in(iris: Sequence[str], street_quartiers: Sequence[str], secteur: str) -> str:
    """The quartier of the street's part inside ``secteur`` when there is only one, else ''."""
    table = iris_by_code()
    found: list[str] = []
    for code in iris:
        info = table.get(code)
        if info is not None and info.secteur == secteur and info.quartier not in found:
            found.append(info.quartier)
    if not found:  # no IRIS detail: the street's own quartiers
        found = list(street_quartiers)
    return found[0] if len(found) == 1 else ""


def resolve_address(
    street_number: str,
    street_name: str,
    postcode: str,
    commune: str,
    *,
    secteur: str = "",
    quartier: str = "",
    territory: Territory | None = None,
) -> AddressMatch:
    """The secteur, quartier and review flag of an address (rules: module docstring).

    ``secteur``: the declared secteur code (``""``: none, « je ne sais pas »).
    ``quartier``: a declared quartier code (``Q01``…), used when the street does not
    tell it: kept if it lies in the secteur; for an unknown street without a
    declared secteur, a quartier lying in one secteur gives it.
    ``territory``: the call (its communes and secteur codes); ``None``: Roubaix's
    five secteurs. ``street_number`` is kept for future house-number precision:
    today the street alone decides. Never raises for any string input.
    """
    declared = (secteur or "").strip().lower()
    codes = territory.secteur_codes if territory is not None else SECTEUR_CODES
    if declared not in codes:
        declared = ""  # a code the call does not have is no declaration
    wanted_quartier = (quartier or "").strip().upper()
    if not streets_known(territory):
        # Another city: no street data, what the person declared is kept (flagged).
        return _unknown(street_name, "", "", declared, wanted_quartier, codes, ())

    match = lookup_street(street_name, postcode=postcode, commune=commune)
    candidates = tuple(c.label for c in match.candidates)
    secteurs = tuple(match.secteurs)
    if match.status == AddressStatus.OUTSIDE:
        return AddressMatch(
            status=AddressStatus.OUTSIDE,
            needs_review=True,
            review_note="Adresse hors du territoire de l'appel : à vérifier.",
        )
    if match.status == AddressStatus.UNKNOWN or not secteurs:
        return _unknown(
            street_name, match.street_id, match.label, declared, wanted_quartier, codes, candidates
        )

    found = AddressMatch(
        status=AddressStatus.SINGLE if len(secteurs) == 1 else AddressStatus.MULTIPLE,
        street_id=match.street_id,
        street_label=match.label,
        choices=secteurs,
        candidates=candidates,
    )
    if len(secteurs) == 1:
        (only,) = secteurs
        note = ""
        if declared and declared != only:
            note = (
                f"Secteur déclaré ({secteur_label(declared)}) différent de celui de l'adresse "
                f"({secteur_label(only)}) : à vérifier."
            )
        return replace(
            found,
            secteur=only,
            quartier=_quartier_in(match.iris, match.quartiers, only),
            origin=AreaOrigin.ADDRESS,
            needs_review=bool(note),
            review_note=note,
        )

    if declared in secteurs:
        inside = _quartier_in(match.iris, match.quartiers, declared)
        if not inside and wanted_quartier in match.quartiers:
            known = quartier_by_code().get(wanted_quartier)
            if known is not None and declared in known.secteurs:
                inside = wanted_quartier
        return replace(found, secteur=declared, quartier=inside, origin=AreaOrigin.DECLARED)
    note = f"Voie située dans plusieurs secteurs ({_labels(secteurs)}) : secteur à choisir."
    if declared:
        note = (
            f"Secteur déclaré ({secteur_label(declared)}) absent de cette voie "
            f"({_labels(secteurs)}) : secteur à choisir."
        )
    return replace(found, needs_review=True, review_note=note)


def _unknown(
    street_name: str,
    street_id: str,
    label: str,
    declared: str,
    wanted_quartier: str,
    codes: tuple[str, ...],
    candidates: tuple[str, ...],
) -> AddressMatch:
    """Street not found (or found without a secteur): keep what the person declared, flagged."""
    what = (
        f"Voie « {label} » sans secteur connu"
        if label
        else f"Voie « {' '.join(street_name.split())} » non trouvée"
    )
    known = quartier_by_code().get(wanted_quartier)
    if known is not None and not declared and len(known.secteurs) == 1:
        declared = known.secteurs[0] if known.secteurs[0] in codes else ""
    if known is not None and declared not in known.secteurs:
        known = None  # contradicts the declared secteur: the secteur wins
    found = AddressMatch(
        status=AddressStatus.UNKNOWN,
        street_id=street_id,
        street_label=label,
        needs_review=True,
        choices=codes,
        candidates=candidates,
    )
    if not declared:
        return replace(found, review_note=f"{what} : secteur à déterminer.")
    return replace(
        found,
        secteur=declared,
        quartier=known.code if known is not None else "",
        origin=AreaOrigin.DECLARED,
        review_note=f"{what} : secteur {secteur_label(declared)} déclaré, à vérifier.",
    )


# -- lists shown to people ------------------------------------------------------------
def shared_quartier_note(codes: Sequence[str]) -> str:
    """`` (partagé entre Est et Sud)`` for a quartier spanning several secteurs, else ''."""
    if len(codes) < 2:
        return ""
    names = [secteur_label(c) for c in codes]
    return f" (partagé entre {', '.join(names[:-1])} et {names[-1]})"


def quartier_labels_by_secteur() -> dict[str, list[str]]:
    """``{"est": ["Sainte-Élisabeth", …, "Fraternité – Linné – Justice (partagé entre Est et
    Sud)"], …}``: the quartiers of each secteur, saying so when a quartier spans two."""
    result: dict[str, list[str]] = {}
    for q in quartiers():
        for code in q.secteurs:
            result.setdefault(code, []).append(q.label + shared_quartier_note(q.secteurs))
    return result


def quartier_choices() -> list[tuple[str, str]]:
    """``[(code, "Q12 — Fraternité – Linné – Justice (partagé entre Est et Sud)"), …]``."""
    return [
        (q.code, f"{q.code} — {q.label}{shared_quartier_note(q.secteurs)}") for q in quartiers()
    ]
