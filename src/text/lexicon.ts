/**
 * The everyday-to-official lexicon (data in data/synonyms.json): "sổ đỏ" is "giấy chứng nhận
 * quyền sử dụng đất", "đuổi việc" is "sa thải". Used both ways: a question containing an everyday
 * expression also searches for its official wording (`lexiconMatches`), and a passage using an
 * official phrase also indexes its everyday wording (`everydayFor`). Whole words only, read
 * through the same analysis as the texts (abbreviations expanded, tones in one place).
 */

import { createHash } from "node:crypto";
import { syllablesOf } from "./analyze.js";
import synonymData from "./data/synonyms.json" with { type: "json" };
import { fold, hasDiacritics } from "./vietnamese.js";

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

function table(key: "accented" | "folded"): Map<string, Candidate[]> {
  const byFirst = new Map<string, Candidate[]>();
  for (const e of entries) {
    const words = e[key];
    const first = words[0];
    if (first === undefined) continue;
    const list = byFirst.get(first) ?? [];
    list.push({ words, official: e.official });
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirst;
}
const accentedTable = table("accented");
const foldedTable = table("folded");

/**
 * The lexicon's everyday expressions found in a question, with their official phrases. A question
 * with diacritics is matched with diacritics ("bạo hành" is not "bảo hành"); one without, folded.
 * Longer expressions win over the shorter ones they overlap ("giấy khai sinh" is not matched again
 * as "khai sinh"). `everyday` is returned folded.
 */
export function lexiconMatches(question: string): { everyday: string; official: string[] }[] {
  // Chat abbreviations are expanded first: "ko dc" is "không được" to the lexicon too.
  const syllables = syllablesOf(question, { chat: true });
  const accented = hasDiacritics(question);
  const byFirst = accented ? accentedTable : foldedTable;
  const text = syllables.map((s) => (accented ? s.word : s.folded));
  const found: { at: number[]; c: Candidate }[] = [];
  text.forEach((w, start) => {
    for (const c of byFirst.get(w) ?? []) {
      const at = place(c.words, text, start);
      if (at) found.push({ at, c });
    }
  });
  // Longest first, then leftmost; a word belongs to one expression at most.
  found.sort((a, b) => b.c.words.length - a.c.words.length || (a.at[0] as number) - (b.at[0] as number));
  const used = new Uint8Array(text.length);
  const seen = new Set<string>();
  const out: { everyday: string; official: string[] }[] = [];
  for (const { at, c } of found) {
    if (at.some((i) => used[i] === 1)) continue;
    for (const i of at) used[i] = 1;
    const everyday = fold(c.words.join(" "));
    if (seen.has(everyday)) continue;
    seen.add(everyday);
    out.push({ everyday, official: c.official });
  }
  return out;
}

/** Positions of an expression's words, consecutive from `start` in the question, if they are there. */
function place(words: readonly string[], text: readonly string[], start: number): number[] | undefined {
  return words.every((w, i) => text[start + i] === w) ? words.map((_, i) => start + i) : undefined;
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
const officialTable = (() => {
  const byFirst = new Map<string, { words: string[]; everyday: string[] }[]>();
  for (const e of synonymData.entries as Entry[]) {
    for (const o of e.official) {
      const words = syllablesOf(o).map((y) => y.word);
      const first = words[0];
      if (first === undefined || words.length < 2) continue;
      const list = byFirst.get(first) ?? [];
      list.push({ words, everyday: e.everyday });
      byFirst.set(first, list);
    }
  }
  return byFirst;
})();

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
      if (c.words.every((cw, i) => words[start + i] === cw)) for (const x of c.everyday) out.add(x);
    }
  });
  return [...out];
}
