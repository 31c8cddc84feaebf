"""Address → quartier/secteur lookup for Roubaix, by street name.

The shipped street table (``data/streets.json``, built by
``scripts/build_geo_data.py`` from IGN BD TOPO and the IGN IRIS polygons) gives,
for each of the ~860 named streets of Roubaix, the IRIS its centreline crosses.
The secteur of an address is read from its street only: there are no house
numbers in the data, so a street that crosses two secteurs gives both
(status ``multiple``) and the form asks the applicant or the agent to choose.

Public API::

    lookup_street(street, *, postcode="", commune="") -> StreetMatch
    suggest_streets(prefix, limit=10) -> list[str]
    parse_address_line(text) -> tuple[str, str]

Matching (see :mod:`tirage.geo.normalize` for the normal form):

1. the name is normalised (accents, case, punctuation, apostrophes, hyphens,
   abbreviations such as ``bd``/``av``/``st``/``gal``, articles) into a street
   type and a core (``"Bd. de Fourmies"`` → ``boulevard`` + ``fourmies``);
2. an exact normalised match on the official BD TOPO name or an alternative name
   (BD TOPO abbreviated name, OpenStreetMap name) wins, score 100. Without a type
   word, an exact core match is accepted (a ``rue`` preferred if several); a
   leading type word may also be part of the name ("chemin vert" → "Rue du
   Chemin Vert");
3. otherwise the core is compared with every known core with
   ``rapidfuzz.fuzz.token_sort_ratio`` (0–100); the best candidate whose type
   agrees (same type, or no type on either side) is accepted if its score is at
   least :data:`MATCH_THRESHOLD` (85: one typo in a 7-letter name scores ~92,
   two typos in it ~80), or if it is one edit away (insertion, deletion,
   substitution, swap; cores of 5 letters or more). "rue X" never matches
   "place X"; such names are listed in ``candidates`` only;
4. otherwise, if exactly one street of an agreeing type has all the query's words
   in its name ("bd Leclerc" → "Boulevard du Général Leclerc"), it is accepted
   with its ``fuzz.WRatio`` score.

Data: IGN – BD TOPO® and IGN/INSEE IRIS (Licence Ouverte 2.0); alternative names
© les contributeurs d'OpenStreetMap (ODbL 1.0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .normalize import NormalName, fold, normalize_street, tokens
from .reference import INSEE_COMMUNE, POSTCODE, SECTEUR_CODES, iris_by_code, load_json

#: Minimum ``token_sort_ratio`` (0–100) between normalised cores for a fuzzy match.
MATCH_THRESHOLD = 85.0
#: A core of at least this many letters also matches a name one edit away
#: (insertion, deletion, substitution or swap of two neighbours), whatever the ratio.
MIN_LEN_ONE_EDIT = 5
#: Minimum score for a name to be listed in ``StreetMatch.candidates``.
CANDIDATE_THRESHOLD = 70.0
MAX_CANDIDATES = 5

SINGLE = "single"
MULTIPLE = "multiple"
UNKNOWN = "unknown"
OUTSIDE = "outside"

_ROUBAIX_COMMUNES = frozenset({"roubaix", INSEE_COMMUNE, "roubaix cedex"})


@dataclass(frozen=True, slots=True)
class Street:
    """A street of Roubaix from ``data/streets.json`` (or, with no IRIS, from the
    ``unlocated`` list of ``data/osm_names.json``).

    ``iris``, ``quartiers`` and ``secteurs`` are ordered by the length of street
    inside each (summed over IRIS for quartiers and secteurs), longest first. ``names`` holds the
    alternative spellings (BD TOPO abbreviated name, OpenStreetMap names).
    """

    street_id: str
    label: str
    kind: str
    iris: tuple[str, ...]
    quartiers: tuple[str, ...]
    secteurs: tuple[str, ...]
    names: tuple[str, ...]
    fantoir: tuple[str, ...]
    length_m: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """Another street whose name is close to the query (for "did you mean…")."""

    street_id: str
    label: str
    score: float
    secteurs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StreetMatch:
    """Result of :func:`lookup_street`.

    ``status``:

    * ``"single"``: the street lies in one secteur (``secteurs`` has one code);
    * ``"multiple"``: it crosses several secteurs, all listed (longest part first);
      ask the person to choose;
    * ``"unknown"``: no street matched; accept the address, flag it for staff and
      ask for the quartier (``candidates`` may hold close names). When the name is
      a real Roubaix street known only to OpenStreetMap (FANTOIR code, no BD TOPO
      line, ~56 small courées, squares…), ``street_id`` and ``label`` are set but
      ``secteurs`` is empty;
    * ``"outside"``: the postcode or commune is not Roubaix.

    ``street_id`` is the BAN street id (``59512_xxxx``), ``bdtopo:<cleabs>`` for a
    BD TOPO street without BAN id, or ``59512_<FANTOIR digits>``/``osm:<FANTOIR>``
    for a street without geometry; empty when no street matched. ``score`` is 0–100
    (100 for an exact normalised match). ``number`` is the house number found
    at the start of the input, if any (not used for the secteur).
    """

    status: str
    street_id: str = ""
    label: str = ""
    score: float = 0.0
    secteurs: tuple[str, ...] = ()
    quartiers: tuple[str, ...] = ()
    iris: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    number: str = ""


@dataclass(frozen=True, slots=True)
class _Index:
    streets: tuple[Street, ...]
    by_id: dict[str, Street]
    by_key: dict[str, tuple[int, ...]]  # normal key -> street indexes, official first
    by_core: dict[str, tuple[int, ...]]  # normal core -> street indexes
    choice_cores: tuple[str, ...]  # one per (street, name) pair
    choice_kinds: tuple[str, ...]
    choice_street: tuple[int, ...]
    choice_tokens: tuple[frozenset[str], ...]
    prefix_keys: tuple[tuple[str, str, int], ...]  # (key, core, street index)
    label_cores: tuple[str, ...]  # normal core of each street's label (sort key)


@cache
def _index() -> _Index:
    data = load_json("streets.json")
    osm = {row["id"]: row for row in load_json("osm_names.json")["names"]}
    iris_info = iris_by_code()
    streets: list[Street] = []
    for row in data["streets"]:
        iris = tuple(code for code, _length in row["iris"])
        by_quartier: dict[str, float] = {}
        by_secteur: dict[str, float] = {}
        for code, length in row["iris"]:
            info = iris_info[code]
            by_quartier[info.quartier] = by_quartier.get(info.quartier, 0.0) + length
            by_secteur[info.secteur] = by_secteur.get(info.secteur, 0.0) + length
        alt = [*row["bdtopo_names"], *osm.get(row["id"], {}).get("names", [])]
        streets.append(
            Street(
                street_id=row["id"],
                label=row["label"],
                kind=normalize_street(row["label"]).kind,
                iris=iris,
                quartiers=tuple(sorted(by_quartier, key=lambda q: -by_quartier[q])),
                secteurs=tuple(sorted(by_secteur, key=lambda q: -by_secteur[q])),
                names=tuple(dict.fromkeys(alt)),
                fantoir=tuple(osm.get(row["id"], {}).get("fantoir", [])),
                length_m=row["length_m"],
            )
        )
    for row in load_json("osm_names.json").get("unlocated", []):
        # A Roubaix street known to OpenStreetMap (FANTOIR code) without a BD TOPO
        # line: the name is recognised but its secteur is not known.
        streets.append(
            Street(
                street_id=row["id"],
                label=row["label"],
                kind=normalize_street(row["label"]).kind,
                iris=(),
                quartiers=(),
                secteurs=(),
                names=(),
                fantoir=tuple(row["fantoir"]),
                length_m=0.0,
            )
        )
    by_key: dict[str, list[int]] = {}
    by_core: dict[str, list[int]] = {}
    cores: list[str] = []
    kinds: list[str] = []
    owners: list[int] = []
    prefix: list[tuple[str, str, int]] = []
    for official in (True, False):
        for i, s in enumerate(streets):
            names = (s.label,) if official else s.names
            for name in names:
                n = normalize_street(name)
                if not n.core:
                    continue
                if i not in by_key.setdefault(n.key, []):
                    by_key[n.key].append(i)
                if i not in by_core.setdefault(n.core, []):
                    by_core[n.core].append(i)
                cores.append(n.core)
                kinds.append(n.kind)
                owners.append(i)
                prefix.append((n.key, n.core, i))
    return _Index(
        streets=tuple(streets),
        by_id={s.street_id: s for s in streets},
        by_key={k: tuple(v) for k, v in by_key.items()},
        by_core={k: tuple(v) for k, v in by_core.items()},
        choice_cores=tuple(cores),
        choice_kinds=tuple(kinds),
        choice_street=tuple(owners),
        choice_tokens=tuple(frozenset(c.split()) for c in cores),
        prefix_keys=tuple(prefix),
        label_cores=tuple(normalize_street(s.label).core for s in streets),
    )


def streets() -> tuple[Street, ...]:
    """All streets of the shipped table, sorted by name core."""
    return _index().streets


def street_by_id(street_id: str) -> Street:
    """The street with this id. Raises :class:`KeyError` if there is none."""
    return _index().by_id[street_id]


_NUMBER_RE = re.compile(
    r"""^\s*
    (?P<num>\d+(?:\s*(?:bis|ter|quater|[a-d])\b)?(?:\s*[-/à]\s*\d+(?:\s*(?:bis|ter|[a-d])\b)?)?)
    \s*[,.]?\s*(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_address_line(text: str) -> tuple[str, str]:
    """Split a free-text address line into ``(house number, street)``.

    ``"12 bd de Fourmies"`` → ``("12", "bd de Fourmies")``; ``"12bis, rue X"`` →
    ``("12bis", "rue X")``; ``"rue X"`` → ``("", "rue X")``. A trailing
    ``", 59100 Roubaix"`` (postcode and/or commune after a comma) is dropped, and
    so is anything after another comma (``"rue X, bâtiment B"`` → ``"rue X"``).
    Whitespace is collapsed; the number keeps its letters (``bis``, ``ter``, ``a``…)
    with spaces removed. Never raises.
    """
    text = " ".join(text.split())
    street, _cp, _commune = _split_tail(text)
    number = ""
    m = _NUMBER_RE.match(street)
    if m and m.group("rest"):
        number, street = re.sub(r"\s+", "", m.group("num")).lower(), m.group("rest")
    # "rue X, bâtiment B": keep what comes before the first remaining comma.
    return number, street.split(",")[0].strip()


def _split_tail(text: str) -> tuple[str, str, str]:
    """``"12 rue X, 59100 Roubaix"`` → ``("12 rue X", "59100", "Roubaix")``."""
    if "," not in text:
        m = re.match(r"^(?P<street>.*?\D)\s+(?P<cp>\d{5})(?:\s+(?P<commune>\D+))?$", text)
        if m:
            return m.group("street"), m.group("cp"), (m.group("commune") or "").strip()
        return text, "", ""
    head, _, tail = text.rpartition(",")
    tail = tail.strip()
    m = re.fullmatch(r"(?P<cp>\d{5})?\s*(?P<commune>\D*?)(?:\s*cedex\s*\d*)?", tail, re.I)
    if m and (m.group("cp") or fold(m.group("commune")).strip() in _ROUBAIX_COMMUNES):
        return head.strip(), m.group("cp") or "", m.group("commune").strip()
    return text, "", ""


def is_roubaix(*, postcode: str = "", commune: str = "") -> bool:
    """False if a non-empty postcode is not 59100 or a non-empty commune is not Roubaix.

    The commune may be given as a name (any case/accents, ``"Roubaix Cedex"``) or as
    the INSEE code 59512. Empty values say nothing and count as Roubaix.
    """
    cp = re.sub(r"\s+", "", postcode)
    if cp and cp != POSTCODE:
        return False
    name = " ".join(tokens(commune))
    if name and name not in _ROUBAIX_COMMUNES and not re.fullmatch(r"roubaix cedex \d*", name):
        return False
    return True


@lru_cache(maxsize=256)
def lookup_street(street: str, *, postcode: str = "", commune: str = "") -> StreetMatch:
    """Find the secteur(s) and quartier(s) of a Roubaix street name.

    Remembered for the last 256 distinct inputs (the result is immutable and depends on
    the shipped street table only): one applicant's address is looked up at each step of
    the form (benchmarks/flow_cpu.py).

    ``street`` may be a street name or a whole address line (a leading house number
    and a trailing ``", 59100 Roubaix"`` are accepted and ignored). ``postcode`` and
    ``commune`` are optional; when given (or found at the end of ``street``) and not
    Roubaix, the result is ``outside``. Never raises for any string input.
    """
    number, name = parse_address_line(street)
    _head, cp, town = _split_tail(" ".join(street.split()))
    if not is_roubaix(postcode=postcode or cp, commune=commune or town):
        return StreetMatch(OUTSIDE, number=number)
    query = normalize_street(name)
    if not query.core:
        return StreetMatch(UNKNOWN, number=number)
    idx = _index()

    exact = list(idx.by_key.get(query.key, ()))
    if not exact:
        # Without a type word, match the core; with one, the "type" may be part of
        # the name ("chemin vert" is "Rue du Chemin Vert"). A "rue" first if several.
        core = f"{query.kind} {query.core}" if query.kind else query.core
        exact = sorted(idx.by_core.get(core, ()), key=lambda i: idx.streets[i].kind != "rue")
    if exact:
        chosen = idx.streets[exact[0]]
        others = _fuzzy(query, idx, exclude={idx.streets[i].street_id for i in exact})[0]
        extra = [
            Candidate(idx.streets[i].street_id, idx.streets[i].label, 100.0,
                      idx.streets[i].secteurs)
            for i in exact[1:]
        ]  # fmt: skip
        return _matched(chosen, 100.0, tuple((extra + others)[:MAX_CANDIDATES]), number)

    candidates, best = _fuzzy(query, idx, exclude=set())
    if best is None:
        best = _subset_match(query, idx)
    if best is not None:
        chosen, score = best
        rest = tuple(c for c in candidates if c.street_id != chosen.street_id)
        return _matched(chosen, score, rest[:MAX_CANDIDATES], number)
    return StreetMatch(UNKNOWN, candidates=tuple(candidates[:MAX_CANDIDATES]), number=number)


def _subset_match(query: NormalName, idx: _Index) -> tuple[Street, float] | None:
    """The only street (of an agreeing type) whose name contains all the query's words.

    For shortened names: "bd Leclerc" → "Boulevard du Général Leclerc". At least one
    query word must have 4 letters or more; if two or more streets qualify, none is
    chosen. The score is ``rapidfuzz.fuzz.WRatio`` of the cores (about 90 for a
    one-word query inside a two-word name).
    """
    words = frozenset(query.core.split())
    if not any(len(w) >= 4 for w in words):
        return None
    found: set[int] = set()
    core = ""
    for pos, tokens_ in enumerate(idx.choice_tokens):
        if words <= tokens_ and _kinds_agree(query.kind, idx.choice_kinds[pos]):
            found.add(idx.choice_street[pos])
            core = idx.choice_cores[pos]
            if len(found) > 1:
                return None
    if len(found) != 1:
        return None
    return idx.streets[found.pop()], fuzz.WRatio(query.core, core)


def _matched(s: Street, score: float, candidates: tuple[Candidate, ...], number: str):
    status = SINGLE if len(s.secteurs) == 1 else MULTIPLE if s.secteurs else UNKNOWN
    return StreetMatch(
        status=status,
        street_id=s.street_id,
        label=s.label,
        score=round(score, 1),
        secteurs=s.secteurs,
        quartiers=s.quartiers,
        iris=s.iris,
        candidates=candidates,
        number=number,
    )


def _kinds_agree(a: str, b: str) -> bool:
    return not a or not b or a == b


def _fuzzy(
    query: NormalName, idx: _Index, exclude: set[str]
) -> tuple[list[Candidate], tuple[Street, float] | None]:
    """Close names by core similarity: (candidates best first, best acceptable match)."""
    hits = process.extract(
        query.core,
        idx.choice_cores,
        scorer=fuzz.token_sort_ratio,
        limit=40,
        score_cutoff=CANDIDATE_THRESHOLD,
    )
    seen: dict[str, Candidate] = {}
    best: tuple[Street, float] | None = None
    for _core, score, pos in hits:
        street = idx.streets[idx.choice_street[pos]]
        if street.street_id in exclude:
            continue
        agree = _kinds_agree(query.kind, idx.choice_kinds[pos])
        close = score >= MATCH_THRESHOLD or (
            len(query.core) >= MIN_LEN_ONE_EDIT
            and OSA.distance(query.core, _core, score_cutoff=1) <= 1
        )
        if agree and close and (best is None or score > best[1]):
            best = (street, score)
        if street.street_id not in seen or seen[street.street_id].score < score:
            seen[street.street_id] = Candidate(
                street.street_id, street.label, round(score, 1), street.secteurs
            )
    ranked = sorted(seen.values(), key=lambda c: (-c.score, c.label))
    return ranked, best


def suggest_streets(prefix: str, limit: int = 10) -> list[str]:
    """Official labels of streets whose name starts with (then contains) ``prefix``.

    For an autocomplete/datalist: ``prefix`` is normalised like a street name
    (``"bd de fou"`` finds "Boulevard de Fourmies"; ``"fourm"`` too, the type word
    may be omitted). Names starting with the prefix come first, then names with a
    word starting with it, then names containing it, each group alphabetical by
    core; alternative names count but the official label is returned, once.
    An empty prefix gives ``[]``.
    """
    q = normalize_street(prefix)
    if not q.key or limit <= 0:
        return []
    idx = _index()
    groups: list[list[tuple[str, int]]] = [[], [], []]
    placed: dict[int, int] = {}
    needle = q.key
    word_needle = " " + needle
    for key, core, i in idx.prefix_keys:
        if needle not in key:
            continue
        if key.startswith(needle) or core.startswith(needle):
            rank = 0
        elif word_needle in key:
            rank = 1
        else:
            rank = 2
        if i not in placed or placed[i] > rank:
            placed[i] = rank
    for i, rank in placed.items():
        groups[rank].append((idx.label_cores[i], i))
    out: list[str] = []
    for group in groups:
        for _core, i in sorted(group):
            out.append(idx.streets[i].label)
            if len(out) >= limit:
                return out
    return out


def secteur_order(codes: tuple[str, ...]) -> tuple[str, ...]:
    """``codes`` in the canonical order nord, sud, est, ouest, centre."""
    return tuple(c for c in SECTEUR_CODES if c in codes)
