"""Verification of a published bundle and a draw result, with plain Python.

``verify(bundle, result)`` recomputes the commitment, checks every listed panel
against the quotas (``Instance.panel_violations``), the published probabilities
against the panels, the rounding's published change, and, with a result, the
index from the randomness, the selected panel and the reserve. It never raises
for bad content: every problem is named in the report. It imports neither the
solver nor numpy nor Django, so anyone can run it (``tirage sortition verify``).
The checks are specified in ``docs/draw-protocol.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby
from typing import Any

from tirage.sortition.bundle import (
    BUNDLE_FORMAT,
    Bundle,
    compute_commitment,
    instance_from_bundle,
)
from tirage.sortition.draw import Draw, draw, randomness_label
from tirage.sortition.errors import BundleError, InputError, SortitionError
from tirage.sortition.model import Instance
from tirage.sortition.reserve import build_reserve
from tirage.sortition.result import RESULT_FORMAT, DrawResult
from tirage.sortition.schema import bundle_shape_problems, result_shape_problems

__all__ = ["VerificationReport", "verify"]

MAX_MESSAGES = 20
ROTATION_METHOD = "type-rotation/"
"""Prefix of ``rounding.method`` of a lottery whose panels ``verify`` re-derives by the rotation."""


@dataclass
class VerificationReport:
    """Outcome of ``verify``: ``checks`` is a list of ``(name, passed, detail)``;
    ``problems`` lists every failure in English (what differs). ``ok`` iff none.
    ``skipped`` lists ``(name, reason)`` for the checks of ``docs/draw-protocol.md`` §7
    that were not made (today only ``rotation``, for a lottery not rounded by the
    rotation): not a failure, but a verifier says so rather than staying silent."""

    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, name: str, problems: list[str], detail: str = "") -> None:
        shown = problems[:MAX_MESSAGES]
        if len(problems) > MAX_MESSAGES:
            shown.append(f"… and {len(problems) - MAX_MESSAGES} more problems in {name}")
        self.problems.extend(shown)
        self.checks.append((name, not problems, "; ".join(shown) if problems else detail))

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "problems": list(self.problems),
            "checks": [{"name": n, "passed": p, "detail": d} for n, p, d in self.checks],
            "skipped": [{"name": n, "reason": r} for n, r in self.skipped],
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
    result: DrawResult | Mapping[str, Any] | None = None,
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
    ``rotation``, only when ``rounding.method`` starts with ``type-rotation/`` (the
    lottery was rounded over types): within each type, people's counts differ by at
    most one, and the listed panels are exactly the rotation of their type panels
    (re-derived, ``docs/draw-protocol.md`` §1);
    with a result: ``result commitment``, ``index`` (recomputed from the dice or
    seed), ``selection`` (the panel at that index), ``reserve`` (recomputed).
    ``announced``: the commitment made public before the draw (hex); when given,
    an ``announced commitment`` check compares it with the bundle's.
    Never raises for bad content: every problem is in the report.
    """
    data = bundle.data if isinstance(bundle, Bundle) else dict(bundle)
    if isinstance(result, DrawResult):
        result = result.to_json()
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
        instance = instance_from_bundle(data)
    except SortitionError as exc:
        report.add("pool", [exc.message])
        return report
    m, panels, selections = data["m"], data["panels"], data["selections"]
    pool = f"{instance.n} people, {len(instance.features)} features, {instance.seats} seats"
    report.add("pool", [], pool)
    report.add("panels", _check_panels(instance, panels, m), f"{m} panels")
    report.add("probabilities", _check_probabilities(instance, panels, selections, m))
    report.add("rounding", _check_rounding(data, selections, m))
    method = (
        data.get("rounding", {}).get("method")
        if isinstance(data.get("rounding"), Mapping)
        else None
    )
    if isinstance(method, str) and method.startswith(ROTATION_METHOD):
        problems, detail = _check_rotation(instance, panels)
        report.add("rotation", problems, detail)
    else:
        # A sceptic must see that the rotation was not re-derived: a bundle whose
        # rounding.method was changed (and committed again) would otherwise look whole.
        said = (
            "the bundle gives no rounding.method"
            if method is None
            else f"rounding.method {method!r} does not start with {ROTATION_METHOD!r}"
        )
        report.skipped.append(("rotation", f"{said}: the rotation is not re-derived"))
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
    cache: dict[tuple[str, ...], list[str]] = {}
    previous: tuple[str, ...] | None = None
    for j, panel in enumerate(panels):
        key = tuple(panel)
        if key not in cache:
            cache[key] = instance.panel_violations(key)
            if list(key) != sorted(key):
                cache[key] = [*cache[key], "members not in sorted order"]
        for why in cache[key]:
            problems.append(f"panel {j} violates {why}")
        if previous is not None and previous > key:
            problems.append(f"panels {j - 1} and {j} are not in canonical (sorted) order")
        previous = key
    return problems


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


def _types(instance: Instance) -> tuple[list[list[str]], dict[str, int], list[str]]:
    """The types of ``docs/draw-protocol.md`` §1: people with the same value of every
    feature, except that a person sharing a household with somebody else in the pool is
    a type of their own. Returns the members of each type (sorted by code point; types
    ordered by their first member), each id's type, and a label per type."""
    shared: dict[str, int] = {}
    for p in instance.people:
        if p.household:
            shared[p.household] = shared.get(p.household, 0) + 1
    groups: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for p in instance.people:
        values = tuple(p.values[f.name] for f in instance.features)
        alone = p.id if p.household and shared[p.household] > 1 else ""
        groups.setdefault((values, alone), []).append(p.id)
    ordered = sorted((sorted(ids), key) for key, ids in groups.items())
    members = [ids for ids, _ in ordered]
    labels = [
        ", ".join(f"{f.name}={v}" for f, v in zip(instance.features, key[0], strict=True))
        + (" (shares a household)" if key[1] else "")
        for _, key in ordered
    ]
    type_of = {pid: t for t, ids in enumerate(members) for pid in ids}
    return members, type_of, labels


def _check_rotation(instance: Instance, panels: list[list[str]]) -> tuple[list[str], str]:
    """Re-derive the rotation (``docs/draw-protocol.md`` §1) from the listed panels."""
    members, type_of, labels = _types(instance)
    problems: list[str] = []
    keys: list[list[int]] = []
    counts = dict.fromkeys(type_of, 0)
    for j, panel in enumerate(panels):
        unknown = [pid for pid in panel if pid not in type_of]
        if unknown:
            return [f"panel {j} holds {unknown[0]}, outside the pool: no type panel"], ""
        for pid in panel:
            counts[pid] += 1
        keys.append(sorted(type_of[pid] for pid in panel))
    for t, ids in enumerate(members):
        low = min(counts[pid] for pid in ids)
        high = max(counts[pid] for pid in ids)
        if high - low > 1:
            problems.append(
                f"type {labels[t]} ({len(ids)} people): counts from {low} to {high}, "
                "they differ by more than one"
            )
    keys.sort()
    cursor = [0] * len(members)
    expected: list[list[str]] = []
    for key in keys:
        chosen: list[str] = []
        for t, seats in groupby(key):
            c, ids = len(list(seats)), members[t]
            chosen.extend(ids[(cursor[t] + i) % len(ids)] for i in range(c))
            cursor[t] = (cursor[t] + c) % len(ids)
        expected.append(sorted(chosen))
    expected.sort()
    for j, (got, want) in enumerate(zip(panels, expected, strict=False)):
        if list(got) != want:
            extra = sorted(set(got) - set(want))[:5]
            missing = sorted(set(want) - set(got))[:5]
            problems.append(
                f"panel {j} is not the rotation of the type panels: it lists {extra} "
                f"where the rotation gives {missing}"
            )
            break
    distinct = len({tuple(k) for k in keys})
    detail = (
        f"{len(members)} types, {distinct} type panels: counts within a type differ by at "
        f"most one and the {len(panels)} panels are the rotation of their type panels"
    )
    return problems, detail


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
