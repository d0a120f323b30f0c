/**
 * The everyday-to-official lexicon (data in data/synonyms.json): "sổ đỏ" is "giấy chứng nhận
 * quyền sử dụng đất", "đuổi việc" is "sa thải". A question containing an everyday expression also
 * searches for its official wording. Whole words only.
 */
import synonymData from "./data/synonyms.json" with { type: "json" };
import { canonical, fold, hasDiacritics } from "./vietnamese.js";

interface Entry {
  everyday: string[];
  official: string[];
}

const words = (s: string) => canonical(s).match(/[\p{L}\p{N}]+/gu) ?? [];
const accentedKey = (s: string) => words(s).join(" ");
const foldedKey = (s: string) => fold(accentedKey(s));

/** Everyday expression → official phrases, longest expressions first, keyed with and without diacritics. */
const entries = (synonymData.entries as Entry[]).flatMap((e) =>
  e.everyday.map((x) => ({ x, official: e.official })),
);
const byLength = <T extends [string, string[]]>(rows: T[]) =>
  rows.filter(([k]) => k.length > 0).sort((a, b) => b[0].length - a[0].length);
const accentedTable = byLength(
  entries.map(({ x, official }): [string, string[]] => [accentedKey(x), official]),
);
const foldedTable = byLength(entries.map(({ x, official }): [string, string[]] => [foldedKey(x), official]));

/**
 * The lexicon's everyday expressions found in a question, with their official phrases. A question
 * with diacritics is matched with diacritics ("bạo hành" is not "bảo hành"); one without, folded.
 * `everyday` is returned folded.
 */
export function lexiconMatches(question: string): { everyday: string; official: string[] }[] {
  const accented = hasDiacritics(question);
  const table = accented ? accentedTable : foldedTable;
  let text = ` ${accented ? accentedKey(question) : foldedKey(question)} `;
  const out: { everyday: string; official: string[] }[] = [];
  for (const [everyday, official] of table) {
    if (!text.includes(` ${everyday} `)) continue;
    out.push({ everyday: fold(everyday), official });
    // Longest first: "giấy khai sinh" is not matched again as "khai sinh".
    text = text.replace(` ${everyday} `, " \u0000 ");
  }
  return out;
}

/** The official phrases a question's everyday expressions stand for (each once). */
export function officialWording(question: string): string[] {
  return [...new Set(lexiconMatches(question).flatMap((m) => m.official))];
}

/** Number of everyday expressions in the lexicon (for reports). */
export const LEXICON_SIZE = entries.length;
