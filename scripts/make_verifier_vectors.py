"""Write the shared test vectors of the draw verifiers (Python and browser).

    uv run python scripts/make_verifier_vectors.py [--out tests/vectors/draw]

Valid and tampered bundles and results, built with the real engine (LEXIMIN
solver, rounding, draw) on small pools generated from a fixed seed, so that
running the script again gives the same bytes (``tests/sortition/
test_it_agrees_on_the_vectors.py`` checks it). ``manifest.json`` lists every
case: its files, the commitment announced before the draw, the checks the case
is about (``must_fail``) and the outcome of every check run by
``tirage.sortition.bundle.verify`` (``failing``, ``passing``). The browser
verifier (``src/tirage/draws/static/draws/verifier/``) must give the same
outcome (``tests/browser/test_it_verifies_the_draw_in_the_browser.py``).

Re-run it after any change to the engine or to the bundle format, and commit
the files it writes.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from tirage.sortition.bundle import Bundle, canonical_json, compute_commitment, make_bundle
from tirage.sortition.errors import BundleError
from tirage.sortition.model import Feature, Instance, Person, Quota
from tirage.sortition.result import make_result
from tirage.sortition.rotation import round_types
from tirage.sortition.solve import solve
from tirage.sortition.verify import verify

SEED = 20261201
OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "draw"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # receipt codes, as in tirage.applications.codes
SECTEURS = ["nord", "sud", "est", "ouest", "centre"]
AGES = ["16-29", "30-59", "60+"]
TITLE = "Conseil local du numérique — vecteurs de test"


def receipt_code(rng: random.Random) -> str:
    raw = "".join(rng.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def roubaix_like(rng: random.Random) -> Instance:
    """40 applicants, 8 seats: secteur, genre and âge quotas; three households of two."""
    ids: list[str] = []
    while len(ids) < 40:
        code = receipt_code(rng)
        if code not in ids:
            ids.append(code)
    people = []
    for i, pid in enumerate(ids):
        household = f"foyer {i // 2}" if i < 6 else None
        values = {
            "secteur": SECTEURS[i % 5],
            "genre": "femme" if rng.random() < 0.5 else "homme",
            "âge": rng.choice(AGES),
        }
        people.append(Person(pid, values, household))
    features = (
        Feature("secteur", {s: Quota(1, 2) for s in SECTEURS}, label="Secteur"),
        Feature("genre", {"femme": Quota(4, 4), "homme": Quota(4, 4)}, label="Genre"),
        Feature("âge", {a: Quota(2, 3) for a in AGES}, label="Âge"),
    )
    return Instance(tuple(people), features, 8)


def unicode_ids() -> Instance:
    """Ids whose code-point order differs from their UTF-16 order (U+FF01 < U+1F600)."""
    ids = ["a", "é", "z", "！1", "！2", "😀1", "😀2", "Z"]
    people = tuple(
        Person(pid, {"genre": "femme" if i % 2 else "homme"}) for i, pid in enumerate(ids)
    )
    features = (Feature("genre", {"femme": Quota(1, 2), "homme": Quota(1, 2)}),)
    return Instance(people, features, 3)


def lottery_bundle(instance: Instance, m: int, metadata: dict[str, str]) -> dict:
    solved = solve(instance, objective="leximin")
    assert solved.types is not None
    lottery = round_types(solved.types.model, solved.types.columns, solved.types.weights, m)
    return make_bundle(
        instance, lottery, objective="leximin", algorithm=solved.algorithm, metadata=metadata
    ).data


def recommit(bundle: dict) -> dict:
    bundle = dict(bundle)
    bundle["commitment"] = compute_commitment(bundle)
    return bundle


def with_counts(bundle: dict, panels: list[list[str]]) -> dict:
    """The bundle with other panels, selections and max_change made consistent with them,
    and the rounding method of a lottery rounded over people (no rotation claimed)."""
    bundle = copy.deepcopy(bundle)
    bundle["rounding"]["method"] = (
        "largest-remainder+local-search (Flanigan, Kehne, Procaccia 2021)"
    )
    bundle["panels"] = sorted(panels)
    counts = Counter(pid for panel in panels for pid in panel)
    bundle["selections"] = {p["id"]: counts[p["id"]] for p in bundle["pool"]}
    original = {k: float(v) for k, v in bundle["rounding"]["original_probabilities"].items()}
    change = max(abs(counts[k] / bundle["m"] - v) for k, v in original.items())
    bundle["rounding"]["max_change"] = repr(change)
    return bundle


def exchanged(bundle: dict) -> tuple[dict, tuple[str, str, int, int]]:
    """The bundle where two people with the same feature values (and no household)
    exchange places on two panels that hold one of them each; panels and members re-sorted."""
    panels = bundle["panels"]
    values = {p["id"]: json.dumps(p["values"], sort_keys=True) for p in bundle["pool"]
              if p["household"] is None}  # fmt: skip
    for j, first in enumerate(panels):
        for who in first:
            for k in range(j + 1, len(panels)):
                second = panels[k]
                if who in second:
                    continue
                for other in second:
                    if other in first or values.get(other) != values.get(who) or who not in values:
                        continue
                    a = sorted(other if x == who else x for x in first)
                    b = sorted(who if x == other else x for x in second)
                    if sorted([a, b]) == sorted([first, second]):
                        continue
                    changed = copy.deepcopy(bundle)
                    changed["panels"][j], changed["panels"][k] = a, b
                    changed["panels"].sort()
                    return changed, (who, other, j, k)
    raise SystemExit("no two people of one type to exchange")


def cases(rng: random.Random) -> list[dict[str, Any]]:
    """Every case: name, description, bundle, result (or None), announced, must_fail."""
    instance = roubaix_like(rng)
    # Keys outside the Basic Multilingual Plane and above U+E000: their order differs
    # between code points and UTF-16 code units (section 4).
    metadata = {"title": TITLE, "！": "U+FF01", "😀": "U+1F600"}
    bundle = lottery_bundle(instance, 1000, metadata)
    commitment = bundle["commitment"]
    result = make_result(Bundle(bundle), dice=[4, 2, 7]).to_json()
    panels = bundle["panels"]
    index = result["index"]
    out: list[dict[str, Any]] = []

    def case(name, description, b, r, must_fail, announced=commitment):
        out.append(
            {
                "name": name,
                "description": description,
                "bundle": b,
                "result": r,
                "announced": announced,
                "must_fail": must_fail,
            }
        )

    case("valid-dice", "Dés 4 2 7, m = 1000: every check holds.", bundle, result, [])
    case("valid-bundle-only", "The bundle alone, before the draw.", bundle, None, [])
    case(
        "valid-not-announced",
        "No announced commitment given: nothing fails.",
        bundle,
        result,
        [],
        announced=None,
    )
    seed_result = make_result(Bundle(bundle), seed="Roubaix 2026").to_json()
    case("valid-seed", "Seed « Roubaix 2026 » instead of dice.", bundle, seed_result, [])

    small = lottery_bundle(instance, 300, {"title": TITLE})
    rejected = make_result(Bundle(small), dice=[9, 5, 0, 4, 2, 7]).to_json()
    case(
        "valid-dice-rejected-throw",
        "m = 300: the throw 950 is rejected (>= 900), 427 gives index 127.",
        small,
        rejected,
        [],
        announced=small["commitment"],
    )

    uni = lottery_bundle(unicode_ids(), 1000, {"title": "Identifiants hors ASCII"})
    uni_result = make_result(Bundle(uni), dice=[0, 0, 9]).to_json()
    case(
        "valid-unicode-ids",
        "Ids sorted by code point, not UTF-16 (！ U+FF01 before 😀 U+1F600).",
        uni,
        uni_result,
        [],
        announced=uni["commitment"],
    )

    # -- tampered ---------------------------------------------------------------
    selected = set(result["selected"])
    outsider = next(p for p in bundle["pool"] if p["id"] not in selected)
    changed = copy.deepcopy(bundle)
    for p in changed["pool"]:
        if p["id"] == outsider["id"]:
            p["id"] = "ZZZZ-ZZZZ"
    case(
        "pool-receipt-changed",
        f"One receipt code of the pool changed ({outsider['id']} → ZZZZ-ZZZZ).",
        changed,
        result,
        ["commitment"],
    )

    other = next(j for j in range(len(panels)) if panels[j] != panels[index])
    swapped = copy.deepcopy(bundle)
    swapped["panels"][index], swapped["panels"][other] = panels[other], panels[index]
    case(
        "panel-swapped",
        f"Panels {index} and {other} exchanged after the draw; the result remade from them.",
        swapped,
        make_result(Bundle(swapped), dice=[4, 2, 7]).to_json(),
        ["commitment", "panels"],
    )

    later = next(j for j in range(index + 1, len(panels)) if panels[j] != panels[index])
    forged = copy.deepcopy(result)
    forged["index"] = later
    forged["randomness"]["index"] = later
    forged["selected"] = list(panels[later])
    later_dice = [int(d) for d in f"{later:03d}"]
    forged["reserve"] = make_result(Bundle(bundle), dice=later_dice).to_json()["reserve"]
    case(
        "result-other-index",
        f"The result names panel {later} (with its members and reserve) for the dice 4 2 7.",
        bundle,
        forged,
        ["index", "selection"],
    )

    member_swapped = copy.deepcopy(result)
    member_swapped["selected"][0] = result["reserve"]["order"][0]
    case(
        "result-member-swapped",
        "The result lists the first reserve instead of one drawn member.",
        bundle,
        member_swapped,
        ["selection"],
    )

    dice_changed = copy.deepcopy(result)
    dice_changed["randomness"]["dice"] = [4, 2, 8]
    case(
        "result-dice-changed",
        "The result records the dice 4 2 8 with the panel of 4 2 7.",
        bundle,
        dice_changed,
        ["randomness", "index"],
    )

    quota = copy.deepcopy(bundle)
    nord = next(v for v in quota["features"][0]["values"] if v["value"] == "nord")
    nord["max"] = 1
    case(
        "quota-changed",
        "The secteur quota nord lowered from max 2 to max 1 after the commitment.",
        quota,
        result,
        ["commitment", "panels"],
    )

    probability = copy.deepcopy(bundle)
    probability["selections"][outsider["id"]] += 1
    case(
        "probability-changed",
        f"One published probability raised by 1/1000 ({outsider['id']}).",
        probability,
        result,
        ["commitment", "probabilities"],
    )

    # The organiser replaces the lottery after seeing the dice: one copy of the
    # first panel becomes a copy of another, all counts are made consistent and
    # the bundle is committed again. Every internal check holds; only the
    # commitment announced before the draw tells.
    relisted = [list(p) for p in panels[1:]] + [list(panels[later])]
    recommitted = recommit(with_counts(bundle, relisted))
    case(
        "recommitted",
        "Lottery changed and committed again under a new hash; result remade.",
        recommitted,
        make_result(Bundle(recommitted), dice=[4, 2, 7]).to_json(),
        ["announced commitment"],
    )
    case(
        "recommitted-old-result",
        "Lottery changed and committed again; the result of the announced lottery kept.",
        recommitted,
        result,
        ["announced commitment", "result commitment"],
    )

    # Two people of one type exchange places on two panels: every panel stays valid and
    # every count stays the same, but the panels are no longer the published rotation.
    rotated, (who, other, j, k) = exchanged(bundle)
    rotated = recommit(rotated)
    case(
        "rotation-exchanged",
        f"{who} and {other} (one type) exchange places on panels {j} and {k}, committed again.",
        rotated,
        None,
        ["rotation"],
        announced=rotated["commitment"],
    )

    household = copy.deepcopy(bundle)
    a, b = panels[0][0], panels[0][1]
    for p in household["pool"]:
        if p["id"] in (a, b):
            p["household"] = "h99"
    household = recommit(household)
    case(
        "household-shared",
        f"{a} and {b}, both on panel 0, put in one household and committed again.",
        household,
        None,
        ["panels"],
        announced=household["commitment"],
    )

    unsorted = copy.deepcopy(bundle)
    unsorted["panels"][0] = list(reversed(panels[0]))
    unsorted = recommit(unsorted)
    case(
        "panel-members-unsorted",
        "The members of panel 0 listed in reverse order, committed again.",
        unsorted,
        None,
        ["panels"],
        announced=unsorted["commitment"],
    )

    repeated = copy.deepcopy(bundle)
    repeated["panels"][0] = sorted([panels[0][0], *panels[0][:-1]])
    repeated = recommit(repeated)
    case(
        "panel-member-repeated",
        "Panel 0 lists its first member twice (and drops its last), committed again.",
        repeated,
        None,
        ["panels", "probabilities"],
        announced=repeated["commitment"],
    )

    broken = copy.deepcopy(bundle)
    broken["seats"] = "8"
    case(
        "structure-seats-text",
        "seats written as a string: the structure check fails, later checks are skipped.",
        broken,
        result,
        ["structure"],
    )

    floating = copy.deepcopy(bundle)
    floating["metadata"]["version"] = 1.0
    case(
        "float-in-metadata",
        "A float (1.0) in the metadata: no canonical form, so no commitment.",
        floating,
        result,
        ["commitment"],
    )

    bad_die = copy.deepcopy(result)
    bad_die["randomness"]["dice"] = [4, 2, 10]
    case(
        "result-die-out-of-range",
        "A die recorded as 10: the index cannot be recomputed.",
        bundle,
        bad_die,
        ["index"],
    )
    return out


def outcome(c: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Failing and passing check names of the Python verifier."""
    report = verify(c["bundle"], c["result"], announced=c["announced"])
    failing = [name for name, passed, _ in report.checks if not passed]
    passing = [name for name, passed, _ in report.checks if passed]
    return failing, passing


def _canonical_bytes(data: dict) -> bytes:
    """``canonical_json``, except that a float (a tampered case) is written as such."""
    try:
        return canonical_json(data)
    except BundleError:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")


def write(out: Path) -> list[dict[str, Any]]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    manifest = []
    written: dict[bytes, str] = {}
    for c in cases(random.Random(SEED)):
        failing, passing = outcome(c)
        missing = [name for name in c["must_fail"] if name not in failing]
        if missing or (not c["must_fail"] and failing):
            raise SystemExit(f"{c['name']}: expected {c['must_fail']} to fail, got {failing}")
        entry: dict[str, Any] = {"name": c["name"], "description": c["description"]}
        for kind in ("bundle", "result"):
            if c[kind] is None:
                entry[kind] = None
                continue
            data = _canonical_bytes(c[kind]) + b"\n"
            if data not in written:  # cases that share a file name the first one
                written[data] = f"{c['name']}.{kind}.json"
                (out / written[data]).write_bytes(data)
            entry[kind] = written[data]
        entry |= {
            "announced": c["announced"],
            "must_fail": c["must_fail"],
            "failing": failing,
            "passing": passing,
        }
        manifest.append(entry)
    document = {
        "generated_by": "scripts/make_verifier_vectors.py",
        "seed": SEED,
        "protocol": "docs/draw-protocol.md",
        "cases": manifest,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    for entry in write(args.out):
        print(f"{entry['name']:28} fails {', '.join(entry['failing']) or '-'}")


if __name__ == "__main__":
    main()
