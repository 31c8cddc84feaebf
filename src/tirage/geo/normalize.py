"""Normalisation of French street names for matching.

Plain Python, no dependencies. Used at runtime by :mod:`tirage.geo.lookup` and at
build time by ``scripts/build_geo_data.py`` (so both sides agree).

A street name is turned into a :class:`NormalName`:

* ``kind``: the canonical street-type word (``"rue"``, ``"boulevard"``, ``"place"``…)
  or ``""`` when the name starts with no known type word (``"Vertes Allées"``);
* ``core``: the rest, lower case, without accents, punctuation, apostrophes,
  hyphens or articles (``de``, ``du``, ``des``, ``la``, ``le``, ``les``, ``l'``,
  ``d'``, ``au``, ``aux``), with title abbreviations expanded
  (``st`` → ``saint``, ``gal`` → ``general``, ``mal`` → ``marechal``…).

Examples::

    >>> normalize_street("Bd. de Fourmies")
    NormalName(kind='boulevard', core='fourmies')
    >>> normalize_street("Rue de l'Épeule").key
    'rue epeule'
    >>> normalize_street("R DU GAL LECLERC").key
    'rue general leclerc'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Canonical street types (the ``type_voie`` values of BD TOPO, without accents,
#: plus a few common ones). Multi-word types are joined without a space.
STREET_TYPES: frozenset[str] = frozenset(
    {
        "rue", "boulevard", "avenue", "place", "impasse", "allee", "chemin", "square",
        "faubourg", "quai", "passage", "rondpoint", "parvis", "cite", "hameau", "cour",
        "cours", "contour", "mail", "voie", "pont", "promenade", "sentier", "residence",
        "clos", "enclos", "pavillon", "immeuble", "jardin", "parc", "passerelle",
        "placette", "ruelle", "venelle", "galerie", "esplanade", "carrefour", "route",
        "villa", "lotissement", "domaine", "giratoire", "sente", "couree",
    }
)  # fmt: skip
_TYPES_SORTED: tuple[str, ...] = tuple(sorted(STREET_TYPES))

#: Abbreviations of street types, only expanded in first position
#: ("r" elsewhere may be an initial).
TYPE_ABBREVIATIONS: dict[str, str] = {
    "r": "rue", "ru": "rue",
    "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "bvd": "boulevard",
    "boul": "boulevard", "boulv": "boulevard", "bou": "boulevard",
    "av": "avenue", "ave": "avenue", "aven": "avenue", "avn": "avenue",
    "pl": "place", "plc": "place",
    "imp": "impasse", "ips": "impasse",
    "all": "allee", "al": "allee",
    "che": "chemin", "chem": "chemin", "ch": "chemin", "chm": "chemin",
    "sq": "square", "sqr": "square",
    "fbg": "faubourg", "fg": "faubourg",
    "qu": "quai", "qai": "quai",
    "pas": "passage", "pass": "passage", "psg": "passage",
    "rpt": "rondpoint", "rdpt": "rondpoint", "rp": "rondpoint",
    "prv": "parvis",
    "cit": "cite",
    "ham": "hameau",
    "pav": "pavillon",
    "imm": "immeuble",
    "jard": "jardin",
    "sen": "sentier", "sent": "sentier",
    "prom": "promenade", "pro": "promenade",
    "res": "residence", "resid": "residence",
    "lot": "lotissement",
    "esp": "esplanade", "espl": "esplanade",
    "crs": "cours",
    "ctr": "contour", "enc": "enclos", "voi": "voie", "ple": "passerelle", "ptte": "placette",
    "car": "carrefour", "carr": "carrefour",
    "rte": "route",
    "vla": "villa",
}  # fmt: skip

#: Abbreviations of titles and common words, expanded anywhere in the core.
WORD_ABBREVIATIONS: dict[str, str] = {
    "st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes",
    "gal": "general", "gen": "general", "gl": "general", "genl": "general",
    "mal": "marechal", "marl": "marechal",
    "pdt": "president", "prest": "president",
    "dr": "docteur", "dct": "docteur",
    "prof": "professeur",
    "cdt": "commandant", "cmdt": "commandant", "cmt": "commandant",
    "lt": "lieutenant", "ltn": "lieutenant", "lieut": "lieutenant",
    "cne": "capitaine", "capt": "capitaine",
    "sgt": "sergent", "adj": "adjudant",
    "mgr": "monseigneur",
    "nd": "notre dame",
    "bd": "boulevard",
}  # fmt: skip

#: Articles and prepositions dropped from the core ("rue de la Vigne" = "rue Vigne").
ARTICLES: frozenset[str] = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "au", "aux", "a", "en", "et"}
)

_APOSTROPHES = "'’`´ʼ‘"
_SPLIT_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A normalised street name: type word (may be empty) and core words."""

    kind: str
    core: str

    @property
    def key(self) -> str:
        """``kind`` and ``core`` joined by a space (the exact-match key)."""
        return f"{self.kind} {self.core}".strip()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents and ligatures (``"Œuvre"`` → ``"oeuvre"``)."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    """Fold ``text`` and split it into alphanumeric words.

    Apostrophes, hyphens, dots, commas and other punctuation all separate words,
    so ``"l'Épeule"`` gives ``["l", "epeule"]`` and ``"Bd."`` gives ``["bd"]``.
    """
    folded = fold(text)
    for ap in _APOSTROPHES:
        folded = folded.replace(ap, " ")
    return [t for t in _SPLIT_RE.split(folded) if t]


def normalize_street(name: str) -> NormalName:
    """Return the :class:`NormalName` of a street name (never raises).

    The first word is read as a street type if it is one (``"rue"``), an
    abbreviation of one (``"bd"``), or a typo of one at most one edit away for
    words of five letters or more (``"boulevar"``). ``"rond-point"`` and
    ``"rond point"`` give ``"rondpoint"``.
    """
    words = tokens(name)
    if len(words) >= 2 and words[0] == "rond" and words[1] == "point":
        words = ["rondpoint", *words[2:]]
    kind = ""
    if words:
        first = words[0]
        if first in STREET_TYPES:
            kind = first
        elif first in TYPE_ABBREVIATIONS:
            kind = TYPE_ABBREVIATIONS[first]
        elif len(first) >= 5 and len(words) >= 2:
            kind = _close_type(first)
        if kind:
            words = words[1:]
    if kind in ("couree",):
        kind = "cour"
    core_words: list[str] = []
    for w in words:
        w = WORD_ABBREVIATIONS.get(w, w)
        core_words.extend(x for x in w.split() if x not in ARTICLES)
    if not core_words and kind:
        # A name that is only a type word ("Place") keeps it as its core.
        return NormalName("", kind)
    return NormalName(kind, " ".join(core_words))


def _close_type(word: str) -> str:
    """Street type at most one edit (insert, delete, substitute) from ``word``, or ``""``."""
    for t in _TYPES_SORTED:  # sorted: the same answer on every run
        if abs(len(t) - len(word)) <= 1 and _within_one_edit(word, t):
            return t
    return ""


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
