/**
 * The gaps of the knowledge base: questions the bot could not answer, grouped by similarity so
 * that the most asked gap comes first. Two questions fall in one group when their topic words
 * (lower case, diacritics folded, question words and particles left out) overlap enough
 * (Jaccard ≥ SIMILARITY, against the group's first question), so "giá xăng hôm nay?" and "Gia xang hom nay bao nhieu" are one gap.
 */

import stopwordData from "../../text/data/stopwords.json" with { type: "json" };
import { fold } from "../../text/vietnamese.js";

const SIMILARITY = 0.5;
/** Lower case without diacritics (đ → d). */
const foldForSearch = (text: string) => fold(text).toLowerCase();
const STOP = new Set([...stopwordData.words, ...(stopwordData.folded ?? [])].map(foldForSearch));

export interface Gap {
  /** The question most often asked in this group, as it was typed. */
  question: string;
  count: number;
  lastAskedAt: string;
  /** Other wordings in the group, most frequent first (at most three). */
  examples: string[];
}

/** A question's topic words, folded. */
export function topicWords(question: string): Set<string> {
  return wordsOfFolded(foldForSearch(question.normalize("NFC")));
}

function wordsOfFolded(folded: string): Set<string> {
  return new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0 && !STOP.has(w)));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Groups questions (newest first, as the log returns them) into gaps, most asked first; ties go
 * to the gap asked most recently. Greedy: each question joins the first group it resembles.
 */
export function groupGaps(questions: readonly { question: string; askedAt: string }[], limit = 20): Gap[] {
  const foldCache = new Map<string, string>();
  interface Group {
    words: Set<string>;
    wordings: Map<string, { text: string; count: number }>;
    count: number;
    lastAskedAt: string;
    order: number;
  }
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  // Groups by the words of their first question: only groups sharing a word are compared.
  const byWord = new Map<string, Group[]>();
  for (const q of questions) {
    let key = foldCache.get(q.question);
    if (key === undefined) {
      key = foldForSearch(q.question.normalize("NFC")).replace(/\s+/g, " ").trim();
      foldCache.set(q.question, key);
    }
    let group = byKey.get(key);
    // A wording seen before joins its group without comparing words again.
    const words = group ? undefined : wordsOfFolded(key);
    if (!group && words) {
      const seen = new Set<Group>();
      for (const w of words) {
        for (const g of byWord.get(w) ?? []) {
          if (seen.has(g)) continue;
          seen.add(g);
          if (jaccard(g.words, words) >= SIMILARITY && (!group || g.order < group.order)) group = g;
        }
      }
    }
    if (!group) {
      group = {
        words: words ?? new Set(),
        wordings: new Map(),
        count: 0,
        lastAskedAt: q.askedAt,
        order: groups.length,
      };
      groups.push(group);
      for (const w of group.words) {
        const list = byWord.get(w);
        if (list) list.push(group);
        else byWord.set(w, [group]);
      }
    }
    byKey.set(key, group);
    group.count += 1;
    if (q.askedAt > group.lastAskedAt) group.lastAskedAt = q.askedAt;
    const w = group.wordings.get(key) ?? { text: q.question.trim(), count: 0 };
    w.count += 1;
    group.wordings.set(key, w);
  }
  return groups
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt))
    .slice(0, limit)
    .map((g) => {
      // Most asked first; between equals, the one written with diacritics reads best.
      const accented = (x: string) => (foldForSearch(x) === x.toLowerCase() ? 0 : 1);
      const wordings = [...g.wordings.values()].sort(
        (a, b) => b.count - a.count || accented(b.text) - accented(a.text),
      );
      return {
        question: wordings[0]?.text ?? "",
        count: g.count,
        lastAskedAt: g.lastAskedAt,
        examples: wordings.slice(1, 4).map((w) => w.text),
      };
    });
}
