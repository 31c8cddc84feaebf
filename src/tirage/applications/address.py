"""From a postal address to the applicant's secteur and quartier.

Built on ``tirage.geo.lookup.lookup_street``. The street decides when it lies
in one secteur; when it crosses several, the applicant (or the agent) picks one
of them; when the street is not found, a declared secteur is kept but flagged
for staff review. The result carries the ``Application`` fields to set::

    res = resolve_address("12", "Bd de Fourmies", "59100", "Roubaix")
    data.update(res.application_fields())
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tirage.applications.models import AreaSource

SINGLE = "single"
MULTIPLE = "multiple"
UNKNOWN = "unknown"
OUTSIDE = "outside"

DEFAULT_SECTEURS = ("nord", "sud", "est", "ouest", "centre")


@dataclass(frozen=True)
class AddressResolution:
    """Outcome of ``resolve_address``.

    * ``status``: ``single`` (the street gives one secteur), ``multiple`` (the
      street, or the streets matching the name, lie in several secteurs:
      ``choices``), ``unknown`` (street not found), ``outside`` (address outside
      the city's area).
    * ``secteur`` / ``quartier``: codes (``"nord"``, ``"Q07"``) or ``""``.
    * ``area_source``: an ``AreaSource`` value (address, applicant or ``""``).
    * ``needs_review`` / ``review_note`` (French): what staff must check.
    * ``choices``: secteur codes to choose from when ``multiple``.
    """

    status: str
    secteur: str = ""
    quartier: str = ""
    street_id: str = ""
    street_label: str = ""
    area_source: str = AreaSource.NONE
    needs_review: bool = False
    review_note: str = ""
    choices: tuple[str, ...] = field(default_factory=tuple)

    def application_fields(self) -> dict[str, object]:
        """The ``Application`` fields this resolution sets (keys of ``APPLICANT_FIELDS``)."""
        return {
            "street_id": self.street_id,
            "quartier": self.quartier,
            "secteur": self.secteur,
            "area_source": self.area_source,
            "needs_review": self.needs_review,
            "review_note": self.review_note,
        }


def secteur_codes() -> tuple[str, ...]:
    """The codes of the city's secteurs (from ``tirage.geo.reference``)."""
    try:
        from tirage.geo.reference import secteurs
    except ImportError:  # pragma: no cover - geo reference tables not installed
        return DEFAULT_SECTEURS
    return tuple(s.code for s in secteurs())


def secteur_label(code: str) -> str:
    try:
        from tirage.geo.reference import secteurs
    except ImportError:  # pragma: no cover
        return code.capitalize()
    return next((s.label for s in secteurs() if s.code == code), code)


def _labels(codes) -> str:
    return ", ".join(secteur_label(c) for c in codes)


def _match_secteurs(match) -> tuple[str, ...]:
    """Secteurs of the match, or of all its candidate streets when the name is ambiguous."""
    found = list(getattr(match, "secteurs", ()) or ())
    if not found:
        for candidate in getattr(match, "candidates", ()) or ():
            found.extend(getattr(candidate, "secteurs", ()) or ())
    ordered = []
    for code in found:
        if code not in ordered:
            ordered.append(code)
    return tuple(ordered)


def resolve_address(
    street_number: str,
    street_name: str,
    postcode: str,
    commune: str,
    *,
    declared_secteur: str = "",
    declared_quartier: str = "",
) -> AddressResolution:
    """Find the secteur (and quartier) of an address.

    ``declared_secteur`` (a secteur code chosen by the applicant or the agent)
    is accepted only when it is one of the street's secteurs (``multiple``), or
    when the street is unknown (then flagged for review). A declared secteur
    contradicting a single-secteur street is ignored and flagged.
    ``declared_quartier`` is kept only with an accepted declared secteur.
    ``street_number`` is kept for future house-number precision (streets
    crossing two secteurs); today the street alone decides.
    """
    from tirage.geo.lookup import lookup_street

    declared = (declared_secteur or "").strip().lower()
    match = lookup_street(street_name, postcode=postcode, commune=commune)
    street_id = getattr(match, "street_id", "") or ""
    street_label = getattr(match, "label", "") or ""
    quartiers = tuple(getattr(match, "quartiers", ()) or ())
    secteurs = _match_secteurs(match)

    if match.status == OUTSIDE:
        return AddressResolution(
            status=OUTSIDE,
            street_id=street_id,
            street_label=street_label,
            needs_review=True,
            review_note="Adresse hors du territoire de l'appel : à vérifier.",
        )

    if match.status == UNKNOWN or not secteurs:
        if declared and declared in secteur_codes():
            return AddressResolution(
                status=UNKNOWN,
                secteur=declared,
                quartier=(declared_quartier or "").strip(),
                street_id=street_id,
                street_label=street_label,
                area_source=AreaSource.APPLICANT,
                needs_review=True,
                review_note=(
                    f"Voie « {street_name.strip()} » non trouvée : secteur {secteur_label(declared)} "
                    "déclaré, à vérifier."
                ),
            )
        return AddressResolution(
            status=UNKNOWN,
            street_id=street_id,
            street_label=street_label,
            needs_review=True,
            review_note=f"Voie « {street_name.strip()} » non trouvée : secteur à déterminer.",
        )

    if len(secteurs) == 1:
        secteur = secteurs[0]
        note = ""
        if declared and declared != secteur:
            note = (
                f"Secteur déclaré ({secteur_label(declared)}) différent de celui de l'adresse "
                f"({secteur_label(secteur)}) : à vérifier."
            )
        return AddressResolution(
            status=SINGLE,
            secteur=secteur,
            quartier=quartiers[0] if len(quartiers) == 1 else "",
            street_id=street_id if match.status == SINGLE else "",
            street_label=street_label,
            area_source=AreaSource.ADDRESS,
            needs_review=bool(note),
            review_note=note,
            choices=secteurs,
        )

    # Several secteurs: the applicant's choice decides if it is one of them.
    if declared in secteurs:
        return AddressResolution(
            status=MULTIPLE,
            secteur=declared,
            quartier=(declared_quartier or "").strip() if declared_quartier in quartiers else "",
            street_id=street_id if match.status == SINGLE else "",
            street_label=street_label,
            area_source=AreaSource.APPLICANT,
            choices=secteurs,
        )
    note = f"Voie située dans plusieurs secteurs ({_labels(secteurs)}) : secteur à choisir."
    if declared:
        note = (
            f"Secteur déclaré ({secteur_label(declared)}) absent de cette voie "
            f"({_labels(secteurs)}) : secteur à choisir."
        )
    return AddressResolution(
        status=MULTIPLE,
        street_id=street_id if match.status == SINGLE else "",
        street_label=street_label,
        needs_review=True,
        review_note=note,
        choices=secteurs,
    )
