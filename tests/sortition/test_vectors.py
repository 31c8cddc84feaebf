"""Published test vectors (``tests/sortition/vectors/``) keep verifying, byte for byte.

The files are a complete bundle and result, as a city would publish them: a
verifier written from ``docs/draw-protocol.md`` must accept them, and this
engine must produce the same bytes from the same input. Regenerate them only
when the protocol's version changes (``python -m tests.sortition.test_vectors``).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from tirage.sortition.bundle import Bundle, compute_commitment, load_bundle, make_bundle
from tirage.sortition.model import Distribution, Feature, Instance, Person, Quota
from tirage.sortition.result import DrawResult, load_result, make_result
from tirage.sortition.rounding import round_distribution
from tirage.sortition.verify import verify

VECTORS = Path(__file__).resolve().parent / "vectors"


def _instance() -> Instance:
    rows = [
        ("p01", "nord", "f", "h1"), ("p02", "nord", "m", "h1"), ("p03", "sud", "f", None),
        ("p04", "sud", "m", None), ("p05", "est", "f", None), ("p06", "est", "m", None),
        ("p07", "nord", "f", None), ("p08", "sud", "m", None), ("p09", "est", "f", None),
    ]  # fmt: skip
    people = tuple(Person(i, {"secteur": s, "genre": g}, h) for i, s, g, h in rows)
    features = (
        Feature("secteur", {"nord": Quota(1, 1), "sud": Quota(1, 1), "est": Quota(1, 1)},
                label="Secteur", value_labels={"nord": "Nord", "sud": "Sud", "est": "Est"}),
        Feature("genre", {"f": Quota(1, 2), "m": Quota(1, 2)}, label="Genre"),
    )  # fmt: skip
    return Instance(people, features, 3)


def _published(version: str) -> tuple[Bundle, DrawResult]:
    """The vectors' bundle and result, made by this engine, as by Tirage ``version``."""
    inst = _instance()
    valid = [c for c in itertools.combinations(inst.ids, 3) if not inst.panel_violations(c)]
    weights = [1 + (i % 4) for i in range(len(valid))]
    dist = Distribution(tuple(valid), tuple(w / sum(weights) for w in weights))
    lottery = round_distribution(dist, 1000, ids=inst.ids)
    bundle = make_bundle(inst, lottery, objective="leximin", algorithm="test vector",
                         metadata={"title": "Tirage test vector"})  # fmt: skip
    data = dict(bundle.data, software={"name": "tirage", "version": version})
    data["commitment"] = compute_commitment(data)
    bundle = Bundle(data)
    result = make_result(bundle, dice=[4, 2, 7])
    return bundle, DrawResult(result.commitment, result.m, result.randomness, result.selected,
                              result.reserve, software_version=version)  # fmt: skip


def test_published_vectors_verify():
    bundle = load_bundle(VECTORS / "bundle.json")
    result = load_result(VECTORS / "result.json")
    report = verify(bundle, result, announced=bundle.commitment)
    assert report.ok, report.problems
    assert len(report.checks) == 15
    assert DrawResult.from_json(result).to_json() == result


def test_this_engine_makes_the_same_bytes():
    published = (VECTORS / "bundle.json").read_bytes()
    version = json.loads(published)["software"]["version"]
    bundle, result = _published(version)
    assert bundle.to_bytes() == published
    assert result.index == 427
    path = VECTORS / "result.json"
    assert DrawResult.from_json(load_result(path)) == result
    assert json.loads(path.read_bytes()) == result.to_json()


if __name__ == "__main__":  # regenerate (a new protocol version only)
    import tirage

    bundle, result = _published(tirage.__version__)
    bundle.write(VECTORS / "bundle.json")
    result.write(VECTORS / "result.json")
