/**
 * The everyday-to-official lexicon (data in data/synonyms.json): "sổ đỏ" is "giấy chứng nhận
 * quyền sử dụng đất", "đuổi việc" is "sa thải". A question containing an everyday expression also
 * searches for its official wording. Matching is on folded syllables, whole words only.
 */
import synonymData from "./data/synonyms.json" with { type: "json" };
import { fold } from "./vietnamese.js";

interface Entry {
  everyday: string[];
  official: string[];
}

const toKey = (s: string) =>
  (fold(s.normalize("NFC").toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");

/** Everyday expression (folded) → official phrases, longest expressions first. */
const table: [string, string[]][] = (synonymData.entries as Entry[])
  .flatMap((e) => e.everyday.map((x): [string, string[]] => [toKey(x), e.official]))
  .filter(([k]) => k.length > 0)
  .sort((a, b) => b[0].length - a[0].length);

/** The lexicon's everyday expressions found in a question (folded), with their official phrases. */
export function lexiconMatches(question: string): { everyday: string; official: string[] }[] {
  let text = ` ${toKey(question)} `;
  const out: { everyday: string; official: string[] }[] = [];
  for (const [everyday, official] of table) {
    if (!text.includes(` ${everyday} `)) continue;
    out.push({ everyday, official });
    // Longest first: "giấy khai sinh" is not matched again as "khai sinh".
    text = text.replace(` ${everyday} `, " \u0000 ");
  }
  return out;
}

/** The official phrases a question's everyday expressions stand for (each once). */
export function officialWording(question: string): string[] {
  return [...new Set(lexiconMatches(question).flatMap((m) => m.official))];
}

/** Number of lexicon entries (for reports). */
export const LEXICON_SIZE = table.length;
