// Tirage public draw protocol, version 1: the primitives of docs/draw-protocol.md.
//
// Written from the protocol document, not from the Python code. No dependency:
// SHA-256 comes from the browser (WebCrypto), big numbers from BigInt.
// Every function that can refuse its input throws a ProtocolError whose
// message is a French sentence naming the problem.

export const BUNDLE_FORMAT = "tirage-lottery-bundle/1";
export const RESULT_FORMAT = "tirage-draw-result/1";

export class ProtocolError extends Error {}

// A JSON number this verifier cannot hold exactly: written with a fraction or
// an exponent (a float, section 4: not allowed), or an integer beyond 2^53 - 1.
export class JsonNumber {
  constructor(source) {
    this.source = source;
    this.isInteger = /^-?\d+$/.test(source);
  }
  toString() {
    return this.source;
  }
}

// -- reading a file ---------------------------------------------------------------

/** Whether the JSON text has, outside strings, a number that is not a plain
 * safe integer (a fraction, an exponent, or 16 digits or more). A linear scan:
 * the content of strings is skipped with indexOf. */
function hasSpecialNumber(text) {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const quote = text.indexOf('"', i);
    const end = quote < 0 ? n : quote;
    let digits = 0;
    for (let k = i; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c >= 48 && c <= 57) {
        if (++digits >= 16) {
          let j = k + 1;
          while (j < end && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
          if (!Number.isSafeInteger(Number(text.slice(k + 1 - digits, j)))) return true;
          k = j - 1;
          digits = 0;
        }
      } else if (c === 46 || ((c === 101 || c === 69) && digits > 0)) {
        return true; // "." or an exponent after a digit ("true" has its e after a letter)
      } else {
        digits = 0;
      }
    }
    if (quote < 0) break;
    let close = quote;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return false; // unreachable: JSON.parse accepted the text
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    i = close + 1;
  }
  return false;
}

/** Parse UTF-8 bytes (ArrayBuffer or Uint8Array) as JSON. Floats and integers
 * beyond 2^53 - 1 become JsonNumber objects. Throws ProtocolError. */
export function parseJson(bytes, what) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ProtocolError(`Le fichier ${what} n'est pas un texte UTF-8 valide.`);
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProtocolError(`Le fichier ${what} n'est pas du JSON valide (${error.message}).`);
  }
  // Numbers outside strings that are not plain safe integers are rare: read
  // them a second time, keeping their source text (ES2025 JSON.parse source access).
  if (hasSpecialNumber(text)) {
    let exact = false;
    value = JSON.parse(text, (key, v, context) => {
      if (typeof v !== "number") return v;
      if (context && typeof context.source === "string") {
        exact = true;
        if (!/^-?\d+$/.test(context.source) || !Number.isSafeInteger(v)) {
          return new JsonNumber(context.source);
        }
        return v;
      }
      return Number.isSafeInteger(v) ? v : new JsonNumber(String(v));
    });
    if (!exact) {
      // Without source access, 1.0 reads as 1: refuse rather than guess.
      throw new ProtocolError(
        `Le fichier ${what} contient un nombre décimal et ce navigateur ne permet pas de le lire exactement.`,
      );
    }
  }
  return value;
}

// -- canonical form (section 4) -------------------------------------------------

/** Compare two strings by Unicode code point (not UTF-16 code unit). */
export function compareCodePoints(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+D800–DFFF) encode code points above U+FFFF: move them
      // above U+E000–FFFF, which UTF-16 order puts after them.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Sort strings by code point in place: the native (UTF-16) sort, which is the
 * same order unless a string holds a surrogate. */
export function sortByCodePoint(strings) {
  return strings.some((s) => SURROGATE.test(s)) ? strings.sort(compareCodePoints) : strings.sort();
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(s) {
  return typeof s.isWellFormed === "function" ? s.isWellFormed() : !LONE_SURROGATE.test(s);
}

function writeCanonical(value, out) {
  if (value === null || value === true || value === false) {
    out.push(String(value));
  } else if (typeof value === "string") {
    if (!isWellFormed(value)) {
      throw new ProtocolError(
        `le texte ${JSON.stringify(value.slice(0, 40))} contient un caractère invalide (surrogat isolé)`,
      );
    }
    // JSON.stringify escapes exactly as section 4 says.
    out.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new ProtocolError(`le nombre ${value} n'est pas un entier`);
    }
    out.push(String(value)); // String(-0) is "0"
  } else if (value instanceof JsonNumber) {
    if (!value.isInteger) {
      throw new ProtocolError(
        `le nombre ${value.source} est écrit avec une virgule ou un exposant ; seuls les entiers sont permis`,
      );
    }
    out.push(value.source.replace(/^-0$/, "0"));
  } else if (Array.isArray(value)) {
    if (value.every((x) => typeof x === "string" && isWellFormed(x))) {
      out.push(JSON.stringify(value)); // same bytes, much faster for the lists of ids
      return;
    }
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i) out.push(",");
      writeCanonical(value[i], out);
    }
    out.push("]");
  } else if (typeof value === "object") {
    out.push("{");
    const keys = sortByCodePoint(Object.keys(value));
    keys.forEach((key, i) => {
      if (i) out.push(",");
      writeCanonical(key, out);
      out.push(":");
      writeCanonical(value[key], out);
    });
    out.push("}");
  } else {
    throw new ProtocolError(`valeur impossible à écrire en JSON : ${typeof value}`);
  }
}

/** The canonical JSON text of a parsed value (section 4). Throws ProtocolError. */
export function canonicalJson(value) {
  const out = [];
  writeCanonical(value, out);
  return out.join("");
}

// -- hashes -----------------------------------------------------------------------

const encoder = new TextEncoder();

function hex(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, "0");
  return s;
}

/** SHA-256 of the UTF-8 bytes of a text, as 64 lowercase hex digits. */
export async function sha256Hex(text) {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** The commitment of a bundle: SHA-256 of the canonical form without `commitment`. */
export async function commitmentOf(bundle) {
  const body = {};
  for (const key of Object.keys(bundle)) if (key !== "commitment") body[key] = bundle[key];
  return sha256Hex(canonicalJson(body));
}

// -- index from dice (section 2) ----------------------------------------------------

/** Number of dice per throw: decimal digits of m - 1 (1 for m = 1). */
export function diceCount(m) {
  return String(BigInt(m) - 1n).length;
}

/** Index from the dice read in order. Returns {index, attempts} (attempts =
 * throws used). Throws ProtocolError (French) for bad dice. */
export function indexFromDice(dice, m) {
  const d = diceCount(m);
  const M = BigInt(m);
  dice.forEach((die, i) => {
    if (typeof die !== "number" || !Number.isInteger(die) || die < 0 || die > 9) {
      const shown = die instanceof JsonNumber ? die.source : JSON.stringify(die);
      throw new ProtocolError(
        `le dé n° ${i + 1} vaut ${shown} : chaque dé doit être un nombre entier de 0 à 9`,
      );
    }
  });
  if (dice.length === 0 || dice.length % d !== 0) {
    throw new ProtocolError(
      `une loterie de ${m} panels demande ${d} dé${d > 1 ? "s" : ""} par lancer ; il y a ${dice.length} dé${dice.length > 1 ? "s" : ""}`,
    );
  }
  const limit = ((10n ** BigInt(d)) / M) * M;
  const throws = dice.length / d;
  let v = 0n;
  for (let t = 0; t < throws; t++) {
    v = BigInt(dice.slice(t * d, (t + 1) * d).join(""));
    if (v < limit) {
      if (t + 1 !== throws) {
        throw new ProtocolError(
          `le lancer ${t + 1} (${v}) a été accepté ; les ${dice.length - (t + 1) * d} dés qui le suivent ne font pas partie du tirage`,
        );
      }
      return { index: v % M, attempts: t + 1 };
    }
  }
  throw new ProtocolError(
    `le lancer ${throws} donne ${v}, qui n'est pas inférieur à ${limit} (le plus grand multiple de ${m} jusqu'à 10^${d}) : il est écarté pour éviter tout biais, il fallait relancer ${d} dés`,
  );
}

// -- index from a seed (section 3) ----------------------------------------------------

const HEX64 = /^[0-9a-f]{64}$/;

/** Index from a public seed text. Returns {index, attempts} (attempts =
 * counter + 1). `m` may be a Number or a BigInt. Throws ProtocolError. */
export async function indexFromSeed(commitment, seed, m) {
  if (typeof commitment !== "string" || !HEX64.test(commitment)) {
    throw new ProtocolError("l'empreinte de la loterie n'est pas formée de 64 chiffres hexadécimaux");
  }
  if (typeof seed !== "string" || seed === "") {
    throw new ProtocolError("la graine doit être un texte non vide");
  }
  const M = BigInt(m);
  const limit = ((1n << 256n) / M) * M;
  for (let counter = 0; ; counter++) {
    const x = BigInt("0x" + (await sha256Hex(`${commitment}:${seed}:${counter}`)));
    if (x < limit) return { index: x % M, attempts: counter + 1 };
  }
}

// -- reserve (section 5) ----------------------------------------------------------------

/** The randomness label: "dice=427", "dice=950427" or "seed=<text>". */
export function randomnessLabel(randomness) {
  return randomness.method === "dice"
    ? "dice=" + randomness.dice.join("")
    : "seed=" + randomness.seed;
}

/** Reserve key of one person: hex SHA-256 of `C:label:reserve:id`. */
export function reserveKey(commitment, label, id) {
  return sha256Hex(`${commitment}:${label}:reserve:${id}`);
}
