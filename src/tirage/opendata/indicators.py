"""The indicators Tirage follows for a digital service, and how their values are read.

The list applies to a city the criteria of the State's observatory of online procedures
(*Observatoire de la qualité des démarches en ligne*, « Vos démarches essentielles »):
volume of use, share of procedures done fully online, user satisfaction (the « Je donne
mon avis » score out of 10), accessibility (RGAA compliance rate and whether the
accessibility statement is published), availability, and — for the City's in-person digital
help desks — the waiting time.

Codes are the values of the ``indicateur`` column of the published file (French, stable);
see :data:`INDICATORS` for units and bounds. Each value is for one month (``periode``,
``AAAA-MM``) and, where :attr:`Indicator.by_secteur` allows it, for one secteur (blank =
the whole city).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Code(models.TextChoices):
    VOLUME = "volume_usage", "Volume d'usage"
    ONLINE_SHARE = "part_en_ligne", "Part des démarches faites entièrement en ligne"
    SATISFACTION = "satisfaction", "Satisfaction des usagers"
    RGAA_RATE = "taux_conformite_rgaa", "Taux de conformité au RGAA"
    RGAA_STATEMENT = "declaration_accessibilite", "Déclaration d'accessibilité publiée"
    AVAILABILITY = "disponibilite", "Disponibilité du service"
    WAIT_TIME = "temps_attente", "Temps d'attente au guichet"


@dataclass(frozen=True, slots=True)
class Indicator:
    """How one indicator is read, bounded and shown.

    ``unit`` is shown after the value (``%``, ``/10``, ``min``, or empty for a count);
    ``minimum``/``maximum`` are inclusive bounds (``None``: unbounded); ``integer`` values
    have no decimals; ``boolean`` ones are 1 (oui) or 0 (non). ``by_secteur`` says a value may
    be given per secteur; ``higher_is_better`` orients targets and summaries.
    """

    code: str
    label: str
    unit: str
    description: str
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    integer: bool = False
    boolean: bool = False
    by_secteur: bool = False
    higher_is_better: bool = True

    @property
    def subject(self) -> str:
        """The label as the subject of a sentence: « la part des démarches… »."""
        return SUBJECTS[self.code]

    @property
    def is_percentage(self) -> bool:
        return self.unit == "%"


SUBJECTS: dict[str, str] = {
    Code.VOLUME: "le volume d'usage",
    Code.ONLINE_SHARE: "la part des démarches faites entièrement en ligne",
    Code.SATISFACTION: "la satisfaction des usagers",
    Code.RGAA_RATE: "le taux de conformité au RGAA",
    Code.RGAA_STATEMENT: "la publication de la déclaration d'accessibilité",
    Code.AVAILABILITY: "la disponibilité du service",
    Code.WAIT_TIME: "le temps d'attente au guichet",
}

INDICATORS: dict[str, Indicator] = {
    Code.VOLUME: Indicator(
        Code.VOLUME,
        Code.VOLUME.label,
        "",
        "Nombre de démarches déposées, de visites ou de personnes accompagnées dans le mois.",
        integer=True,
        by_secteur=True,
    ),
    Code.ONLINE_SHARE: Indicator(
        Code.ONLINE_SHARE,
        Code.ONLINE_SHARE.label,
        "%",
        "Part des démarches du mois faites de bout en bout en ligne, sans papier ni déplacement.",
        maximum=Decimal(100),
    ),
    Code.SATISFACTION: Indicator(
        Code.SATISFACTION,
        Code.SATISFACTION.label,
        "/10",
        "Note moyenne donnée par les usagers (bouton « Je donne mon avis » ou questionnaire au guichet).",
        maximum=Decimal(10),
        by_secteur=True,
    ),
    Code.RGAA_RATE: Indicator(
        Code.RGAA_RATE,
        Code.RGAA_RATE.label,
        "%",
        "Part des critères du RGAA respectés lors du dernier audit (l'État ne compte un service accessible qu'à 100 %).",
        maximum=Decimal(100),
    ),
    Code.RGAA_STATEMENT: Indicator(
        Code.RGAA_STATEMENT,
        Code.RGAA_STATEMENT.label,
        "",
        "1 si la déclaration d'accessibilité est publiée et à jour, 0 sinon.",
        maximum=Decimal(1),
        integer=True,
        boolean=True,
    ),
    Code.AVAILABILITY: Indicator(
        Code.AVAILABILITY,
        Code.AVAILABILITY.label,
        "%",
        "Part du temps où le service en ligne a répondu normalement dans le mois.",
        maximum=Decimal(100),
    ),
    Code.WAIT_TIME: Indicator(
        Code.WAIT_TIME,
        Code.WAIT_TIME.label,
        "min",
        "Temps d'attente moyen, en minutes, avant d'être reçu au guichet d'aide numérique.",
        by_secteur=True,
        higher_is_better=False,
    ),
}


def indicator(code: str) -> Indicator:
    """The :class:`Indicator` of ``code``; raises ``KeyError`` for an unknown code."""
    return INDICATORS[code]


def format_value(value: Decimal | float | int | None, ind: Indicator) -> str:
    """A value in French for pages and tables: ``71,5 %``, ``7,8/10``, ``1 234``, ``oui``.

    ``None`` gives « — ». Integers are grouped with a narrow no-break space; decimals keep
    at most one digit.
    """
    if value is None:
        return "—"
    if ind.boolean:
        return "oui" if Decimal(value) >= 1 else "non"
    number = Decimal(value)
    if ind.integer:
        text = f"{int(number):,}".replace(",", "\u202f")
    else:
        text = f"{number.quantize(Decimal('0.1')):f}".replace(".", ",")
        if text.endswith(",0"):
            text = text[:-2]
    if not ind.unit:
        return text
    if ind.unit.startswith("/"):
        return f"{text}{ind.unit}"
    return f"{text}\u00a0{ind.unit}"
