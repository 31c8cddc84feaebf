"""Placeholders of letter templates: ``{prénom}``, ``{nom}``, ``{code}``…

A template is plain text; ``{name}`` is replaced by the value of ``name``.
Unknown names are refused when the template is saved (``unknown_placeholders``);
a brace that does not close is left as typed.
"""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDER_RE = re.compile(r"\{([^{}\n]{1,40})\}")

# name → what it becomes (shown in the admin help text).
PLACEHOLDERS: dict[str, str] = {
    "prénom": "prénom de la personne",
    "nom": "nom de famille de la personne",
    "code": "numéro de récépissé (ex. ABCD-2345)",
    "conseil": "nom du conseil",
    "ville": "nom de la ville",
    "date_tirage": "date du tirage au sort (ex. 13 juin 2025)",
    "date_limite": "date limite de réponse",
    "code_reponse": "code de réponse à usage unique (ex. K7PM3-QXR2H)",
    "lien_reponse": "lien de réponse complet (avec le code)",
    "adresse_reponse": "adresse courte de la page de réponse (sans le code)",
    "lien_resultats": "adresse de la page publique des résultats",
    "remplace": "numéro de récépissé de la personne remplacée",
    "durée_mandat": "durée du mandat (ex. 2 ans)",
    "début_mandat": "date de début du mandat",
    "fin_mandat": "date de fin du mandat",
    "renouvellement": "phrase sur la possibilité de renouveler le mandat",
    "signataire": "nom et qualité du ou de la signataire",
    "réunion": "intitulé de la réunion (convocation)",
    "date_réunion": "date et heure de la réunion (ex. lundi 12 janvier 2027 à 18 h 30)",
    "lieu": "lieu, adresse et accès de la réunion, ou « à distance »",
    "ordre_du_jour": "ordre du jour de la réunion, un point par ligne",
    "absences": "dates des séances manquées sans excuse (lettre d'absences)",
    "contact": "courriel et téléphone de contact",
}


DOUBLED_RE = re.compile(r"\{\{([^{}\n]{1,40})\}\}")


def _name(raw: str) -> str:
    # NFC: « prénom » typed with a combining accent (e + U+0301, some keyboards and copy-pastes) is the same name.
    return unicodedata.normalize("NFC", raw.strip())


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in ``text``, in order of first use."""
    return list(dict.fromkeys(_name(m.group(1)) for m in PLACEHOLDER_RE.finditer(text or "")))


def doubled_placeholders(text: str) -> list[str]:
    """``{{name}}`` written with doubled braces (it would print « {Hélène} »): the names, in order."""
    return list(dict.fromkeys(_name(m.group(1)) for m in DOUBLED_RE.finditer(text or "")))


def unknown_placeholders(text: str) -> list[str]:
    """Names between braces in ``text`` that are not in ``PLACEHOLDERS``."""
    return [name for name in placeholders_in(text) if name not in PLACEHOLDERS]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every known ``{name}`` of ``text`` by ``values[name]`` (missing value → empty)."""

    def replace(match: re.Match) -> str:
        name = _name(match.group(1))
        if name not in PLACEHOLDERS:
            return match.group(0)
        return str(values.get(name, ""))

    return PLACEHOLDER_RE.sub(replace, text or "")
