"""Household keys from postal addresses (at most one person per household on a panel).

Why normalise: the peer ``sortition-algorithms`` (Sortition Foundation) checks
households by comparing the chosen address columns *exactly* (its
``check_same_address`` setting), so "12 bd de Paris" and "12 Boulevard de
Paris" count as two households and the two people living there could both sit
on the panel. Applicants type their address by hand, so Tirage compares a
normalised form instead.

Sources: most abbreviations below are the usual French street-type
abbreviations of postal addresses (BD, AV, PL, CHE, IMP, ALL, FG, ST, STE as in
La Poste / AFNOR address standards); the others are common hand-typed forms.

Rules of ``normalise_address`` (documented in ``docs/sortition-formats.md``):

* Unicode compatibility decomposition, accents dropped, case-folded
  ("Allée" → "allee", "Œuvre" → "oeuvre");
* every character that is not a letter or digit becomes a space
  (commas, dots, hyphens, apostrophes, "n°");
* French street-type abbreviations are expanded: bd/bld/blvd/boul → boulevard,
  av/ave → avenue, r → rue, pl → place, ch/che/chem → chemin, imp → impasse,
  all → allee, fbg/fg/faub → faubourg, st → saint, ste → sainte, rte → route,
  sq → square, res → residence, bat/bât → batiment, esc → escalier;
* the articles de, du, des, la, le, les, d, l are dropped
  ("rue de la Gare" = "rue la Gare" = "r. Gare");
* numbers lose leading zeros; a house-number suffix, attached or detached,
  becomes one attached form: "12bis" = "12 bis" = "12 B" → "12bis",
  "12 ter" = "12T" → "12ter", "12 quater" = "12 Q" → "12quater", "12 a" → "12a"
  (letters a, c merge as themselves; other single letters are left alone so that
  "12 r. X" still reads as "12 rue x");
* apartment markers apt, appt, app, appart, appartement, apartment, logement,
  log, lgt (optionally followed by "n°", "no", "numero") become ``apt`` and the
  marker with its number is moved to the end: "Apt 3, 12 rue X" =
  "12 rue X appartement n° 3" → "12 rue x apt 3".

**Decision on flats**: an apartment number *distinguishes* households. People
in different flats of one building ("apt 3" / "apt 4") get different keys and
may both sit on a panel; two spellings of the same flat get one key. A person
who gave no flat number ("12 rue X") gets a key different from "12 rue X apt 3":
we cannot know which flat they live in, and a single key per person cannot say
"conflicts with every flat" (see the report's limitations).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["normalise_address", "household_keys"]

_ABBREVIATIONS = {
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "avn": "avenue",
    "r": "rue",
    "pl": "place",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "all": "allee",
    "fbg": "faubourg",
    "fg": "faubourg",
    "faub": "faubourg",
    "st": "saint",
    "ste": "sainte",
    "rte": "route",
    "sq": "square",
    "res": "residence",
    "bat": "batiment",
    "bt": "batiment",
    "esc": "escalier",
}

_ARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "d", "l"})

_APARTMENT = frozenset(
    {"apt", "appt", "app", "appart", "appartement", "apartment", "logement", "log", "lgt"}
)
_NUMBER_MARKERS = frozenset({"n", "no", "num", "numero"})

# Suffix of a house number, detached or attached, and its canonical spelling.
_SUFFIXES = {
    "bis": "bis",
    "b": "bis",
    "ter": "ter",
    "t": "ter",
    "quater": "quater",
    "q": "quater",
    "a": "a",
    "c": "c",
}

_ATTACHED_SUFFIX = re.compile(r"^(\d+)(bis|ter|quater|[a-z])$")
_ATTACHED_APARTMENT = re.compile(
    r"^(" + "|".join(sorted(_APARTMENT, key=len, reverse=True)) + r")(\d+[a-z]?)$"
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _ascii_fold(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _split_attached(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        apartment = _ATTACHED_APARTMENT.match(token)
        if apartment:
            out.extend(apartment.groups())
            continue
        suffix = _ATTACHED_SUFFIX.match(token)
        if suffix and suffix.group(2) in _SUFFIXES:
            out.extend(suffix.groups())
            continue
        out.append(token)
    return out


def normalise_address(text: str) -> str:
    """Canonical form of a French postal address, for household comparison.

    ``text``: any string (``None``-like empty input gives ``""``). Returns a
    lower-case ASCII string of space-separated tokens, ``""`` when the address
    holds no letter or digit. Never raises. The rules are in the module
    docstring; examples::

        >>> normalise_address("12 bd de Paris")
        '12 boulevard paris'
        >>> normalise_address("12, Boulevard de Paris")
        '12 boulevard paris'
        >>> normalise_address("12 B r. de l'Église, appt. n° 3")
        '12bis rue eglise apt 3'
    """
    # Moving flats to the end can bring a number next to a suffix ("0 apt bis"
    # → "0 bis apt" → "0bis apt"): iterate to the fixed point so that the
    # normal form of a normal form is itself.
    result = _normalise_once(text)
    for _ in range(4):
        again = _normalise_once(result)
        if again == result:
            break
        result = again
    return result


def _normalise_once(text: str) -> str:
    folded = _ascii_fold(str(text or ""))
    tokens = _split_attached(_NOT_ALNUM.sub(" ", folded).split())
    # Articles go first, so that "12 d' A" and its output "12a" normalise alike
    # (idempotence); a letter after an apartment marker ("apt d") is a flat, kept.
    tokens = [
        t
        for k, t in enumerate(tokens)
        if t not in _ARTICLES or (k > 0 and tokens[k - 1] in _APARTMENT | _NUMBER_MARKERS)
    ]
    body: list[str] = []
    apartments: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _APARTMENT:
            j = i + 1
            while j < len(tokens) and tokens[j] in _NUMBER_MARKERS:
                j += 1
            if j < len(tokens) and (tokens[j][:1].isdigit() or len(tokens[j]) == 1):
                number = tokens[j].lstrip("0") or "0"
                # "apt 3 b" → "apt 3b"
                if j + 1 < len(tokens) and tokens[j + 1] in _SUFFIXES and number.isdigit():
                    number += _SUFFIXES[tokens[j + 1]]
                    j += 1
                apartments.append(f"apt {number}")
                i = j + 1
            else:
                apartments.append("apt")
                i = j
            continue
        if token.isdigit():
            number = token.lstrip("0") or "0"
            if i + 1 < len(tokens) and tokens[i + 1] in _SUFFIXES:
                body.append(number + _SUFFIXES[tokens[i + 1]])
                i += 2
            else:
                body.append(number)
                i += 1
            continue
        token = _ABBREVIATIONS.get(token, token)
        if token not in _ARTICLES:
            body.append(token)
        i += 1
    return " ".join(body + apartments)


def household_keys(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> list[str | None]:
    """One household key per row, from the address ``columns`` (e.g. address, postcode).

    ``rows``: sequence of mappings column name → cell text (missing cells count
    as empty). ``columns``: the column names to combine, **the first being the
    street address**. Returns a list of the same length as ``rows``: the
    normalised concatenation of the columns (see ``normalise_address``) or
    ``None`` when the first column is empty after normalisation (an unknown
    address constrains nobody) or when ``columns`` is empty. Two rows share a
    household iff their keys are equal and not ``None``.

    Cells are joined with a space before normalising, so "12 rue X" + "59100"
    in two columns equals "12 rue X 59100" in one. Never raises.
    """
    if not columns:
        return [None for _ in rows]
    first = columns[0]
    keys: list[str | None] = []
    for row in rows:
        if not normalise_address(row.get(first) or ""):
            keys.append(None)
            continue
        joined = " ".join(str(row.get(column) or "") for column in columns)
        keys.append(normalise_address(joined))
    return keys
