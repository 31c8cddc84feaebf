// The checks of docs/draw-protocol.md, section 7, with plain French messages.
//
// verify() takes the bytes of the bundle (and of the result), the commitment
// the person noted before the draw and the dice they saw, and returns a report:
// {checks: [{id, label, status: "pass" | "fail" | "skip", detail, problems}], facts}.
// It trusts nothing in the files but the bytes of the bundle and the recorded
// dice or seed. Written from the protocol document, not from the Python code.

import {
  BUNDLE_FORMAT,
  JsonNumber,
  ProtocolError,
  RESULT_FORMAT,
  canonicalJson,
  commitmentOf,
  compareCodePoints,
  indexFromDice,
  indexFromSeed,
  parseJson,
  randomnessLabel,
  reserveKey,
  sortByCodePoint,
} from "./protocol.js";
import { KNOWN_BUNDLE_FORMATS, peoplePanels } from "./panels.js";

/** Check ids (as named by `tirage sortition verify`) and their French labels, in order. */
export const CHECKS = [
  ["bundle file", "Lecture du fichier de la loterie"],
  ["format", "Format de la loterie"],
  ["commitment", "Empreinte de la loterie"],
  ["announced commitment", "Empreinte annoncée avant le tirage"],
  ["structure", "Structure de la loterie"],
  ["pool", "Vivier, caractéristiques et quotas"],
  ["panels", "Panels : sièges, quotas et foyers"],
  ["probabilities", "Chance de chaque personne"],
  ["rounding", "Écart dû à l'arrondi"],
  ["rotation", "Rotation des personnes au sein de chaque type"],
  ["result file", "Lecture du fichier du résultat"],
  ["result structure", "Structure du résultat"],
  ["result commitment", "Empreinte citée par le résultat"],
  ["result format", "Format du résultat"],
  ["randomness", "Dés ou graine enregistrés"],
  ["index", "Numéro du panel tiré"],
  ["selection", "Membres tirés au sort"],
  ["reserve", "Liste de réserve"],
  ["noted dice", "Dés que vous avez notés"],
];
const LABELS = new Map(CHECKS);
const MAX_SHOWN = 20;

// -- French formatting ---------------------------------------------------------------

const integer = new Intl.NumberFormat("fr-FR");
const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 2 });
const decimal = new Intl.NumberFormat("fr-FR", { maximumSignificantDigits: 6 });

const n = (x) => integer.format(x);
const chance = (count, m) => `${percent.format(count / m)} (${n(count)} sur ${n(m)})`;
const plural = (count, one, many) => `${n(count)} ${count > 1 ? many : one}`;

function show(value) {
  if (value === undefined) return "rien";
  if (value instanceof JsonNumber) return value.source;
  if (Array.isArray(value)) return "une liste";
  if (value !== null && typeof value === "object") return "un objet";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? text.slice(0, 57) + "…" : text;
}

/** A value shown between « » : a text as it is (no JSON quotes), anything else as show() does. */
function quoted(value) {
  if (typeof value !== "string") return show(value);
  return value.length > 60 ? value.slice(0, 57) + "…" : value;
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof JsonNumber);
const isInt = (v) => typeof v === "number" && Number.isSafeInteger(v);
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function compareLists(a, b) {
  const k = Math.min(a.length, b.length);
  for (let i = 0; i < k; i++) {
    const c = compareCodePoints(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// -- the report -----------------------------------------------------------------------

class Report {
  constructor() {
    this.checks = [];
    this.facts = {};
  }
  add(id, status, detail, problems = []) {
    const shown = problems.slice(0, MAX_SHOWN);
    if (problems.length > MAX_SHOWN) shown.push(`… et ${plural(problems.length - MAX_SHOWN, "autre problème", "autres problèmes")}.`);
    this.checks.push({ id, label: LABELS.get(id), status, detail, problems: shown });
  }
  pass(id, detail) {
    this.add(id, "pass", detail);
  }
  fail(id, problems, detail = "") {
    this.add(id, "fail", detail, problems);
  }
  check(id, problems, detail) {
    if (problems.length) this.fail(id, problems);
    else this.pass(id, detail);
  }
  skip(id, why) {
    this.add(id, "skip", why);
  }
  skipRest(ids, why) {
    for (const id of ids) if (!this.checks.some((c) => c.id === id)) this.skip(id, why);
  }
}

const BUNDLE_CHECKS = ["format", "commitment", "announced commitment", "structure", "pool", "panels", "probabilities", "rounding", "rotation"];
const RESULT_CHECKS = ["result structure", "result commitment", "result format", "randomness", "index", "selection", "reserve"];

// -- structure (section 4, "Types"; section 7, checks 4 and 10) ----------------------------------

const str = (v, where, out) => {
  if (typeof v !== "string") out.push(`${where} : texte attendu, trouvé ${show(v)}`);
};
const optStr = (v, where, out) => {
  if (v !== null) str(v, where, out);
};
const any = () => {};
const int = (min) => (v, where, out) => {
  if (v instanceof JsonNumber && v.isInteger) out.push(`${where} : nombre entier trop grand pour être lu exactement (${v.source})`);
  else if (!isInt(v)) out.push(`${where} : nombre entier attendu, trouvé ${show(v)}`);
  else if (v < min) out.push(`${where} : nombre entier au moins égal à ${min} attendu, trouvé ${v}`);
};
const list = (item) => (v, where, out) => {
  if (!Array.isArray(v)) return out.push(`${where} : liste attendue, trouvé ${show(v)}`);
  for (let i = 0; i < v.length && out.length < 50; i++) {
    if (item !== str || typeof v[i] !== "string") item(v[i], `${where}[${i}]`, out);
  }
};
const map = (item) => (v, where, out) => {
  if (!isObject(v)) return out.push(`${where} : objet attendu, trouvé ${show(v)}`);
  for (const k of Object.keys(v)) {
    if (out.length >= 50) return;
    item(v[k], `${where}.${k}`, out);
  }
};
const obj = (required, optional = {}) => (v, where, out) => {
  if (!isObject(v)) return out.push(`${where} : objet attendu, trouvé ${show(v)}`);
  for (const [name, item] of Object.entries(required)) {
    if (!Object.hasOwn(v, name)) out.push(`${where}.${name} : absent`);
    else item(v[name], `${where}.${name}`, out);
  }
  for (const [name, item] of Object.entries(optional)) {
    if (Object.hasOwn(v, name)) item(v[name], `${where}.${name}`, out);
  }
};

const BUNDLE_SHAPE = obj(
  {
    format: str,
    commitment: str,
    seats: int(1),
    m: int(1),
    features: list(obj({ name: str, values: list(obj({ value: str, min: int(0), max: int(0) }, { label: str })) }, { label: str })),
    pool: list(obj({ id: str, values: map(str) }, { household: optStr })),
    panels: list(list(str)),
    selections: map(int(0)),
  },
  { rounding: obj({}, { method: str, max_change: str, bound: str, original_probabilities: map(str) }), metadata: any },
);

const RESULT_SHAPE = obj({
  format: str,
  commitment: str,
  randomness: obj({ method: str }, { dice: list(any), seed: any }),
  index: int(0),
  selected: list(str),
  reserve: obj({ order: list(str), seats: map(list(str)) }),
});

function shapeProblems(shape, value, where) {
  const out = [];
  shape(value, where, out);
  return out.slice(0, 50);
}

// -- pool (check 5) --------------------------------------------------------------------

function repeated(items) {
  const seen = new Map();
  for (const x of items) seen.set(x, (seen.get(x) ?? 0) + 1);
  return [...seen].filter(([, c]) => c > 1);
}

/** The pool as the checks need it; `problems` lists what makes it inconsistent. */
function readPool(bundle) {
  const problems = [];
  const names = bundle.features.map((f) => f.name);
  for (const [name, c] of repeated(names)) problems.push(`La caractéristique « ${name} » est listée ${c} fois.`);
  const slots = []; // one per (feature, value): {name, value, min, max}
  const features = bundle.features.map((f) => {
    const values = new Map();
    for (const [value, c] of repeated(f.values.map((v) => v.value))) {
      problems.push(`La valeur « ${value} » de la caractéristique « ${f.name} » est listée ${c} fois.`);
    }
    for (const v of f.values) {
      if (v.min > v.max) problems.push(`Quota ${f.name} = ${v.value} : le minimum ${v.min} dépasse le maximum ${v.max}.`);
      if (!values.has(v.value)) {
        values.set(v.value, slots.length);
        slots.push({ name: f.name, value: v.value, min: v.min, max: v.max });
      }
    }
    return { name: f.name, values };
  });
  // People are numbered 0 … n-1 in pool order; their data sit in flat typed
  // arrays (fast on 30,000 people and 10,000 panels of 150).
  const F = features.length;
  const index = new Map(); // id -> number
  const valueSlots = new Int32Array(bundle.pool.length * F); // person i, feature f: slot
  const typeOf = new Int32Array(bundle.pool.length); // people with the same values share a type
  const householdOf = new Int32Array(bundle.pool.length); // -1: no household
  const types = new Map();
  const households = new Map(); // household pseudonym -> number
  for (const p of bundle.pool) {
    if (index.has(p.id)) {
      problems.push(`Le numéro ${p.id} figure plusieurs fois dans le vivier.`);
      continue;
    }
    const i = index.size;
    index.set(p.id, i);
    const missing = names.filter((name) => !Object.hasOwn(p.values, name));
    const extra = Object.keys(p.values).filter((k) => !names.includes(k)).sort(compareCodePoints);
    if (missing.length) problems.push(`${p.id} n'a pas de valeur pour ${missing.map((x) => `« ${x} »`).join(", ")}.`);
    if (extra.length) problems.push(`${p.id} a une valeur pour une caractéristique inconnue : ${extra.map((x) => `« ${x} »`).join(", ")}.`);
    features.forEach((f, k) => {
      const value = p.values[f.name];
      const slot = f.values.get(value);
      if (Object.hasOwn(p.values, f.name) && slot === undefined) {
        problems.push(`${p.id} a la valeur « ${value} » pour « ${f.name} », qui n'a pas de quota.`);
      }
      valueSlots[i * F + k] = slot ?? -1;
    });
    const typeKey = valueSlots.subarray(i * F, i * F + F).join(",");
    if (!types.has(typeKey)) types.set(typeKey, types.size);
    typeOf[i] = types.get(typeKey);
    const household = p.household || null; // absent, null or "": no household
    if (household !== null && !households.has(household)) households.set(household, households.size);
    householdOf[i] = household === null ? -1 : households.get(household);
  }
  const ids = [...index.keys()];
  // Rank of each person's id in code-point order: panels compare as numbers.
  const rank = new Int32Array(ids.length);
  const byRank = new Int32Array(ids.length);
  sortByCodePoint([...ids]).forEach((id, r) => {
    rank[index.get(id)] = r;
    byRank[r] = index.get(id);
  });
  return {
    problems, features, slots, F, index, ids, valueSlots, typeOf, householdOf, rank, byRank,
    typeCount: types.size, householdCount: households.size, seats: bundle.seats,
  };
}

// -- panels (check 6) ------------------------------------------------------------------

/** A panel as person numbers (-1 for an id outside the pool). */
function numbered(pool, panel) {
  const out = new Int32Array(panel.length);
  for (let i = 0; i < panel.length; i++) out[i] = pool.index.get(panel[i]) ?? -1;
  return out;
}

/** Scratch arrays for panelViolations, reused from panel to panel ("seen in
 * the panel of this epoch" instead of a new Set per panel). */
function scratchFor(pool) {
  return {
    epoch: 0,
    seen: new Int32Array(pool.ids.length).fill(-1),
    householdSeen: new Int32Array(pool.householdCount).fill(-1),
    householdFirst: new Int32Array(pool.householdCount),
    counts: new Int32Array(pool.slots.length),
  };
}

/** Why a panel of people is not valid (section 4), as French sentences; [] if
 * valid. `members`: the panel as person numbers. */
function panelViolations(pool, panel, members, scratch) {
  const why = [];
  const shared = [];
  const epoch = ++scratch.epoch;
  const { seen, householdSeen, householdFirst, counts } = scratch;
  const { F, valueSlots, householdOf, rank } = pool;
  counts.fill(0);
  if (panel.length !== pool.seats) why.push(`${plural(panel.length, "membre", "membres")} pour ${plural(pool.seats, "siège", "sièges")}`);
  let twice = false;
  let unknown = 0;
  let sorted = true;
  for (let k = 0; k < members.length; k++) {
    const i = members[k];
    if (i < 0) {
      unknown++;
      sorted = false; // checked below by code point
      continue;
    }
    if (k > 0 && members[k - 1] >= 0 && rank[members[k - 1]] > rank[i]) sorted = false;
    if (seen[i] === epoch) {
      twice = true; // a repeated member counts once
      continue;
    }
    seen[i] = epoch;
    for (let f = 0; f < F; f++) counts[valueSlots[i * F + f]]++;
    const h = householdOf[i];
    if (h >= 0) {
      if (householdSeen[h] === epoch) shared.push(`${pool.ids[householdFirst[h]]} et ${pool.ids[i]} sont du même foyer`);
      householdSeen[h] = epoch;
      householdFirst[h] = i;
    }
  }
  if (unknown) {
    const outside = panel.filter((id) => !pool.index.has(id));
    if (new Set(outside).size !== outside.length) twice = true;
    sorted = panel.every((id, k) => k === 0 || compareCodePoints(panel[k - 1], id) <= 0);
    if (twice) why.push("un numéro y figure deux fois");
    why.push(`${outside.slice(0, 5).join(", ")} ${outside.length > 1 ? "ne sont" : "n'est"} pas dans le vivier`);
  } else if (twice) {
    why.push("un numéro y figure deux fois");
  }
  if (!sorted) why.push("les numéros ne sont pas rangés dans l'ordre");
  pool.slots.forEach((q, slot) => {
    const c = counts[slot];
    if (c < q.min) why.push(`${q.name} = ${q.value} compte ${plural(c, "membre", "membres")}, moins que le minimum ${q.min}`);
    else if (c > q.max) why.push(`${q.name} = ${q.value} compte ${plural(c, "membre", "membres")}, plus que le maximum ${q.max}`);
  });
  return why.concat(shared);
}

/** Problems with the panels (check 6), and how many panels hold each person. */
/** "Panel n° 17 : …" or, when several panels break the same rule,
 * "Panels n° 0, 1, 3, 5, 8 et 518 autres : …". */
function groupedByReason(reasons) {
  return [...reasons].map(([why, panels]) => {
    if (panels.length === 1) return `Panel n° ${panels[0]} : ${why}.`;
    const shown = panels.slice(0, 5).join(", ");
    const more = panels.length > 5 ? ` et ${n(panels.length - 5)} autres` : "";
    return `Panels n° ${shown}${more} (${n(panels.length)} panels) : ${why}.`;
  });
}

/** Problems with the panels (check 6), and how many panels hold each person. */
function panelProblems(pool, panels, m) {
  const count = panels.length === m ? [] : [`La loterie compte ${plural(panels.length, "panel", "panels")} au lieu de m = ${n(m)}.`];
  const problems = []; // panels out of canonical order
  const reasons = new Map(); // reason -> panel numbers, in order
  const scratch = scratchFor(pool);
  const selections = new Int32Array(pool.ids.length);
  let previous = null;
  let previousWhy = [];
  for (let j = 0; j < panels.length; j++) {
    const panel = panels[j];
    const members = numbered(pool, panel);
    for (const i of members) if (i >= 0) selections[i]++;
    const same = previous !== null && sameList(previous, panel); // a panel listed c times
    const why = same ? previousWhy : panelViolations(pool, panel, members, scratch);
    for (const w of why) {
      if (!reasons.has(w)) reasons.set(w, []);
      reasons.get(w).push(j);
    }
    if (previous !== null && !same && compareLists(previous, panel) > 0) {
      problems.push(`Les panels n° ${j - 1} et ${j} ne sont pas dans l'ordre convenu.`);
    }
    previous = panel;
    previousWhy = why;
  }
  return { problems: [...count, ...groupedByReason(reasons), ...problems], selections };
}

// -- probabilities (check 7) and rounding (check 8) -------------------------------------

function probabilityProblems(pool, counts, selections, m) {
  const problems = [];
  pool.ids.forEach((id, i) => {
    const published = Object.hasOwn(selections, id) ? selections[id] : undefined;
    const actual = counts[i];
    if (published === undefined) problems.push(`${id} : aucune chance publiée (elle figure dans ${chance(actual, m)} des panels).`);
    else if (published !== actual) {
      problems.push(`${id} figure dans ${plural(actual, "panel", "panels")} : chance ${chance(actual, m)} ; la loterie publie ${chance(published, m)}.`);
    }
  });
  for (const id of Object.keys(selections)) {
    if (!pool.index.has(id)) problems.push(`La loterie publie une chance pour ${id}, qui n'est pas dans le vivier.`);
  }
  return problems;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function readDecimal(text) {
  if (typeof text !== "string" || !DECIMAL.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

function checkRounding(report, bundle, m) {
  const rounding = bundle.rounding;
  if (!isObject(rounding) || !Object.hasOwn(rounding, "original_probabilities")) {
    return report.skip("rounding", "La loterie ne publie pas les chances calculées avant l'arrondi : rien à comparer.");
  }
  const published = readDecimal(rounding.max_change);
  const original = Object.entries(rounding.original_probabilities).map(([id, text]) => [id, readDecimal(text)]);
  if (Number.isNaN(published) || original.some(([, p]) => Number.isNaN(p))) {
    return report.fail("rounding", ["L'écart publié ou les chances avant arrondi ne sont pas des nombres décimaux (par exemple 0.1)."]);
  }
  let change = 0;
  for (const [id, p] of original) {
    const s = isInt(bundle.selections[id]) && Object.hasOwn(bundle.selections, id) ? bundle.selections[id] : 0;
    change = Math.max(change, Math.abs(s / m - p));
  }
  if (Math.abs(change - published) > 1e-9) {
    return report.fail("rounding", [`La loterie publie un écart maximal de ${decimal.format(published)} ; recalculé : ${decimal.format(change)}.`]);
  }
  report.pass(
    "rounding",
    `L'arrondi de la loterie à ${plural(m, "panel", "panels")} a changé la chance d'une personne d'au plus ${decimal.format(change)} (${decimal.format(change * 100)} point de pourcentage), comme publié.`,
  );
}

// -- rotation (section 1, "Rotation of people within types"; section 7, check 9) -----------------------

/** Prefix of rounding.method of a lottery rounded over types. */
const ROTATION_METHOD = "type-rotation/";

/** The types of section 1: the same value for every feature, except that a person who
 * shares a household with somebody else in the pool is a type of their own. Members are
 * person numbers sorted by id (code points); types are ordered by their first member. */
function rotationTypes(pool) {
  const n = pool.ids.length;
  const sharing = new Int32Array(pool.householdCount);
  for (let i = 0; i < n; i++) if (pool.householdOf[i] >= 0) sharing[pool.householdOf[i]]++;
  const groups = new Map();
  for (let i = 0; i < n; i++) {
    const h = pool.householdOf[i];
    const key = h >= 0 && sharing[h] > 1 ? `${pool.typeOf[i]}#${i}` : `${pool.typeOf[i]}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(i);
  }
  const members = [...groups.values()].map((list) => list.sort((a, b) => pool.rank[a] - pool.rank[b]));
  members.sort((a, b) => pool.rank[a[0]] - pool.rank[b[0]]);
  const typeOf = new Int32Array(n);
  members.forEach((list, t) => list.forEach((i) => (typeOf[i] = t)));
  return { members, typeOf };
}

function compareNumbers(a, b) {
  const k = Math.min(a.length, b.length);
  for (let i = 0; i < k; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function typeLabel(pool, i, shares) {
  const values = pool.features.map((f, k) => `${f.name} = ${pool.slots[pool.valueSlots[i * pool.F + k]].value}`);
  return values.join(", ") + (shares ? " (partage un foyer)" : "");
}

/** Check "rotation": counts within a type differ by at most one, and the listed panels
 * are exactly the rotation of their type panels, re-derived. */
function checkRotation(report, bundle, pool, panels) {
  const method = isObject(bundle.rounding) ? bundle.rounding.method : undefined;
  if (typeof method !== "string" || !method.startsWith(ROTATION_METHOD)) {
    return report.skip("rotation", "La loterie n'a pas été arrondie par types : pas de rotation à refaire.");
  }
  const { members, typeOf } = rotationTypes(pool);
  const counts = new Int32Array(pool.ids.length);
  const keys = [];
  const listed = [];
  for (let j = 0; j < panels.length; j++) {
    const people = numbered(pool, panels[j]);
    const outside = panels[j].find((id) => !pool.index.has(id));
    if (outside !== undefined) {
      return report.fail("rotation", [`Le panel n° ${j} contient ${outside}, absent du vivier : pas de panel de types.`]);
    }
    for (const i of people) counts[i]++;
    listed.push(people);
    keys.push(Int32Array.from(people, (i) => typeOf[i]).sort());
  }
  const problems = [];
  members.forEach((list) => {
    let low = Infinity;
    let high = -Infinity;
    for (const i of list) {
      low = Math.min(low, counts[i]);
      high = Math.max(high, counts[i]);
    }
    if (high - low > 1) {
      const shares = list.length === 1 && pool.householdOf[list[0]] >= 0;
      problems.push(`Type ${typeLabel(pool, list[0], shares)} (${plural(list.length, "personne", "personnes")}) : de ${n(low)} à ${n(high)} panels, un écart de plus d'un.`);
    }
  });
  keys.sort(compareNumbers);
  const cursor = new Int32Array(members.length);
  const expected = keys.map((key) => {
    const chosen = [];
    for (let a = 0; a < key.length; ) {
      const t = key[a];
      let b = a;
      while (b < key.length && key[b] === t) b++;
      const list = members[t];
      for (let k = 0; k < b - a; k++) chosen.push(list[(cursor[t] + k) % list.length]);
      cursor[t] = (cursor[t] + b - a) % list.length;
      a = b;
    }
    return chosen.map((i) => pool.rank[i]).sort((x, y) => x - y);
  });
  expected.sort(compareNumbers);
  for (let j = 0; j < expected.length; j++) {
    const got = Array.from(listed[j], (i) => pool.rank[i]);
    if (compareNumbers(got, expected[j]) !== 0) {
      const want = new Set(expected[j]);
      const have = new Set(got);
      const idOfRank = (r) => pool.ids[pool.byRank[r]];
      const extra = got.filter((r) => !want.has(r)).slice(0, 5).map(idOfRank);
      const missing = expected[j].filter((r) => !have.has(r)).slice(0, 5).map(idOfRank);
      problems.push(`Le panel n° ${j} n'est pas celui de la rotation : il contient ${extra.join(", ") || "les mêmes personnes"} là où la rotation donne ${missing.join(", ") || "un autre ordre"}.`);
      break;
    }
  }
  const distinct = new Set(keys.map((k) => k.join(","))).size;
  report.check(
    "rotation",
    problems,
    `${plural(members.length, "type", "types")} de personnes interchangeables, ${plural(distinct, "panel de types", "panels de types")} : au sein de chaque type, le nombre de panels de deux personnes diffère d'au plus un, et les ${plural(panels.length, "panel", "panels")} sont exactement ceux de la rotation publiée.`,
  );
}

// -- reserve (section 5) -------------------------------------------------------------------

/** The reserve of a drawn panel: {order: [ids], seats: {member: [ids]}}. Throws ProtocolError. */
export async function computeReserve(pool, panel, commitment, label) {
  const unknown = panel.filter((id) => !pool.index.has(id));
  if (unknown.length) throw new ProtocolError(`le panel tiré contient ${unknown.join(", ")}, absent du vivier`);
  const onPanel = new Set(panel);
  const others = pool.ids.filter((id) => !onPanel.has(id));
  const keys = await Promise.all(others.map((id) => reserveKey(commitment, label, id)));
  const ranked = others.map((id, i) => [keys[i], id]);
  ranked.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : compareCodePoints(a[1], b[1])));
  const order = ranked.map((r) => r[1]);

  // "The panel with c instead of s is valid" (section 4). The quota test
  // depends only on the feature values of s and c (their types): it is made
  // once per type and seat. Households are tested person by person.
  const { F, valueSlots, typeOf, householdOf } = pool;
  const slotsOf = (i) => valueSlots.subarray(i * F, i * F + F);
  const members = panel.map((id) => pool.index.get(id));
  const wellFormed = panel.length === pool.seats && onPanel.size === panel.length;
  const base = new Int32Array(pool.slots.length);
  const onPanelHouseholds = new Int32Array(pool.householdCount); // members per household
  for (const i of members) {
    for (const slot of slotsOf(i)) base[slot]++;
    if (householdOf[i] >= 0) onPanelHouseholds[householdOf[i]]++;
  }
  const candidates = Int32Array.from(order, (id) => pool.index.get(id));
  const typeSlots = new Map(); // type -> feature values (slots) of that type
  for (const c of candidates) if (!typeSlots.has(typeOf[c])) typeSlots.set(typeOf[c], slotsOf(c));
  const bucket = new Int8Array(candidates.length); // per candidate: F - agreeing features, or -1
  const seats = {};
  for (const s of members) {
    const mine = slotsOf(s);
    const othersIn = (h) => onPanelHouseholds[h] - (h === householdOf[s] ? 1 : 0); // members but s
    const restShares = members.some((x) => x !== s && householdOf[x] >= 0 && othersIn(householdOf[x]) > 1);
    // Per type of c: -1 if the panel with such a c instead of s breaks a quota,
    // else F minus the number of features where c and s agree.
    const byType = new Int8Array(pool.typeCount).fill(-1);
    for (const [type, theirs] of typeSlots) {
      const counts = base.slice();
      let agree = 0;
      for (let f = 0; f < F; f++) {
        counts[mine[f]]--;
        counts[theirs[f]]++;
        if (theirs[f] === mine[f]) agree++;
      }
      if (pool.slots.every((q, slot) => q.min <= counts[slot] && counts[slot] <= q.max)) byType[type] = F - agree;
    }
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[k];
      const h = householdOf[c];
      const clash = h >= 0 && othersIn(h) > 0;
      bucket[k] = !wellFormed || restShares || clash ? -1 : byType[typeOf[c]];
    }
    // Most agreeing features first, then the global reserve order.
    const list = [];
    for (let b = 0; b <= F; b++) {
      for (let k = 0; k < candidates.length; k++) if (bucket[k] === b) list.push(order[k]);
    }
    seats[pool.ids[s]] = list;
  }
  return { order, seats };
}

function firstDifference(got, expected) {
  const k = Math.min(got.length, expected.length);
  for (let i = 0; i < k; i++) {
    if (got[i] !== expected[i]) return `au rang ${i + 1}, le résultat donne ${got[i]}, le calcul ${expected[i]}`;
  }
  return `le résultat en compte ${n(got.length)}, le calcul ${n(expected.length)}`;
}

function reserveProblems(got, expected) {
  const problems = [];
  if (!sameList(got.order, expected.order)) {
    problems.push(`L'ordre d'appel de la réserve diffère de celui recalculé (${firstDifference(got.order, expected.order)}).`);
  }
  for (const [member, list] of Object.entries(expected.seats)) {
    const mine = Object.hasOwn(got.seats, member) ? got.seats[member] : [];
    if (!sameList(mine, list)) problems.push(`Les remplaçants possibles du siège de ${member} diffèrent du calcul (${firstDifference(mine, list)}).`);
  }
  for (const member of Object.keys(got.seats)) {
    if (!Object.hasOwn(expected.seats, member)) problems.push(`La réserve donne des remplaçants pour ${member}, qui n'est pas dans le panel tiré.`);
  }
  return problems;
}

// -- typed dice ------------------------------------------------------------------------------

/** Dice typed by a person ("4 2 7", "427", "4, 2, 7") as a list of digits. Throws ProtocolError. */
export function parseNotedDice(text) {
  if (!/^[0-9\s,;.\-–]*$/.test(text) || !/[0-9]/.test(text)) {
    throw new ProtocolError(`« ${text.trim()} » : tapez seulement les chiffres des dés, de 0 à 9, dans l'ordre convenu (par exemple 4 2 7)`);
  }
  return [...text.replace(/[^0-9]/g, "")].map(Number);
}

// -- verification --------------------------------------------------------------------------------

function readFile(report, id, bytes, what) {
  try {
    const value = parseJson(bytes, what);
    if (!isObject(value)) throw new ProtocolError(`Le fichier ${what} n'est pas un objet JSON.`);
    return value;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    report.fail(id, [error.message]);
    return null;
  }
}

async function checkCommitment(report, bundle, published, announced) {
  let computed = null;
  try {
    computed = await commitmentOf(bundle);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    report.fail("commitment", [`Impossible de calculer l'empreinte : ${error.message}.`]);
  }
  if (computed !== null) {
    report.facts.computedCommitment = computed;
    report.check(
      "commitment",
      computed === published ? [] : [`L'empreinte recalculée est ${computed} ; la loterie publie ${published || "(aucune)"}. Le fichier a été modifié après le calcul de son empreinte.`],
      `L'empreinte recalculée (SHA-256 de la forme canonique) est celle que publie la loterie : ${published}.`,
    );
  }
  const typed = announced.replace(/\s+/g, "").toLowerCase();
  if (!typed) {
    report.skip(
      "announced commitment",
      published
        ? `Vous n'avez pas saisi l'empreinte annoncée avant le tirage : comparez-la vous-même à celle de la loterie, ${published}.`
        : "Vous n'avez pas saisi l'empreinte annoncée avant le tirage, et la loterie n'en publie aucune.",
    );
  } else if (typed === published) {
    report.pass("announced commitment", "L'empreinte que vous avez notée avant le tirage est celle de la loterie vérifiée : c'est bien la loterie annoncée.");
  } else {
    const problems = [];
    if (!/^[0-9a-f]{64}$/.test(typed)) {
      problems.push(`Une empreinte compte 64 caractères, chiffres de 0 à 9 et lettres de a à f ; vous avez saisi ${plural(typed.length, "caractère", "caractères")}.`);
    }
    problems.push(`Vous avez noté ${typed} ; la loterie vérifiée a l'empreinte ${published || "(aucune)"} : ce n'est pas la loterie annoncée.`);
    report.fail("announced commitment", problems);
  }
}

function describeDraw(draw) {
  return draw.method === "dice" ? `Les dés ${draw.dice.join(" ")} donnent` : `La graine « ${draw.seed} » donne`;
}

async function checkResult(report, pool, panels, result, published, m, progress) {
  const shape = shapeProblems(RESULT_SHAPE, result, "résultat");
  report.check("result structure", shape, "Le fichier du résultat a tous les champs attendus, du bon type.");
  if (shape.length) return report.skipRest(RESULT_CHECKS, "Non vérifié : la structure du résultat est fausse.");

  report.check(
    "result commitment",
    result.commitment === published ? [] : [`Le résultat cite l'empreinte ${result.commitment} ; la loterie a l'empreinte ${published}. Ce résultat n'a pas été tiré dans cette loterie.`],
    "Le résultat cite l'empreinte de cette loterie.",
  );
  const formatOk = result.format === RESULT_FORMAT && result.m === m;
  report.check(
    "result format",
    formatOk ? [] : [`Le résultat a le format « ${quoted(result.format)} » et m = ${show(result.m)} ; attendus : « ${RESULT_FORMAT} » et m = ${m}.`],
    `Format ${RESULT_FORMAT}, pour une loterie de ${plural(m, "panel", "panels")}.`,
  );

  const recorded = result.randomness;
  let redo;
  try {
    progress("Calcul du numéro de panel…");
    if (recorded.method === "dice") {
      const dice = Object.hasOwn(recorded, "dice") ? recorded.dice : [];
      const { index, attempts } = indexFromDice(dice, m);
      redo = { method: "dice", m, index: Number(index), attempts, dice: [...dice] };
    } else if (recorded.method === "seed") {
      const { index, attempts } = await indexFromSeed(published, recorded.seed, m);
      redo = { method: "seed", m, index: Number(index), attempts, seed: recorded.seed };
    } else {
      throw new ProtocolError(`la méthode de tirage « ${recorded.method} » est inconnue (dés : « dice », graine : « seed »)`);
    }
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    report.fail("index", [`Impossible de retrouver le numéro du panel : ${error.message}.`]);
    return report.skipRest(RESULT_CHECKS, "Non vérifié : le numéro du panel n'a pas pu être recalculé.");
  }
  report.facts.draw = redo;
  report.check(
    "randomness",
    deepEqual(recorded, redo) ? [] : [`Le résultat enregistre ${canonicalJson(recorded)} ; recalculé : ${canonicalJson(redo)}.`],
    redo.method === "dice"
      ? `Dés enregistrés : ${redo.dice.join(" ")} (${plural(redo.attempts, "lancer", "lancers")}).`
      : `Graine enregistrée : « ${redo.seed} ».`,
  );
  report.check(
    "index",
    result.index === redo.index ? [] : [`Le résultat annonce le panel n° ${result.index} ; ${describeDraw(redo).toLowerCase()} le panel n° ${redo.index}.`],
    `${describeDraw(redo)} le panel n° ${redo.index} sur ${n(m)} (numérotés de 0 à ${n(m - 1)}), comme le dit le résultat.`,
  );

  if (redo.index >= panels.length) {
    report.fail("selection", [`La loterie n'a pas de panel n° ${redo.index} : elle n'en compte que ${n(panels.length)}.`]);
    return report.skipRest(RESULT_CHECKS, "Non vérifié : le panel tiré n'existe pas.");
  }
  const expected = panels[redo.index];
  const selected = result.selected;
  let selectionProblems = [];
  if (!sameList(selected, expected)) {
    const extra = selected.filter((id) => !expected.includes(id));
    const missing = expected.filter((id) => !selected.includes(id));
    selectionProblems = extra.length || missing.length
      ? [`Le résultat ne publie pas les membres du panel n° ${redo.index}.${extra.length ? ` En trop : ${extra.join(", ")}.` : ""}${missing.length ? ` Manquants : ${missing.join(", ")}.` : ""}`]
      : [`Le résultat publie les membres du panel n° ${redo.index} dans un autre ordre.`];
  }
  report.facts.selected = expected;
  report.check("selection", selectionProblems, `Les ${plural(expected.length, "numéro publié est", "numéros publiés sont")} exactement ceux du panel n° ${redo.index} : ${expected.join(", ")}.`);

  progress("Calcul de la liste de réserve…");
  let reserve;
  try {
    reserve = await computeReserve(pool, expected, published, randomnessLabel(redo));
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return report.fail("reserve", [`Impossible de recalculer la réserve : ${error.message}.`]);
  }
  report.check(
    "reserve",
    reserveProblems(result.reserve, reserve),
    `L'ordre d'appel des ${plural(reserve.order.length, "personne", "personnes")} de la réserve et les remplaçants possibles de chacun des ${plural(expected.length, "siège", "sièges")} sont ceux que donne le calcul.`,
  );
}

function checkNotedDice(report, text, bundle, panels, result, m) {
  if (!text.trim()) return;
  let dice;
  try {
    dice = parseNotedDice(text);
  } catch (error) {
    return report.fail("noted dice", [error.message + "."]);
  }
  const recorded = isObject(result) && isObject(result.randomness) ? result.randomness : null;
  if (recorded) {
    if (recorded.method !== "dice") return report.fail("noted dice", ["Le résultat a été tiré avec une graine, pas avec des dés."]);
    const same = Array.isArray(recorded.dice) && sameList(recorded.dice, dice);
    return report.check(
      "noted dice",
      same ? [] : [`Vous avez noté ${dice.join(" ")} ; le résultat enregistre ${Array.isArray(recorded.dice) ? recorded.dice.map(show).join(" ") : "autre chose"}.`],
      `Les dés que vous avez notés, ${dice.join(" ")}, sont ceux qu'enregistre le résultat.`,
    );
  }
  if (!isInt(m)) return report.skip("noted dice", "Non vérifié : la loterie est illisible.");
  try {
    const index = Number(indexFromDice(dice, m).index);
    const panel = panels && panels[index];
    report.pass("noted dice", `Les dés ${dice.join(" ")} désignent le panel n° ${index}${panel ? ` : ${panel.join(", ")}` : ""}.`);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    report.fail("noted dice", [`Avec ${plural(m, "panel", "panels")}, ${error.message}.`]);
  }
}

/**
 * Verify a bundle (and a result). `bundle`, `result`: the files' bytes
 * (ArrayBuffer or Uint8Array; `result` may be null). `announced`: the
 * commitment noted before the draw (may be ""). `notedDice`: dice typed by the
 * person (may be ""). `progress(text)` is called at each stage.
 */
export async function verify({ bundle: bundleBytes, result: resultBytes = null, announced = "", notedDice = "" }, progress = () => {}) {
  const report = new Report();
  progress("Lecture des fichiers…");
  const bundle = readFile(report, "bundle file", bundleBytes, "de la loterie");
  const result = resultBytes ? readFile(report, "result file", resultBytes, "du résultat") : null;
  if (!bundle) {
    report.skipRest(BUNDLE_CHECKS, "Non vérifié : le fichier de la loterie est illisible.");
    if (resultBytes) report.skipRest(RESULT_CHECKS, "Non vérifié : le fichier de la loterie est illisible.");
    checkNotedDice(report, notedDice, null, null, result, null);
    return report;
  }
  const published =
    typeof bundle.commitment === "string" ? bundle.commitment : bundle.commitment === undefined ? "" : show(bundle.commitment);
  report.facts.commitment = published;
  if (isObject(bundle.metadata) && typeof bundle.metadata.title === "string") report.facts.title = bundle.metadata.title;

  report.check(
    "format",
    KNOWN_BUNDLE_FORMATS.includes(bundle.format) ? [] : [
      bundle.format === undefined
        ? `Le fichier de la loterie ne dit pas son format ; ce vérificateur lit « ${BUNDLE_FORMAT} ».`
        : `Le format de la loterie est « ${quoted(bundle.format)} » ; ce vérificateur lit « ${BUNDLE_FORMAT} ».`,
    ],
    `Format ${bundle.format}.`,
  );
  progress("Calcul de l'empreinte de la loterie…");
  await checkCommitment(report, bundle, published, announced);

  const skipAll = (why) => {
    report.skipRest(BUNDLE_CHECKS, why);
    if (resultBytes) report.skipRest(RESULT_CHECKS, why);
    checkNotedDice(report, notedDice, null, null, result, null);
    return report;
  };
  const shape = shapeProblems(BUNDLE_SHAPE, bundle, "loterie");
  report.check("structure", shape, "Le fichier de la loterie a tous les champs attendus, du bon type.");
  if (shape.length) return skipAll("Non vérifié : la structure de la loterie est fausse.");

  const pool = readPool(bundle);
  const m = bundle.m;
  report.check(
    "pool",
    pool.problems,
    `${plural(pool.ids.length, "personne", "personnes")} dans le vivier, ${plural(pool.features.length, "caractéristique", "caractéristiques")} (${pool.features.map((f) => f.name).join(", ")}), ${plural(pool.slots.length, "quota", "quotas")}, ${plural(bundle.seats, "siège", "sièges")} à pourvoir.`,
  );
  if (pool.problems.length) return skipAll("Non vérifié : le vivier ou les quotas sont incohérents.");
  report.facts.people = pool.ids.length;
  report.facts.seats = bundle.seats;
  report.facts.m = m;

  let panels;
  try {
    panels = peoplePanels(bundle);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    report.fail("panels", [error.message]);
    return skipAll("Non vérifié : les panels n'ont pas pu être lus.");
  }
  progress(`Contrôle des ${plural(panels.length, "panel", "panels")}…`);
  const { problems: panelsWrong, selections: counts } = panelProblems(pool, panels, m);
  report.check(
    "panels",
    panelsWrong,
    `Les ${plural(m, "panel", "panels")} comptent chacun ${plural(bundle.seats, "membre", "membres")} distincts du vivier, respectent tous les quotas, ne réunissent jamais deux personnes d'un même foyer et sont rangés dans l'ordre convenu.`,
  );
  progress("Calcul de la chance de chaque personne…");
  let low = 0;
  let high = 0;
  if (counts.length) {
    low = counts.reduce((a, b) => Math.min(a, b));
    high = counts.reduce((a, b) => Math.max(a, b));
  }
  report.check(
    "probabilities",
    probabilityProblems(pool, counts, bundle.selections, m),
    `Pour chacune des ${plural(pool.ids.length, "personne", "personnes")} du vivier, le nombre de panels qui la contiennent est celui que publie la loterie. Chance la plus faible : ${chance(low, m)} ; la plus forte : ${chance(high, m)}.`,
  );
  checkRounding(report, bundle, m);
  progress("Rotation des personnes au sein de chaque type…");
  checkRotation(report, bundle, pool, panels);

  if (result) await checkResult(report, pool, panels, result, published, m, progress);
  else if (resultBytes) report.skipRest(RESULT_CHECKS, "Non vérifié : le fichier du résultat est illisible.");
  checkNotedDice(report, notedDice, bundle, panels, result, m);
  return report;
}
