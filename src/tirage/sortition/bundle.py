"""The public lottery bundle, the draw result, and their verification.

A **bundle** (JSON) is published *before* the draw. It holds the pool
(pseudonymous ids and feature values), the features and quotas, the seats, the
``m`` panels of the uniform lottery (``tirage.sortition.rounding``), each
person's number of panels (probability = count / m, exact), the objective and
algorithm, and ``commitment`` = SHA-256 (hex) of the canonical serialisation of
everything else. Publishing the commitment fixes the lottery before the dice
are thrown.

A **result** (JSON) is written by the draw: the commitment, the randomness
(dice or seed), the panel index, the selected ids and the reserve list.

``verify(bundle, result)`` re-checks everything with plain Python (hashlib,
no solver). The format is specified in ``docs/draw-protocol.md``.

Canonical serialisation: ``json.dumps(obj, sort_keys=True, ensure_ascii=False,
separators=(",", ":"), allow_nan=False)`` encoded in UTF-8. No JSON floats are
allowed anywhere: real numbers are decimal strings (``repr`` of the float).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tirage
from tirage.sortition.draw import Draw, draw, randomness_label
from tirage.sortition.errors import BundleError, InputError, SortitionError
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.reserve import build_reserve
from tirage.sortition.schema import bundle_shape_problems, result_shape_problems

if TYPE_CHECKING:  # numpy is not needed to verify
    from tirage.sortition.rounding import Lottery

__all__ = [
    "BUNDLE_FORMAT",
    "RESULT_FORMAT",
    "Bundle",
    "VerificationReport",
    "canonical_json",
    "compute_commitment",
    "make_bundle",
    "write_bundle",
    "load_bundle",
    "make_result",
    "write_result",
    "load_result",
    "verify",
]

BUNDLE_FORMAT = "tirage-lottery-bundle/1"
RESULT_FORMAT = "tirage-draw-result/1"
MAX_MESSAGES = 20


# -- canonical JSON -------------------------------------------------------------
def _no_float(text: str) -> Any:
    raise BundleError("float_in_bundle", f"floats are not allowed, write a decimal string: {text}")


def canonical_json(obj: Any) -> bytes:
    """Canonical UTF-8 bytes of ``obj``: sorted keys, no spaces, no floats (``BundleError``).

    Keys must be strings and NaN/infinity are refused (``BundleError``).
    """
    try:
        text = json.dumps(
            obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise BundleError("not_canonical", f"cannot serialise canonically: {exc}") from None
    # The C parser calls parse_float only for JSON numbers with a fraction or exponent.
    json.loads(text, parse_float=_no_float)
    return text.encode("utf-8")


def compute_commitment(data: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the canonical serialisation of ``data`` without its ``commitment`` key."""
    body = {k: v for k, v in data.items() if k != "commitment"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _decimal(x: float) -> str:
    return repr(float(x))


# -- bundle ---------------------------------------------------------------------
@dataclass(frozen=True)
class Bundle:
    """A loaded bundle: ``data`` is the JSON object; helpers read it.

    ``instance()`` rebuilds the ``Instance`` (raises ``BundleError`` if the
    content is inconsistent).
    """

    data: dict

    @property
    def commitment(self) -> str:
        return str(self.data.get("commitment", ""))

    @property
    def m(self) -> int:
        return int(self.data["m"])

    @property
    def panels(self) -> list[list[str]]:
        return self.data["panels"]

    def instance(self) -> Instance:
        return _instance_from(self.data)


def _pseudonymous_households(instance: Instance) -> dict[str, str | None]:
    """Household keys (possibly addresses) become ``h1, h2…``; singletons become null."""
    sizes: dict[str, int] = {}
    for p in instance.people:
        if p.household:
            sizes[p.household] = sizes.get(p.household, 0) + 1
    names: dict[str, str] = {}
    result: dict[str, str | None] = {}
    for p in instance.people:
        if p.household and sizes[p.household] > 1:
            names.setdefault(p.household, f"h{len(names) + 1}")
            result[p.id] = names[p.household]
        else:
            result[p.id] = None
    return result


def make_bundle(
    instance: Instance,
    lottery: Lottery,
    *,
    objective: str,
    algorithm: str,
    metadata: Mapping[str, str] | None = None,
) -> dict:
    """The bundle as a JSON-ready dict, ``commitment`` included.

    ``metadata``: free text fields (e.g. ``{"title": "Conseil citoyen 2026"}``),
    part of the commitment. Raises ``BundleError`` if a lottery panel holds an
    id outside the pool.
    """
    ids = set(instance.ids)
    for panel in lottery.counts:
        unknown = [i for i in panel if i not in ids]
        if unknown:
            raise BundleError(
                "unknown_id", f"lottery panel holds ids outside the pool: {unknown[:5]}"
            )
    households = _pseudonymous_households(instance)
    data: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "software": {"name": "tirage", "version": tirage.__version__},
        "metadata": dict(metadata or {}),
        "seats": instance.seats,
        "m": lottery.m,
        "features": [
            {
                "name": f.name,
                "label": f.label or f.name,
                "values": [
                    {"value": v, "label": f.value_labels.get(v, v), "min": q.min, "max": q.max}
                    for v, q in f.quotas.items()
                ],
            }
            for f in instance.features
        ],
        "pool": [
            {
                "id": p.id,
                "values": {f.name: p.values[f.name] for f in instance.features},
                "household": households[p.id],
            }
            for p in instance.people
        ],
        "panels": [list(p) for p in lottery.panels],
        "selections": {p.id: int(lottery.selections.get(p.id, 0)) for p in instance.people},
        "objective": objective,
        "algorithm": algorithm,
        "rounding": {
            "method": "largest-remainder+local-search (Flanigan, Kehne, Procaccia 2021)",
            "max_change": _decimal(lottery.max_change),
            "bound": _decimal(lottery.bound),
            "original_probabilities": {
                p.id: _decimal(lottery.original.get(p.id, 0.0)) for p in instance.people
            },
        },
    }
    data["commitment"] = compute_commitment(data)
    return data


def _write_json(path: str | os.PathLike, data: Any) -> None:
    Path(path).write_bytes(canonical_json(data) + b"\n")


def write_bundle(
    path: str | os.PathLike,
    instance: Instance,
    lottery: Lottery,
    *,
    objective: str,
    algorithm: str,
    metadata: Mapping[str, str] | None = None,
) -> Bundle:
    """Write the bundle in canonical JSON to ``path``; returns it. ``OSError`` on I/O failure."""
    data = make_bundle(
        instance, lottery, objective=objective, algorithm=algorithm, metadata=metadata
    )
    _write_json(path, data)
    return Bundle(data)


def _read_json(path: str | os.PathLike, what: str) -> dict:
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError("bad_json", f"{path}: not a valid UTF-8 JSON {what}: {exc}") from None
    if not isinstance(data, dict):
        raise BundleError("bad_json", f"{path}: a {what} must be a JSON object")
    return data


def load_bundle(path: str | os.PathLike) -> Bundle:
    """Read a bundle (no check beyond JSON syntax: use ``verify``). ``BundleError``/``OSError``."""
    data = _read_json(path, "bundle")
    if data.get("format") != BUNDLE_FORMAT:
        raise BundleError(
            "bad_format", f"{path}: format {data.get('format')!r} is not {BUNDLE_FORMAT!r}"
        )
    return Bundle(data)


def _ambiguities(data: Mapping[str, Any]) -> list[str]:
    """What a dict would silently merge: a feature or a quota listed twice, a person with
    values for other features than the listed ones (each reader could pick another one)."""
    problems: list[str] = []
    names: list[str] = []
    for f in data["features"]:
        names.append(f["name"])
        values = [v["value"] for v in f["values"]]
        problems += [
            f"quota {f['name']}={v} listed {values.count(v)} times"
            for v in dict.fromkeys(values)
            if values.count(v) > 1
        ]
    problems += [f"feature {n} listed {names.count(n)} times" for n in dict.fromkeys(names)
                 if names.count(n) > 1]  # fmt: skip
    for p in data["pool"]:
        keys = set(p["values"])
        missing = [n for n in names if n not in keys]
        extra = sorted(keys - set(names))
        if missing:
            problems.append(f"person {p['id']} has no value for feature {', '.join(missing)}")
        if extra:
            problems.append(f"person {p['id']} has values for unknown feature {', '.join(extra)}")
    return problems


def _instance_from(data: Mapping[str, Any]) -> Instance:
    try:
        ambiguous = _ambiguities(data)
        if ambiguous:
            raise BundleError("bad_bundle", "bundle content is inconsistent: " + ambiguous[0])
        features = tuple(
            Feature(
                name=f["name"],
                quotas={v["value"]: Quota(int(v["min"]), int(v["max"])) for v in f["values"]},
                label=f.get("label", ""),
                value_labels={v["value"]: v.get("label", v["value"]) for v in f["values"]},
            )
            for f in data["features"]
        )
        people = tuple(
            Person(id=p["id"], values=dict(p["values"]), household=p.get("household"))
            for p in data["pool"]
        )
        return Instance(people=people, features=features, seats=int(data["seats"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BundleError("bad_bundle", f"bundle content is inconsistent: {exc}") from None


# -- result ---------------------------------------------------------------------
def make_result(
    bundle: Bundle, *, dice: Sequence[int] | None = None, seed: str | None = None
) -> dict:
    """Draw from ``bundle`` with the dice or the seed; returns the result as a dict.

    Keys: ``format``, ``commitment``, ``m``, ``randomness`` (``Draw.to_json()``),
    ``index``, ``selected`` (sorted ids), ``reserve`` (``{"order": [...],
    "seats": {member: [...]}}``). Raises ``InputError`` for bad dice/seed and
    ``BundleError`` for an inconsistent bundle.
    """
    instance = bundle.instance()
    result_draw = draw(bundle.commitment, bundle.m, dice=dice, seed=seed)
    panels = bundle.panels
    if len(panels) != bundle.m:
        raise BundleError("bad_bundle", f"bundle lists {len(panels)} panels, m = {bundle.m}")
    selected = list(panels[result_draw.index])
    reserve = build_reserve(instance, selected, bundle.commitment, randomness_label(result_draw))
    return {
        "format": RESULT_FORMAT,
        "software": {"name": "tirage", "version": tirage.__version__},
        "commitment": bundle.commitment,
        "m": bundle.m,
        "randomness": result_draw.to_json(),
        "index": result_draw.index,
        "selected": selected,
        "reserve": reserve.to_json(),
    }


def write_result(path: str | os.PathLike, result: Mapping[str, Any]) -> None:
    """Write a result in canonical JSON. ``OSError`` on I/O failure."""
    _write_json(path, dict(result))


def load_result(path: str | os.PathLike) -> dict:
    """Read a result file (``BundleError`` if not a result JSON object, ``OSError``)."""
    data = _read_json(path, "draw result")
    if data.get("format") != RESULT_FORMAT:
        raise BundleError(
            "bad_format", f"{path}: format {data.get('format')!r} is not {RESULT_FORMAT!r}"
        )
    return data


# -- verification -----------------------------------------------------------------
@dataclass
class VerificationReport:
    """Outcome of ``verify``: ``checks`` is a list of ``(name, passed, detail)``;
    ``problems`` lists every failure in English (what differs). ``ok`` iff none."""

    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, name: str, problems: list[str], detail: str = "") -> None:
        shown = problems[:MAX_MESSAGES]
        if len(problems) > MAX_MESSAGES:
            shown.append(f"… and {len(problems) - MAX_MESSAGES} more problems in {name}")
        self.problems.extend(shown)
        self.checks.append((name, not problems, "; ".join(shown) if problems else detail))

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "problems": list(self.problems),
            "checks": [{"name": n, "passed": p, "detail": d} for n, p, d in self.checks],
        }

    def raise_if_failed(self) -> None:
        """Raise ``BundleError`` (code ``verification_failed``) listing the problems."""
        if self.problems:
            raise BundleError(
                "verification_failed",
                "verification failed: " + "; ".join(self.problems),
                problems=list(self.problems),
            )


def _fraction_text(count: int, m: int) -> str:
    value = Fraction(count, m)
    return f"{float(value):.6g} ({count}/{m})"


def verify(
    bundle: Bundle | Mapping[str, Any],
    result: Mapping[str, Any] | None = None,
    *,
    announced: str | None = None,
) -> VerificationReport:
    """Re-check a bundle (and a draw result) without any solver.

    Checks, each named in the report: ``format``; ``commitment`` (recomputed);
    ``structure`` (field types, ``tirage.sortition.schema``); ``pool`` (the
    instance rebuilds); ``panels`` (``m`` panels of ``seats``
    members, every quota and household rule met, canonical order);
    ``probabilities`` (counts implied by the panels equal the published ones);
    ``rounding`` (published ``max_change`` matches the original probabilities);
    with a result: ``result commitment``, ``index`` (recomputed from the dice or
    seed), ``selection`` (the panel at that index), ``reserve`` (recomputed).
    ``announced``: the commitment made public before the draw (hex); when given,
    an ``announced commitment`` check compares it with the bundle's.
    Never raises for bad content: every problem is in the report.
    """
    data = bundle.data if isinstance(bundle, Bundle) else dict(bundle)
    report = VerificationReport()
    report.add(
        "format",
        []
        if data.get("format") == BUNDLE_FORMAT
        else [f"bundle format {data.get('format')!r} is not {BUNDLE_FORMAT!r}"],
    )
    published = str(data.get("commitment", ""))
    try:
        computed = compute_commitment(data)
    except SortitionError as exc:
        report.add("commitment", [f"cannot compute the commitment: {exc.message}"])
    else:
        mismatch = f"commitment mismatch: computed {computed} published {published}"
        report.add("commitment", [] if computed == published else [mismatch], computed)
    if announced is not None:
        wanted = announced.strip().lower()
        report.add(
            "announced commitment",
            [] if wanted == published else
            [f"announced commitment {wanted} ≠ bundle commitment {published}"],
        )  # fmt: skip
    shape = bundle_shape_problems(data)
    report.add("structure", shape)
    if shape:
        return report
    try:
        instance = _instance_from(data)
    except SortitionError as exc:
        report.add("pool", [exc.message])
        return report
    m, panels, selections = data["m"], data["panels"], data["selections"]
    pool = f"{instance.n} people, {len(instance.features)} features, {instance.seats} seats"
    report.add("pool", [], pool)
    report.add("panels", _check_panels(instance, panels, m), f"{m} panels")
    report.add("probabilities", _check_probabilities(instance, panels, selections, m))
    report.add("rounding", _check_rounding(data, selections, m))
    if result is not None:
        shape = result_shape_problems(result)
        report.add("result structure", shape)
        if shape:
            return report
        _verify_result(report, instance, data, published, panels, m, result)
    return report


def _check_panels(instance: Instance, panels: list[list[str]], m: int) -> list[str]:
    problems = []
    if len(panels) != m:
        problems.append(f"bundle lists {len(panels)} panels, m = {m}")
    check = _panel_checker(instance)
    cache: dict[tuple[str, ...], list[str]] = {}
    previous: tuple[str, ...] | None = None
    for j, panel in enumerate(panels):
        key = tuple(panel)
        if key not in cache:
            cache[key] = check(key)
            if list(key) != sorted(key):
                cache[key] = [*cache[key], "members not in sorted order"]
        for why in cache[key]:
            problems.append(f"panel {j} violates {why}")
        if previous is not None and previous > key:
            problems.append(f"panels {j - 1} and {j} are not in canonical (sorted) order")
        previous = key
    return problems


def _panel_checker(instance: Instance):
    """A fast ``Instance.panel_violations`` (same messages), O(k) per panel."""
    people = {p.id: p for p in instance.people}
    names = [f.name for f in instance.features]
    items = list(instance.quota_items())

    def check(panel: tuple[str, ...]) -> list[str]:
        problems: list[str] = []
        if len(panel) != instance.seats:
            problems.append(f"panel has {len(panel)} members, {instance.seats} seats")
        if len(set(panel)) != len(panel):
            problems.append("panel repeats a member")
        unknown = [x for x in panel if x not in people]
        if unknown:
            problems.append(f"unknown ids in panel: {', '.join(map(str, unknown[:5]))}")
        counts: dict[tuple[str, str], int] = {}
        households: dict[str, str] = {}
        shared: list[str] = []
        for x in dict.fromkeys(panel):  # a repeated member counts once, as in the model
            person = people.get(x)
            if person is not None:
                for f in names:
                    key = (f, person.values[f])
                    counts[key] = counts.get(key, 0) + 1
        for x in panel:
            person = people.get(x)
            if person is not None and person.household:
                if person.household in households:
                    shared.append(f"{households[person.household]} and {x} share a household")
                households[person.household] = x
        for name, value, quota in items:
            c = counts.get((name, value), 0)
            if c < quota.min:
                problems.append(f"{name}={value}: {c} < min {quota.min}")
            elif c > quota.max:
                problems.append(f"{name}={value}: {c} > max {quota.max}")
        return problems + shared

    return check


def _check_probabilities(
    instance: Instance, panels: list[list[str]], selections: Mapping[str, Any], m: int
) -> list[str]:
    problems = []
    actual = dict.fromkeys(instance.ids, 0)
    for panel in panels:
        for pid in panel:
            if pid in actual:
                actual[pid] += 1
    for pid in instance.ids:
        published = selections.get(pid)
        if not isinstance(published, int) or isinstance(published, bool):
            problems.append(
                f"person {pid}'s published probability is missing or not an integer count"
            )
        elif published != actual[pid]:
            problems.append(
                f"person {pid}'s probability {_fraction_text(actual[pid], m)} ≠ "
                f"published {_fraction_text(published, m)}"
            )
    for pid in selections:
        if pid not in actual:
            problems.append(f"published probability for {pid}, who is not in the pool")
    return problems


def _check_rounding(data: Mapping[str, Any], selections: Mapping[str, Any], m: int) -> list[str]:
    rounding = data.get("rounding")
    if not isinstance(rounding, Mapping) or "original_probabilities" not in rounding:
        return []
    try:
        original = {k: float(v) for k, v in rounding["original_probabilities"].items()}
        published = float(rounding["max_change"])
        if not all(map(math.isfinite, [published, *original.values()])):
            raise ValueError("not finite")  # "nan" would compare unequal to nothing
    except (TypeError, ValueError, AttributeError):
        return ["rounding: original probabilities or max_change are not decimal strings"]
    change = max((abs(int(selections.get(k, 0)) / m - v) for k, v in original.items()), default=0.0)
    if abs(change - published) > 1e-9:
        return [f"rounding: max_change {change!r} ≠ published {published!r}"]
    return []


def _verify_result(
    report: VerificationReport,
    instance: Instance,
    data: Mapping[str, Any],
    published: str,
    panels: list[list[str]],
    m: int,
    result: Mapping[str, Any],
) -> None:
    commitment = result.get("commitment")
    report.add(
        "result commitment",
        []
        if commitment == published
        else [f"result commitment {commitment} ≠ bundle commitment {published}"],
    )
    fmt_ok = result.get("format") == RESULT_FORMAT and result.get("m") == m
    report.add(
        "result format",
        [] if fmt_ok else
        [f"result format {result.get('format')!r} / m {result.get('m')!r} "
         f"≠ {RESULT_FORMAT!r} / {m}"],
    )  # fmt: skip
    randomness = result.get("randomness") or {}
    try:
        if randomness.get("method") == "dice":
            redo: Draw = draw(published, m, dice=list(randomness.get("dice", [])))
        elif randomness.get("method") == "seed":
            redo = draw(published, m, seed=randomness.get("seed"))
        else:
            raise InputError(
                "randomness", f"unknown randomness method {randomness.get('method')!r}"
            )
    except SortitionError as exc:
        report.add("index", [f"cannot recompute the index: {exc.message}"])
        return
    report.add(
        "randomness",
        [] if randomness == redo.to_json() else
        [f"randomness {randomness} ≠ recomputed {redo.to_json()}"],
    )  # fmt: skip
    index = result.get("index")
    report.add(
        "index",
        []
        if index == redo.index
        else [f"index {index} ≠ {redo.index} recomputed from the {redo.method}"],
        str(redo.index),
    )
    if not 0 <= redo.index < len(panels):
        report.add("selection", [f"index {redo.index} is outside the {len(panels)} panels"])
        return
    expected = panels[redo.index]
    selected = list(result.get("selected") or [])
    report.add(
        "selection",
        [] if selected == expected else [f"selected {selected} ≠ panel {redo.index} {expected}"],
    )
    try:
        reserve = build_reserve(instance, expected, published, randomness_label(redo)).to_json()
    except SortitionError as exc:
        report.add("reserve", [f"cannot recompute the reserve: {exc.message}"])
        return
    got = result.get("reserve") or {}
    problems = []
    if list(got.get("order") or []) != reserve["order"]:
        problems.append("reserve order differs from the one recomputed")
    seats = got.get("seats") or {}
    for member, expected_list in reserve["seats"].items():
        if list(seats.get(member) or []) != expected_list:
            problems.append(f"reserve for seat of {member} differs from the one recomputed")
    for member in seats:
        if member not in reserve["seats"]:
            problems.append(f"reserve lists a seat for {member}, who is not on the panel")
    report.add("reserve", problems)
