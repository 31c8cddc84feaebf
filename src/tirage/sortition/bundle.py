"""The public lottery bundle: canonical JSON, commitment, writing and reading.

A **bundle** (JSON) is published *before* the draw. It holds the pool
(pseudonymous ids and feature values), the features and quotas, the seats, the
``m`` panels of the uniform lottery (``tirage.sortition.rounding``), each
person's number of panels (probability = count / m, exact), the objective and
algorithm, and ``commitment`` = SHA-256 (hex) of the canonical serialisation of
everything else. Publishing the commitment fixes the lottery before the dice
are thrown.

The draw's **result** is in ``result``; ``verify`` re-checks both with plain
Python (hashlib, no solver). The format is specified in ``docs/draw-protocol.md``.

Canonical serialisation: ``json.dumps(obj, sort_keys=True, ensure_ascii=False,
separators=(",", ":"), allow_nan=False)`` encoded in UTF-8. No JSON floats are
allowed anywhere: real numbers are decimal strings (``repr`` of the float).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tirage
from tirage.sortition.errors import BundleError
from tirage.sortition.model import Feature, Instance, Person, Quota

if TYPE_CHECKING:  # numpy is not needed to verify
    from tirage.sortition.rounding import Lottery

__all__ = [
    "BUNDLE_FORMAT",
    "Bundle",
    "canonical_json",
    "compute_commitment",
    "make_bundle",
    "load_bundle",
    "instance_from_bundle",
    "read_json",
    "write_json",
]

BUNDLE_FORMAT = "tirage-lottery-bundle/1"


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
    """A bundle: ``data`` is its JSON object, exactly as published; properties read it.

    A loaded bundle is not checked (``verify`` checks it, and never raises); the
    properties raise ``KeyError``/``TypeError`` on a bundle that does not verify.
    ``instance()`` rebuilds the ``Instance`` (raises ``BundleError`` if the
    content is inconsistent).
    """

    data: dict[str, Any]

    @property
    def commitment(self) -> str:
        """The published commitment (64 hex digits; ``""`` when missing)."""
        return str(self.data.get("commitment", ""))

    @property
    def m(self) -> int:
        """Number of panels of the lottery."""
        return int(self.data["m"])

    @property
    def panels(self) -> list[list[str]]:
        """The ``m`` listed panels, each a sorted list of ids."""
        panels: list[list[str]] = self.data["panels"]
        return panels

    @property
    def selections(self) -> dict[str, int]:
        """Person id → number of listed panels holding them (probability = count / m)."""
        selections: dict[str, int] = self.data["selections"]
        return selections

    def instance(self) -> Instance:
        return instance_from_bundle(self.data)

    def to_bytes(self) -> bytes:
        """The file's bytes: canonical JSON and a final newline."""
        return canonical_json(self.data) + b"\n"

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the bundle to ``path`` (``OSError`` on I/O failure)."""
        Path(path).write_bytes(self.to_bytes())


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
) -> Bundle:
    """The bundle of ``lottery`` over ``instance``, ``commitment`` included.

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
            # "type-rotation/1: …" for a lottery rounded over types: verify then re-derives
            # the rotation (docs/draw-protocol.md, section 1)
            "method": lottery.method
            if lottery.type_panels is not None
            else "largest-remainder+local-search (Flanigan, Kehne, Procaccia 2021)",
            "max_change": _decimal(lottery.max_change),
            "bound": _decimal(lottery.bound),
            "original_probabilities": {
                p.id: _decimal(lottery.original.get(p.id, 0.0)) for p in instance.people
            },
        },
    }
    data["commitment"] = compute_commitment(data)
    return Bundle(data)


def write_json(path: str | os.PathLike[str], data: Mapping[str, Any]) -> None:
    """Write ``data`` in canonical JSON and a final newline. ``OSError`` on I/O failure."""
    Path(path).write_bytes(canonical_json(data) + b"\n")


def read_json(path: str | os.PathLike[str], what: str) -> dict[str, Any]:
    """The JSON object in ``path`` (``BundleError`` if it is not one, ``OSError``)."""
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError("bad_json", f"{path}: not a valid UTF-8 JSON {what}: {exc}") from None
    if not isinstance(data, dict):
        raise BundleError("bad_json", f"{path}: a {what} must be a JSON object")
    return data


def load_bundle(path: str | os.PathLike[str]) -> Bundle:
    """Read a bundle (no check beyond JSON syntax: use ``verify``). ``BundleError``/``OSError``."""
    data = read_json(path, "bundle")
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


def instance_from_bundle(data: Mapping[str, Any]) -> Instance:
    """The ``Instance`` published in a bundle's JSON (``BundleError`` if inconsistent)."""
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
