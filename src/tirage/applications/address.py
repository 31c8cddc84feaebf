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
    * ``choices``: secteur codes to choose from: the street's secteurs when
      ``multiple`` (longest part first), every secteur when ``unknown``.
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


def secteur_codes(call=None) -> tuple[str, ...]:
    """Secteur codes: those of ``call``'s secteur feature if it has one, else Roubaix's
    (``nord``, ``sud``, ``est``, ``ouest``, ``centre``)."""
    from tirage.geo.reference import SECTEUR_CODES

    if call is None:
        return SECTEUR_CODES
    cached = getattr(call, "_secteur_codes", None)  # an import asks once per row
    if cached is None:
        feature = call.feature_for("secteur")
        cached = tuple(v.key for v in feature.values.all()) if feature else SECTEUR_CODES
        call._secteur_codes = cached
    return cached


def streets_known_for(call) -> bool:
    """Whether the shipped street data covers ``call``'s territory (Roubaix only today)."""
    from tirage.geo.lookup import is_roubaix

    return call is None or any(is_roubaix(commune=c) for c in (call.communes or [""]))


def secteur_label(code: str) -> str:
    """``"nord"`` → ``"Nord"`` (the code itself if unknown)."""
    from tirage.geo.reference import secteur_by_code

    secteur = secteur_by_code().get(code)
    return secteur.label if secteur is not None else code


@dataclass(frozen=True)
class _NoStreetData:
    status: str = UNKNOWN
    street_id: str = ""
    label: str = ""
    secteurs: tuple[str, ...] = ()
    iris: tuple[str, ...] = ()


NO_STREET_DATA = _NoStreetData()


def _labels(codes) -> str:
    return ", ".join(secteur_label(c) for c in codes)


def _quartier_in(match, secteur: str) -> str:
    """The quartier of the street's part in ``secteur`` when there is only one, else ''."""
    from tirage.geo.reference import iris_by_code

    table = iris_by_code()
    found = []
    for code in getattr(match, "iris", ()) or ():
        info = table.get(code)
        if info is not None and info.secteur == secteur and info.quartier not in found:
            found.append(info.quartier)
    if not found:  # no IRIS detail: fall back on the street's quartiers
        found = list(getattr(match, "quartiers", ()) or ())
    return found[0] if len(found) == 1 else ""


def _unknown(
    match, street_name: str, declared: str, declared_quartier: str, codes: tuple[str, ...]
) -> AddressResolution:
    """Street not found (or found without a secteur): keep what the person declared, flagged."""
    from tirage.geo.reference import quartier_by_code

    label = getattr(match, "label", "") or ""
    what = (
        f"Voie « {label} » sans secteur connu"
        if label
        else f"Voie « {street_name.strip()} » non trouvée"
    )
    quartier = quartier_by_code().get((declared_quartier or "").strip().upper())
    if declared not in codes:
        declared = ""
    if quartier is not None and not declared and len(quartier.secteurs) == 1:
        declared = quartier.secteurs[0]  # the quartier tells the secteur
    if quartier is not None and declared not in quartier.secteurs:
        quartier = None  # contradicts the declared secteur: the secteur wins
    common = dict(
        status=UNKNOWN,
        street_id=getattr(match, "street_id", "") or "",
        street_label=label,
        needs_review=True,
        choices=codes,
    )
    if not declared:
        return AddressResolution(review_note=f"{what} : secteur à déterminer.", **common)
    return AddressResolution(
        secteur=declared,
        quartier=quartier.code if quartier is not None else "",
        area_source=AreaSource.APPLICANT,
        review_note=f"{what} : secteur {secteur_label(declared)} déclaré, à vérifier.",
        **common,
    )


def resolve_address(
    street_number: str,
    street_name: str,
    postcode: str,
    commune: str,
    *,
    declared_secteur: str = "",
    declared_quartier: str = "",
    call=None,
) -> AddressResolution:
    """Find the secteur (and quartier) of an address.

    ``declared_secteur`` (a secteur code chosen by the applicant or the agent)
    is accepted only when it is one of the street's secteurs (``multiple``), or
    when the street is unknown (then flagged for review). A declared secteur
    contradicting a single-secteur street is ignored and flagged.
    ``declared_quartier`` (``Q01``…``Q13``) is used only for an unknown street:
    it gives the secteur when none is declared (and the quartier lies in one).
    With ``call``, the secteur codes are the call's; for a call outside the
    territory of the shipped street data, every street is ``unknown``.
    ``street_number`` is kept for future house-number precision (streets
    crossing two secteurs); today the street alone decides.
    """
    from tirage.geo.lookup import lookup_street

    declared = (declared_secteur or "").strip().lower()
    codes = secteur_codes(call)
    if not streets_known_for(call):
        # Another city: no street data, the declared secteur is kept (flagged).
        return _unknown(NO_STREET_DATA, street_name, declared, declared_quartier="", codes=codes)
    match = lookup_street(street_name, postcode=postcode, commune=commune)
    street_id = getattr(match, "street_id", "") or ""
    street_label = getattr(match, "label", "") or ""
    secteurs = tuple(match.secteurs)

    if match.status == OUTSIDE:
        return AddressResolution(
            status=OUTSIDE,
            street_id=street_id,
            street_label=street_label,
            needs_review=True,
            review_note="Adresse hors du territoire de l'appel : à vérifier.",
        )

    if match.status == UNKNOWN or not secteurs:
        return _unknown(match, street_name, declared, declared_quartier, codes)

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
            quartier=_quartier_in(match, secteur),
            street_id=street_id,
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
            quartier=_quartier_in(match, declared),
            street_id=street_id,
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
        street_id=street_id,
        street_label=street_label,
        needs_review=True,
        review_note=note,
        choices=secteurs,
    )
