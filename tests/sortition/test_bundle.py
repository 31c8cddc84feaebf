"""Bundle, result and verification without a solver; tampering is caught and named."""

from __future__ import annotations

import copy
import functools
import hashlib
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tirage
from tirage.sortition.bundle import (
    BUNDLE_FORMAT,
    Bundle,
    canonical_json,
    compute_commitment,
    load_bundle,
    make_bundle,
)
from tirage.sortition.errors import BundleError
from tirage.sortition.model import Distribution, Feature, Instance, Person, Quota
from tirage.sortition.result import DrawResult, load_result, make_result
from tirage.sortition.rounding import round_distribution
from tirage.sortition.verify import verify


def instance() -> Instance:
    rows = [
        ("a01", "nord", "f", "12 rue A"),
        ("a02", "nord", "m", "12 rue A"),
        ("a03", "sud", "f", None),
        ("a04", "sud", "m", None),
        ("a05", "nord", "f", None),
        ("a06", "sud", "m", None),
        ("a07", "nord", "m", None),
        ("a08", "sud", "f", None),
        ("a09", "sud", "f", None),
        ("a10", "nord", "m", None),
    ]
    people = tuple(Person(i, {"secteur": s, "genre": g}, h) for i, s, g, h in rows)
    features = (
        Feature("secteur", {"nord": Quota(1, 2), "sud": Quota(1, 2)}, label="Secteur"),
        Feature("genre", {"f": Quota(1, 2), "m": Quota(1, 2)}, label="Genre"),
    )
    return Instance(people, features, 3)


def lottery(inst: Instance):
    valid = [c for c in itertools.combinations(inst.ids, 3) if not inst.panel_violations(c)]
    weights = [1 + (i % 3) for i in range(len(valid))]
    dist = Distribution(tuple(valid), tuple(w / sum(weights) for w in weights))
    return round_distribution(dist, 1000, ids=inst.ids)


@pytest.fixture
def published(tmp_path):
    inst = instance()
    path = tmp_path / "bundle.json"
    bundle = make_bundle(inst, lottery(inst), objective="leximin", algorithm="test")
    bundle.write(path)
    return path, bundle


def test_canonical_json_vector():
    data = canonical_json({"b": "é", "a": 1})
    assert data == b'{"a":1,"b":"\xc3\xa9"}'
    assert hashlib.sha256(data).hexdigest() == (
        "09ad9fd2fb648cb2f62141215828ea00a62c299db05d20aa9ade2f527a301cc6"
    )
    with pytest.raises(BundleError):
        canonical_json({"x": 0.5})
    with pytest.raises(BundleError):
        canonical_json({"x": [float("nan")]})


def test_bundle_content(published):
    path, bundle = published
    data = json.loads(path.read_text("utf-8"))
    assert path.read_bytes() == canonical_json(data) + b"\n"
    assert data["format"] == BUNDLE_FORMAT
    assert data["software"] == {"name": "tirage", "version": tirage.__version__}
    assert data["m"] == 1000 and data["seats"] == 3 and len(data["panels"]) == 1000
    assert data["commitment"] == compute_commitment(data) == bundle.commitment
    assert sum(data["selections"].values()) == 3 * 1000
    # Households are pseudonymous: the address never reaches the public bundle.
    assert "12 rue A" not in path.read_text("utf-8")
    assert [p["household"] for p in data["pool"][:3]] == ["h1", "h1", None]
    assert load_bundle(path).instance().n == 10


@pytest.mark.parametrize("source", [{"dice": [4, 2, 7]}, {"seed": "Roubaix 2026"}])
def test_draw_and_verify(published, tmp_path, source):
    path, _ = published
    bundle = load_bundle(path)
    result = make_result(bundle, **source)
    if "dice" in source:
        assert result.index == 427
    assert list(result.selected) == bundle.panels[result.index]
    assert set(result.reserve.seats) == set(result.selected)
    result.write(tmp_path / "result.json")
    data = load_result(tmp_path / "result.json")
    assert (tmp_path / "result.json").read_bytes() == canonical_json(data) + b"\n"
    assert DrawResult.from_json(data) == result
    report = verify(bundle, data)
    assert report.ok, report.problems
    assert verify(bundle, result).checks == report.checks
    assert [name for name, _, _ in report.checks] == [
        "format",
        "commitment",
        "structure",
        "pool",
        "panels",
        "probabilities",
        "rounding",
        "result structure",
        "result commitment",
        "result format",
        "randomness",
        "index",
        "selection",
        "reserve",
    ]


def test_tampered_feature_value_breaks_the_commitment(published):
    path, bundle = published
    data = copy.deepcopy(bundle.data)
    data["pool"][2]["values"]["genre"] = "m"
    report = verify(Bundle(data))
    assert not report.ok
    computed = compute_commitment(data)
    assert f"commitment mismatch: computed {computed} published {bundle.commitment}" in (
        report.problems
    )


def test_tampered_panel_is_named_even_with_a_recomputed_commitment(published):
    _, bundle = published
    data = copy.deepcopy(bundle.data)
    data["panels"][17] = ["a01", "a05", "a07"]  # three from nord: max is 2
    data["commitment"] = compute_commitment(data)  # a forger recomputes it
    report = verify(Bundle(data))
    assert not report.ok
    assert "panel 17 violates secteur=nord: 3 > max 2" in report.problems
    # the counts implied by the panels no longer match the published ones
    assert any(
        p.startswith("person a07's probability") and "≠ published" in p for p in report.problems
    )


def test_tampered_probability_is_named(published):
    _, bundle = published
    data = copy.deepcopy(bundle.data)
    true = data["selections"]["a03"]
    data["selections"]["a03"] = true + 1
    data["commitment"] = compute_commitment(data)
    report = verify(Bundle(data))
    assert report.checks[1] == ("commitment", True, data["commitment"])
    assert (
        f"person a03's probability {true / 1000:.6g} ({true}/1000) ≠ published "
        f"{(true + 1) / 1000:.6g} ({true + 1}/1000)"
    ) in report.problems


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # a quota listed twice: a dict keeps the last one, another reader the first
        (lambda d: d["features"][0]["values"].append(dict(d["features"][0]["values"][0],
                                                          min=0, max=3)),
         "quota secteur=nord listed 2 times"),
        (lambda d: d["features"].append(copy.deepcopy(d["features"][1])),
         "feature genre listed 2 times"),
        (lambda d: d["pool"][0]["values"].update(age="old"),
         "person a01 has values for unknown feature age"),
        (lambda d: d["pool"][0]["values"].pop("genre"),
         "person a01 has no value for feature genre"),
    ],
)  # fmt: skip
def test_ambiguous_bundle_is_refused_even_with_a_recomputed_commitment(published, edit, message):
    # Regression: these bundles verified (duplicates silently merged, extra values ignored).
    _, bundle = published
    data = copy.deepcopy(bundle.data)
    edit(data)
    data["commitment"] = compute_commitment(data)
    report = verify(Bundle(data))
    assert report.problems == [f"bundle content is inconsistent: {message}"]


@pytest.mark.parametrize("field", ["max_change", "original"])
def test_non_finite_rounding_figures_are_refused(published, field):
    # Regression: "nan" compared unequal to nothing and passed the rounding check.
    _, bundle = published
    data = copy.deepcopy(bundle.data)
    if field == "max_change":
        data["rounding"]["max_change"] = "nan"
    else:
        data["rounding"]["original_probabilities"]["a01"] = "NaN"
    data["commitment"] = compute_commitment(data)
    assert verify(Bundle(data)).problems == [
        "rounding: original probabilities or max_change are not decimal strings"
    ]


def test_result_of_another_lottery_size_names_the_format(published):
    # Regression: with 4 dice for m = 1000 the index could not be recomputed and the
    # "result format" check (m 10000 ≠ 1000) was never run, so never named.
    _, bundle = published
    result = make_result(bundle, dice=[4, 2, 7]).to_json()
    result["m"] = 10000
    result["randomness"]["dice"] = [0, 4, 2, 7]
    problems = verify(bundle, result).problems
    assert problems[0] == (
        "result format 'tirage-draw-result/1' / m 10000 ≠ 'tirage-draw-result/1' / 1000"
    )
    assert problems[1].startswith("cannot recompute the index")


def test_tampered_result_is_named(published):
    _, bundle = published
    result = make_result(bundle, dice=[4, 2, 7]).to_json()
    forged = copy.deepcopy(result)
    forged["index"] = 428
    forged["selected"] = bundle.panels[0]
    problems = verify(bundle, forged).problems
    assert "index 428 ≠ 427 recomputed from the dice" in problems
    assert any(p.startswith("selected ") for p in problems)
    forged = copy.deepcopy(result)
    forged["reserve"]["order"] = list(reversed(forged["reserve"]["order"]))
    assert verify(bundle, forged).problems == ["reserve order differs from the one recomputed"]
    forged = copy.deepcopy(result)
    forged["randomness"]["dice"] = [4, 2, 8]
    assert "index 427 ≠ 428 recomputed from the dice" in verify(bundle, forged).problems


def test_load_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(BundleError):
        load_bundle(bad)
    bad.write_text('{"format": "other"}', "utf-8")
    with pytest.raises(BundleError, match="format"):
        load_bundle(bad)
    with pytest.raises(BundleError):
        load_result(bad)
    with pytest.raises(BundleError, match="malformed draw result"):
        DrawResult.from_json({"format": "tirage-draw-result/1"})
    with pytest.raises(OSError):
        load_bundle(tmp_path / "missing.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3000) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),  # fmt: skip
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield from _paths(v, (*prefix, i))


@functools.cache
def _published_texts() -> tuple[str, str]:
    inst = instance()
    bundle = make_bundle(inst, lottery(inst), objective="leximin", algorithm="test")
    result = make_result(bundle, dice=[4, 2, 7])
    return json.dumps(bundle.data), json.dumps(result.to_json())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_verify_never_raises_on_mangled_content(data):
    bundle, result = (json.loads(text) for text in _published_texts())
    target = data.draw(st.sampled_from(["bundle", "result"]))
    doc = copy.deepcopy(bundle if target == "bundle" else result)
    paths = [p for p in _paths(doc) if p and p[0] != "software"]  # informative only
    path = data.draw(st.sampled_from(paths))
    node = doc
    for key in path[:-1]:
        node = node[key]
    new = data.draw(json_values)
    changed = node[path[-1]] != new
    node[path[-1]] = new
    if target == "bundle":
        report = verify(Bundle(doc), result)
    else:
        report = verify(Bundle(bundle), doc)
    if changed:
        assert not report.ok


def test_announced_commitment(published):
    _, bundle = published
    assert verify(bundle, announced=bundle.commitment.upper()).ok
    other = "0" * 64
    report = verify(bundle, announced=other)
    assert report.problems == [
        f"announced commitment {other} ≠ bundle commitment {bundle.commitment}"
    ]
