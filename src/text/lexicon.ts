/**
 * The everyday-to-official lexicon (data in data/synonyms.json): "sổ đỏ" is "giấy chứng nhận
 * quyền sử dụng đất", "đuổi việc" is "sa thải". Used both ways: a question containing an everyday
 * expression also searches for its official wording (`lexiconMatches`), and a passage using an
 * official phrase also indexes its everyday wording (`everydayFor`). Whole words only, read
 * through the same analysis as the texts (abbreviations expanded, tones in one place).
 */

import { createHash } from "node:crypto";
import { syllablesOf, typedWithDiacritics } from "./analyze.js";
import synonymData from "./data/synonyms.json" with { type: "json" };
import { fold } from "./vietnamese.js";

interface Entry {
  everyday: string[];
  official: string[];
}

/** The syllables of an expression as a question's analysis sees them ("ko dc", "CT07" included). */
const keyOf = (s: string) => syllablesOf(s, { chat: true });

/**
 * Everyday expression → official phrases, keyed with and without diacritics, grouped by first word
 * so a question is matched in time proportional to its length, not to the lexicon's size.
 */
const entries = (synonymData.entries as Entry[]).flatMap((e) =>
  e.everyday.map((x) => ({
    accented: keyOf(x).map((y) => y.word),
    // Typed without diacritics, "tư vấn" is "tu van", which no abbreviation expands.
    folded: keyOf(fold(x)).map((y) => y.folded),
    official: e.official,
  })),
);

interface Candidate {
  words: string[];
  official: string[];
}

/** Groups phrases by their first word, longest first within a group. */
function byFirstWord<T extends { words: string[] }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const first = item.words[0];
    if (first === undefined) continue;
    const list = out.get(first) ?? [];
    list.push(item);
    out.set(first, list);
  }
  for (const list of out.values()) list.sort((a, b) => b.words.length - a.words.length);
  return out;
}

/** True when `words` stand in `text` from `start` on. */
const standsAt = (words: readonly string[], text: readonly string[], start: number) =>
  words.every((w, i) => text[start + i] === w);

const accentedTable = byFirstWord<Candidate>(
  entries.map((e) => ({ words: e.accented, official: e.official })),
);
const foldedTable = byFirstWord<Candidate>(entries.map((e) => ({ words: e.folded, official: e.official })));

/**
 * The lexicon's everyday expressions found in a question, with their official phrases. A question
 * with diacritics is matched with diacritics ("bạo hành" is not "bảo hành"); one without, folded.
 * Longer expressions win over the shorter ones they overlap ("giấy khai sinh" is not matched again
 * as "khai sinh"). `everyday` is returned folded.
 */
export function lexiconMatches(question: string): { everyday: string; official: string[] }[] {
  // Chat abbreviations are expanded first: "ko dc" is "không được" to the lexicon too.
  const syllables = syllablesOf(question, { chat: true });
  const accented = typedWithDiacritics(question, { chat: true });
  const byFirst = accented ? accentedTable : foldedTable;
  const text = syllables.map((s) => (accented ? s.word : s.folded));
  const found: { start: number; c: Candidate }[] = [];
  text.forEach((w, start) => {
    for (const c of byFirst.get(w) ?? []) if (standsAt(c.words, text, start)) found.push({ start, c });
  });
  // Longest first, then leftmost; a word belongs to one expression at most.
  found.sort((a, b) => b.c.words.length - a.c.words.length || a.start - b.start);
  const used = new Uint8Array(text.length);
  const seen = new Set<string>();
  const out: { everyday: string; official: string[] }[] = [];
  for (const { start, c } of found) {
    const end = start + c.words.length;
    if (used.subarray(start, end).includes(1)) continue;
    used.fill(1, start, end);
    const everyday = fold(c.words.join(" "));
    if (seen.has(everyday)) continue;
    seen.add(everyday);
    out.push({ everyday, official: c.official });
  }
  return out;
}

/** The official phrases a question's everyday expressions stand for (each once). */
export function officialWording(question: string): string[] {
  return [...new Set(lexiconMatches(question).flatMap((m) => m.official))];
}

/** Number of everyday expressions in the lexicon (for reports). */
export const LEXICON_SIZE = entries.length;

/** A fingerprint of the lexicon's data: passages index its everyday wording, so a change rebuilds them. */
export const LEXICON_HASH = createHash("sha256")
  .update(JSON.stringify(synonymData.entries))
  .digest("hex")
  .slice(0, 12);

/**
 * Official phrases of two words or more → the everyday expressions of their entries, by first word
 * (with diacritics: documents have them, and "chậm" is not "chăm"). One-word phrases such as
 * "chết" or "văn bản" are left out: too many passages use them in passing.
 */
const officialTable = byFirstWord(
  (synonymData.entries as Entry[]).flatMap((e) =>
    e.official
      .map((o) => ({ words: syllablesOf(o).map((y) => y.word), everyday: e.everyday }))
      .filter((o) => o.words.length >= 2),
  ),
);

/**
 * The everyday expressions for the official wording a document text uses: a passage on "mức cấp
 * dưỡng" also answers to "tiền nuôi con". Indexed beside the passage, so a question that shares
 * only some words with an everyday expression ("bố mất để lại nợ") still finds the passage.
 */
export function everydayFor(text: string): string[] {
  const words = syllablesOf(text).map((y) => y.word);
  const out = new Set<string>();
  words.forEach((w, start) => {
    for (const c of officialTable.get(w) ?? []) {
      if (standsAt(c.words, words, start)) for (const x of c.everyday) out.add(x);
    }
  });
  return [...out];
}
