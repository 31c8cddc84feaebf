"""Build the street table shipped in ``src/tirage/geo/data/``.

Not run at runtime nor in the tests: run it by hand when the source data change,
then commit the outputs::

    uv run python scripts/build_geo_data.py [SOURCE_DIR]

``SOURCE_DIR`` (default ``/work/shared/data/roubaix``) must hold the files described
in ``src/tirage/geo/data/PROVENANCE.md``:

* ``iris_roubaix_ign_irisge.geojson``: the 38 IRIS polygons (IGN IRIS-GE);
* ``iris_quartier_secteur.csv``: IRIS → quartier → secteur (checked against
  the shipped ``iris.csv``);
* ``bdtopo_roubaix_voies.geojson``: BD TOPO named streets with BAN street ids;
* ``osm_roubaix_noms.json``: OpenStreetMap street names with FANTOIR codes.

Outputs (UTF-8 JSON, one street per line for readable diffs):

* ``streets.json`` (IGN BD TOPO + IGN/INSEE IRIS, Licence Ouverte 2.0): every named
  street of Roubaix with the IRIS its centreline crosses and the length in each;
* ``osm_names.json`` (OpenStreetMap, ODbL 1.0): alternative names and FANTOIR
  codes per street id. Kept apart so that only this file falls under the ODbL.

Method
------
1. BD TOPO features are grouped by BAN street id (``identifiant_voie_ban``). A
   feature without a BAN id joins the street whose normalised name
   (:func:`tirage.geo.normalize.normalize_street`) is the same; otherwise it becomes
   its own street, grouped by normalised name, with id ``bdtopo:<smallest cleabs>``.
2. Coordinates are projected to local metres with an equirectangular projection
   centred on Roubaix (lat 50.69°, spherical Earth): lengths are within about
   0.5 % (a few centimetres on 15 m). pyproj is not a dependency.
3. Each street's lines are intersected with each IRIS polygon. An IRIS is kept if
   the street runs at least ``SLIVER_M`` = 15 m inside it. This drops the slivers
   of a side street that ends on (or just past) the centreline of a border street:
   on the 2026-06 data, 209 pieces are dropped, median 3 m, 198 under 10 m, the
   longest 14.2 m; the shortest kept piece of a multi-IRIS street is 16.2 m.
   A street shorter than 15 m everywhere keeps its longest IRIS. Streets that run
   *along* an IRIS boundary zigzag across it and keep both sides: that is
   correct, the two sides of the street are in different IRIS.
4. OSM names join by FANTOIR code (``ref:FR:FANTOIR`` starting with ``59512``,
   whose 4 digits after the commune code are the BAN id suffix), then by
   normalised name. Names whose normalised form equals another street's official
   name are not added (they would make lookups ambiguous). Elements with another
   commune's FANTOIR code are ignored.
5. An OSM name with a Roubaix FANTOIR code that joins no street that way either
   joins a BD TOPO street whose id is not a FANTOIR-based BAN id, if the type
   agrees and the spelling is close (``token_sort_ratio`` ≥ ``CLOSE_NAME_SCORE``
   = 88: "Cour d'Haluin" → "Cour D'Halluin"), or is listed as ``unlocated``: a real
   street with no geometry (the lookup knows its name, not its secteur).

Prints counts (streets, streets crossing several secteurs, OSM joins).
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz
from shapely import transform, unary_union
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tirage.geo.normalize import ARTICLES, normalize_street  # noqa: E402

OUT = ROOT / "src" / "tirage" / "geo" / "data"
SLIVER_M = 15.0
CLOSE_NAME_SCORE = 88  # rapidfuzz token_sort_ratio on normalised cores
LAT0, LON0 = 50.69, 3.18
EARTH_RADIUS_M = 6_371_008.8
INSEE_ROUBAIX = "59512"

TYPE_LABELS = {
    "rue": "Rue", "boulevard": "Boulevard", "avenue": "Avenue", "place": "Place",
    "impasse": "Impasse", "allee": "Allée", "chemin": "Chemin", "square": "Square",
    "faubourg": "Faubourg", "quai": "Quai", "passage": "Passage", "rondpoint": "Rond-point",
    "parvis": "Parvis", "cite": "Cité", "hameau": "Hameau", "cour": "Cour", "cours": "Cours",
    "contour": "Contour", "mail": "Mail", "voie": "Voie", "pont": "Pont",
    "promenade": "Promenade", "sentier": "Sentier", "residence": "Résidence", "clos": "Clos",
    "enclos": "Enclos", "pavillon": "Pavillon", "immeuble": "Immeuble", "jardin": "Jardin",
    "parc": "Parc", "passerelle": "Passerelle", "placette": "Placette",
    "giratoire": "Giratoire",
}  # fmt: skip


def _project(geom):
    """Project a lon/lat geometry to local metres (equirectangular, see module doc)."""
    kx = EARTH_RADIUS_M * math.cos(math.radians(LAT0)) * math.pi / 180
    ky = EARTH_RADIUS_M * math.pi / 180
    return transform(geom, lambda xy: (xy - (LON0, LAT0)) * (kx, ky))


def is_upper(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def prettify(name: str) -> str:
    """Readable label for an all-caps abbreviated BD TOPO name ("R BLIDA" → "Rue Blida")."""
    n = normalize_street(name)
    words = name.replace("'", "' ").split()
    out: list[str] = []
    start = 1 if n.kind else 0
    if n.kind:
        out.append(TYPE_LABELS.get(n.kind, n.kind.capitalize()))
    for w in words[start:]:
        low = w.lower()
        if low.rstrip("'") in ARTICLES:
            out.append(low)
        else:
            out.append("-".join(p.capitalize() for p in low.split("-")))
    return " ".join(out).replace("' ", "'")


def load_iris(src: Path):
    gj = json.loads((src / "iris_roubaix_ign_irisge.geojson").read_text(encoding="utf-8"))
    polys = {}
    for f in gj["features"]:
        code = f["properties"]["dcomiris"]
        polys[code] = _project(shape(f["geometry"]))
    assert len(polys) == 38, len(polys)
    shipped = {}
    with (OUT / "iris.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            shipped[row["code"]] = row
    with (src / "iris_quartier_secteur.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            s = shipped[row["code_iris"]]
            assert s["name"] == row["nom_iris"], row
            assert s["secteur"] == row["secteur"].removeprefix("QUARTIERS ").lower(), row
            assert s["quartier"] == "Q" + row["grand_quartier"], row
    assert set(shipped) == set(polys)
    return polys


def write_area_geojson(src: Path) -> None:
    """Write ``secteurs_roubaix.geojson`` and ``quartiers_roubaix.geojson`` (WGS84).

    Unions of the IRIS-GE polygons grouped by the shipped ``iris.csv``; properties
    ``code`` and ``label`` use the product's codes (``nord``…, ``Q01``…); coordinates
    are rounded to 6 decimals (about 0.1 m).
    """
    gj = json.loads((src / "iris_roubaix_ign_irisge.geojson").read_text(encoding="utf-8"))
    geoms = {f["properties"]["dcomiris"]: shape(f["geometry"]) for f in gj["features"]}
    with (OUT / "iris.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (OUT / "secteurs.csv").open(encoding="utf-8") as fh:
        secteur_labels = {r["code"]: r["label"] for r in csv.DictReader(fh)}
    with (OUT / "quartiers.csv").open(encoding="utf-8") as fh:
        quartier_labels = {r["code"]: r["label"] for r in csv.DictReader(fh)}
    for field, labels, name in (
        ("secteur", secteur_labels, "secteurs_roubaix.geojson"),
        ("quartier", quartier_labels, "quartiers_roubaix.geojson"),
    ):
        features = []
        for code, label in labels.items():
            members = sorted(r["code"] for r in rows if r[field] == code)
            union = unary_union([geoms[c] for c in members])
            union = transform(union, lambda a: a.round(6))
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": code, "label": label, "iris": ";".join(members)},
                    "geometry": mapping(union),
                }
            )
        fc = {
            "type": "FeatureCollection",
            "source": "IGN/INSEE IRIS-GE (Licence Ouverte 2.0), grouped by "
            "scripts/build_geo_data.py",
            "features": features,
        }
        (OUT / name).write_text(
            json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )


def group_bdtopo(src: Path):
    gj = json.loads((src / "bdtopo_roubaix_voies.geojson").read_text(encoding="utf-8"))
    features = gj["features"]
    key_to_ids: dict[str, set[str]] = defaultdict(set)
    for f in features:
        p = f["properties"]
        if p["identifiant_voie_ban"]:
            key_to_ids[normalize_street(p["nom"]).key].add(p["identifiant_voie_ban"])
            key_to_ids[normalize_street(p["nom_normalise"]).key].add(p["identifiant_voie_ban"])
    groups: dict[str, list[dict]] = defaultdict(list)
    joined_by_name = 0
    orphan_key_to_id: dict[str, str] = {}
    for f in sorted(features, key=lambda f: f["properties"]["cleabs"]):
        p = f["properties"]
        sid = p["identifiant_voie_ban"]
        if not sid:
            key = normalize_street(p["nom"]).key
            ids = key_to_ids.get(key, set())
            if len(ids) == 1:
                sid = next(iter(ids))
                joined_by_name += 1
            else:
                sid = orphan_key_to_id.setdefault(key, "bdtopo:" + p["cleabs"])
        groups[sid].append(f)
    return gj.get("source", ""), groups, joined_by_name, len(features)


def load_osm(src: Path):
    data = json.loads((src / "osm_roubaix_noms.json").read_text(encoding="utf-8"))
    return data


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else Path("/work/shared/data/roubaix")
    iris = load_iris(src)
    write_area_geojson(src)
    source, groups, joined_by_name, n_features = group_bdtopo(src)

    streets = []
    for sid, feats in groups.items():
        names = Counter(f["properties"]["nom"] for f in feats)
        readable = [n for n, _ in names.most_common() if not is_upper(n)]
        label = readable[0] if readable else prettify(names.most_common(1)[0][0])
        kinds = Counter(f["properties"]["type_voie"] for f in feats)
        geom = unary_union([_project(shape(f["geometry"])) for f in feats])
        total = geom.length
        lengths = {code: geom.intersection(poly).length for code, poly in iris.items()}
        lengths = {c: v for c, v in lengths.items() if v > 0}
        kept = {c: v for c, v in lengths.items() if v >= SLIVER_M}
        if not kept and lengths:
            best = max(lengths, key=lengths.get)
            kept = {best: lengths[best]}
        raw_names = sorted(
            {f["properties"]["nom"] for f in feats}
            | {f["properties"]["nom_normalise"] for f in feats}
        )
        streets.append(
            {
                "id": sid,
                "label": label,
                "type": kinds.most_common(1)[0][0],
                "length_m": round(total, 1),
                "outside_m": round(max(0.0, total - sum(lengths.values())), 1),
                "iris": sorted(([c, round(v, 1)] for c, v in kept.items()), key=lambda cv: -cv[1]),
                "dropped_iris": sorted(
                    ([c, round(v, 1)] for c, v in lengths.items() if c not in kept),
                    key=lambda cv: -cv[1],
                ),
                "bdtopo_names": [n for n in raw_names if n != label],
                "cleabs": sorted(f["properties"]["cleabs"] for f in feats),
                "_prettified": not readable,
            }
        )

    # Readable labels for all-caps streets: an OSM name with the same normalised key.
    osm = load_osm(src)
    official_key_to_ids: dict[str, set[str]] = defaultdict(set)
    by_id = {s["id"]: s for s in streets}
    for s in streets:
        official_key_to_ids[normalize_street(s["label"]).key].add(s["id"])
    osm_names: dict[str, dict] = defaultdict(lambda: {"fantoir": [], "names": []})
    unmatched: Counter = Counter()
    unlocated: dict[str, set[str]] = defaultdict(set)
    foreign_fantoir = 0
    for el in osm["elements"]:
        tags = el["tags"]
        names = [tags["name"]] + [n for n in tags.get("alt_name", "").split(";") if n]
        names += [tags[k] for k in ("old_name", "official_name", "short_name") if k in tags]
        fantoir = tags.get("ref:FR:FANTOIR", "")
        target = None
        if fantoir:
            if not fantoir.startswith(INSEE_ROUBAIX):
                foreign_fantoir += 1
                continue  # a street of a neighbouring commune
            ban = f"{INSEE_ROUBAIX}_{fantoir[5:9]}"
            if ban in by_id:
                target = ban
        if target is None:
            ids = official_key_to_ids.get(normalize_street(tags["name"]).key, set())
            if len(ids) == 1:
                target = next(iter(ids))
        if target is None:
            unmatched[tags["name"]] += 1
            if fantoir:
                # A Roubaix FANTOIR code but no BD TOPO line: known name, no geometry.
                unlocated[tags["name"]].add(fantoir[:9])
            continue
        entry = osm_names[target]
        if fantoir and fantoir[:9] not in entry["fantoir"]:
            entry["fantoir"].append(fantoir[:9])
        for n in names:
            owners = official_key_to_ids.get(normalize_street(n).key, set())
            if owners and target not in owners:
                continue
            if n not in entry["names"] and n != by_id[target]["label"]:
                entry["names"].append(n)

    relabelled = 0
    for s in streets:
        # The label was prettified from an all-caps name: prefer OSM's spelling.
        if not s.pop("_prettified"):
            continue
        key = normalize_street(s["label"]).key
        for n in osm_names.get(s["id"], {}).get("names", []):
            if normalize_street(n).key == key and not is_upper(n):
                osm_names[s["id"]]["names"].remove(n)
                osm_names[s["id"]]["names"].append(s["label"])
                s["label"] = n
                relabelled += 1
                break

    streets.sort(key=lambda s: (normalize_street(s["label"]).core, s["label"], s["id"]))
    meta = {
        "source": f"IGN – BD TOPO® ({source}); IRIS: IGN/INSEE IRIS-GE (via medrbx/kibini)",
        "licence": "Licence Ouverte / Etalab 2.0",
        "built_by": "scripts/build_geo_data.py",
        "sliver_threshold_m": SLIVER_M,
        "projection": f"local equirectangular, centre lat {LAT0} lon {LON0}, metres",
        "bdtopo_features": n_features,
        "features_joined_by_name": joined_by_name,
    }
    write_lines(OUT / "streets.json", meta, "streets", streets)
    osm_meta = {
        "source": "OpenStreetMap, Overpass API, base "
        + osm["osm3s"]["timestamp_osm_base"]
        + " (via ragbx/rbx-bnr-data)",
        "attribution": "© les contributeurs d'OpenStreetMap",
        "licence": "Open Database Licence (ODbL) 1.0",
        "built_by": "scripts/build_geo_data.py",
    }
    unlocated_list = []
    merged_by_close_name = 0
    without_fantoir = [
        (normalize_street(st["label"]), st["id"])
        for st in streets
        if not re.fullmatch(rf"{INSEE_ROUBAIX}_\d{{4}}", st["id"])
    ]
    for name, codes in sorted(unlocated.items()):
        n = normalize_street(name)
        if n.key in official_key_to_ids:
            continue
        # BD TOPO streets whose BAN id is not a FANTOIR code (59512_ab12cd, bdtopo:…)
        # cannot be joined by code: join a close spelling of the same type instead.
        close = [
            (fuzz.token_sort_ratio(n.core, other.core), sid)
            for other, sid in without_fantoir
            if not n.kind or not other.kind or n.kind == other.kind
        ]
        score, sid = max(close) if close else (0, "")
        if score >= CLOSE_NAME_SCORE:
            entry = osm_names[sid]
            entry["fantoir"].extend(c for c in sorted(codes) if c not in entry["fantoir"])
            if name not in entry["names"]:
                entry["names"].append(name)
            merged_by_close_name += 1
            continue
        uid = f"{INSEE_ROUBAIX}_{min(codes)[5:9]}"
        if uid in by_id or any(u["id"] == uid for u in unlocated_list):
            uid = "osm:" + min(codes)
        unlocated_list.append({"id": uid, "label": name, "fantoir": sorted(codes)})
    osm_list = [
        {"id": sid, "fantoir": sorted(e["fantoir"]), "names": e["names"]}
        for sid, e in sorted(osm_names.items())
        if e["fantoir"] or e["names"]
    ]
    write_lines(
        OUT / "osm_names.json",
        osm_meta,
        "names",
        osm_list,
        extra=("unlocated", unlocated_list),
    )

    n_multi = 0
    secteur_of = {}
    with (OUT / "iris.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            secteur_of[row["code"]] = row["secteur"]
    for s in streets:
        if len({secteur_of[c] for c, _ in s["iris"]}) > 1:
            n_multi += 1
    print(f"BD TOPO features: {n_features}, joined to a BAN street by name: {joined_by_name}")
    print(f"streets: {len(streets)}; crossing several secteurs: {n_multi}")
    print(f"streets with no IRIS (outside the commune): {sum(1 for s in streets if not s['iris'])}")
    print(
        f"OSM: elements of other communes skipped: {foreign_fantoir}; "
        f"names not matched: {len(unmatched)}; relabelled from OSM: {relabelled}; "
        f"Roubaix FANTOIR names without BD TOPO line: {len(unlocated_list)} "
        f"(+{merged_by_close_name} joined to a BD TOPO street by close spelling)"
    )


def write_lines(
    path: Path, meta: dict, key: str, rows: list[dict], extra: tuple[str, list] | None = None
) -> None:
    """Write ``{"meta": meta, key: rows[, extra[0]: extra[1]]}`` with one row per line."""

    def block(name: str, items: list[dict]) -> str:
        body = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in items)
        return '"' + name + '":[\n' + body + "\n]"

    parts = ['{"meta":' + json.dumps(meta, ensure_ascii=False, indent=1), block(key, rows)]
    if extra:
        parts.append(block(*extra))
    path.write_text(",\n".join(parts) + "}\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
