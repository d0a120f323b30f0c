/**
 * Vietnamese text primitives: NFC, canonical tone-mark placement, diacritic folding (đ→d).
 * Pure functions, no I/O.
 */

/** The five tone marks as Unicode combining characters (acute, grave, hook, tilde, dot below). */
const TONE_MARKS = new Set(["\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]);
const TONE_RE = /[\u0301\u0300\u0309\u0303\u0323]/;
const VOWELS = "aăâeêioôơuưy";
/** Vowels that carry a modifier (breve, circumflex, horn): the tone goes on them. */
const MODIFIED = "ăâêôơư";

/** NFC-normalise, and turn typographic variants of the same letters into one form. */
export function nfc(text: string): string {
  return text.normalize("NFC");
}

/** Lower-case, NFC. */
export function lower(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

/**
 * Removes every diacritic and maps đ→d: "Đảng dân vận" → "Dang dan van".
 * Keeps the string's length in UTF-16 units for precomposed input, so offsets survive.
 */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFC");
}

/**
 * Splits a lower-case syllable into its tone-less form and its tone mark (or "").
 * "hoà" → ["hoa", "\u0300"]; "thủy" → ["thuy", "\u0309"].
 */
function splitTone(syllable: string): [string, string] {
  const d = syllable.normalize("NFD");
  let tone = "";
  let base = "";
  for (const ch of d) {
    if (TONE_MARKS.has(ch)) tone = ch;
    else base += ch;
  }
  return [base.normalize("NFC"), tone];
}

/**
 * Index (in the NFC tone-less syllable) of the vowel that carries the tone.
 */
function toneIndex(base: string): number {
  let start = 0;
  // "qu" and "gi" (before another vowel) are consonant clusters: their u/i carry no tone.
  if (base.startsWith("qu")) start = 2;
  else if (base.startsWith("gi") && base.length > 2 && VOWELS.includes(base[2] ?? "")) start = 2;
  let first = -1;
  let last = -1;
  for (let i = start; i < base.length; i++) {
    if (VOWELS.includes(base[i] ?? "")) {
      if (first < 0) first = i;
      last = i;
    } else if (first >= 0) break;
  }
  if (first < 0) {
    // "gì", "gìn": the i of gi is the only vowel.
    for (let i = 0; i < base.length; i++) if (VOWELS.includes(base[i] ?? "")) return i;
    return -1;
  }
  // "ươ" takes it on ơ; otherwise a modified vowel wins.
  for (let i = last; i >= first; i--) if (base[i] === "ơ") return i;
  for (let i = first; i <= last; i++) if (MODIFIED.includes(base[i] ?? "")) return i;
  const count = last - first + 1;
  if (count === 1) return first;
  const endsWithConsonant = last < base.length - 1;
  if (count === 3) return first + 1;
  if (endsWithConsonant) return last;
  // Open syllables with two vowels take it on the first, "oa/oe/uy" included (the traditional
  // placement most keyboards produce: "hòa", "khỏe", "thủy").
  return first;
}

/**
 * Puts the tone mark of one lower-case syllable where the modern rule puts it, so "hoà"/"hòa",
 * "thuỷ"/"thủy", "uỷ"/"ủy" become one form. Words that are not Vietnamese syllables are returned
 * unchanged.
 */
export function canonicalTone(syllable: string): string {
  let known = toneCache.get(syllable);
  if (known === undefined) {
    // Vietnamese has a few thousand syllables: remembered, they cost a lookup. A flood of other
    // words (a pasted file, another language) only empties the memory, never grows it unbounded.
    if (toneCache.size >= 50_000) toneCache.clear();
    known = placeTone(syllable);
    toneCache.set(syllable, known);
  }
  return known;
}

const toneCache = new Map<string, string>();

function placeTone(syllable: string): string {
  if (!TONE_RE.test(syllable.normalize("NFD"))) return syllable;
  const [base, tone] = splitTone(syllable);
  const at = toneIndex(base);
  if (at < 0 || !tone) return syllable;
  return (base.slice(0, at + 1) + tone + base.slice(at + 1)).normalize("NFC");
}

/** Lower-case, NFC, and every syllable's tone in its canonical place. */
export function canonical(text: string): string {
  return lower(text).replace(/\p{L}+/gu, canonicalTone);
}
