/**
 * The terms the lexical index counts, built from an analysis of the text:
 * `w` canonical syllable, `f` folded syllable, `W`/`F` the same as bigrams, `#` document numbers.
 */
import { ANALYSIS_DATA_HASH, type Analysis, analyze, isStopword } from "../text/analyze.js";
import { LEXICON_HASH, lexiconMatches } from "../text/lexicon.js";
import { splitNarrative } from "../text/narrative.js";
import { fold } from "../text/vietnamese.js";

export type TermType = "w" | "f" | "W" | "F" | "#";

/**
 * Bump the number when text analysis or term building changes: saved indexes are then rebuilt
 * from scratch, as they are when the abbreviations or question words change.
 */
export const ANALYZER_VERSION = `2+data:${ANALYSIS_DATA_HASH}`;

/**
 * Weight of the words of a story told before the question ("Nhà tôi ở tổ 12, hôm qua…, vậy tôi có
 * được góp ý…"), in ranking and in the not-found rule, when the question itself has topic words.
 */
export const CONTEXT_WEIGHT = 0.3;

/**
 * The lexicon's data: passages index its everyday wording, so a change rebuilds the lexical index
 * (passage vectors do not depend on it and are kept).
 */
export const LEXICON_VERSION = LEXICON_HASH;

/** Terms of a document text, with repetition (term frequency counts). */
export function documentTerms(text: string): string[] {
  return termsOf(analyze(text), true);
}

/** A question's terms, each once, plus which syllables carry topic (for the not-found rule). */
export interface QueryTerms {
  terms: string[];
  /** Weight of each term in ranking: terms made only of stopwords count less. */
  weights: Map<string, number>;
  analysis: Analysis;
  /** Topic syllable terms: `w…` when the question has diacritics, else `f…`; and `#…`. */
  content: string[];
  /** Weight of a content term in the not-found rule (words of a story told first weigh less). */
  contentWeight: Map<string, number>;
  /** Pairs of adjacent topic syllables (`W…`, or `F…` without diacritics). */
  phrases: string[];
  /**
   * Everyday expressions of the question found in the lexicon: each counts as covered when a
   * passage holds every folded syllable of one of its official phrases.
   */
  groups: { weightOf: string[]; alternatives: string[][]; factor: number }[];
}

/** `stopwordWeight`: weight in ranking of a term made only of question words and particles. */
export function queryTerms(question: string, stopwordWeight = 0.5, expansionWeight = 0.5): QueryTerms {
  const analysis = analyze(question, { chat: true });
  // A question typed without diacritics is matched on folded terms only: its bare syllables
  // would otherwise count twice where the document happens to have the tone-less word.
  const own = [...new Set(termsOf(analysis, analysis.accented))];
  const matches = expansionWeight > 0 ? lexiconMatches(question) : [];
  const replaced = new Set(matches.flatMap((m) => m.everyday.split(" ")));
  const stop = new Set<string>();
  const content = new Set<string>();
  for (const s of analysis.syllables) {
    if (isStopword(s, analysis.accented)) {
      stop.add(s.word);
      stop.add(s.folded);
      continue;
    }
    // Syllables of an everyday expression are judged through its official wording instead.
    if (replaced.has(s.folded)) continue;
    content.add(analysis.accented ? `w${s.word}` : `f${s.folded}`);
  }
  for (const n of analysis.docNumbers) content.add(n);
  // Two topic words side by side ("giám sát", "hương ước"): a passage saying one of these shares a
  // phrase with the question, not only scattered words.
  const phrases = new Set<string>();
  const syl = analysis.syllables;
  for (let i = 0; i + 1 < syl.length; i++) {
    const a = syl[i] as (typeof syl)[number];
    const b = syl[i + 1] as (typeof syl)[number];
    if (isStopword(a, analysis.accented) || isStopword(b, analysis.accented)) continue;
    phrases.add(analysis.accented ? `W${a.word} ${b.word}` : `F${a.folded} ${b.folded}`);
  }
  const story = storyWords(question, analysis.accented);
  const contentWeight = new Map<string, number>();
  for (const t of content) if (story.has(t.slice(1))) contentWeight.set(t, CONTEXT_WEIGHT);
  const weights = new Map<string, number>();
  for (const t of own) {
    const parts = t.slice(1).split(" ");
    const w = t[0] !== "#" && parts.every((p) => stop.has(p)) ? stopwordWeight : 1;
    weights.set(t, t[0] !== "#" && parts.every((p) => story.has(p) || stop.has(p)) ? w * CONTEXT_WEIGHT : w);
  }
  // The official wording joins the search at a lower weight, folded only (the lexicon's spelling
  // of tones need not match the documents').
  const groups: QueryTerms["groups"] = [];
  for (const m of matches) {
    const alternatives: string[][] = [];
    const factor = m.everyday.split(" ").every((w) => story.has(w)) ? CONTEXT_WEIGHT : 1;
    for (const phrase of m.official) {
      const a = analyze(phrase);
      for (const t of termsOf(a, false)) if (!weights.has(t)) weights.set(t, expansionWeight * factor);
      alternatives.push(a.syllables.map((x) => `f${x.folded}`));
    }
    groups.push({ weightOf: m.everyday.split(" ").map((x) => `f${x}`), alternatives, factor });
  }
  return {
    terms: [...weights.keys()],
    weights,
    analysis,
    content: [...content],
    contentWeight,
    phrases: [...phrases],
    groups,
  };
}

/** Words in a question that point back to something its story named ("ông ấy", "việc đó"). */
const ANAPHOR =
  /\b(?:ong|ba|anh|chi|co|chu|bac|nguoi|viec|chuyen|cai|van ban|quyet dinh|cuoc hop|khoan) (?:ay|do|nay|kia)\b/u;
/** "họ", "nó", with their tones ("hộ", "nợ" fold alike). */
const PRONOUN = /(?:^|[\s,])(?:họ|nó)(?=[\s,.?!]|$)/u;

/**
 * The words (canonical and folded) said only in a story told before the question, when the
 * question itself still has at least two topic words; none otherwise.
 */
function storyWords(question: string, accented: boolean): Set<string> {
  const split = splitNarrative(question);
  if (!split) return new Set();
  // "… muốn cho ông ấy nghỉ": the question points back into the story, whose words then count.
  const lower = split.ask.toLowerCase().normalize("NFC");
  if (ANAPHOR.test(fold(lower)) || PRONOUN.test(lower)) return new Set();
  const ask = analyze(split.ask, { chat: true }).syllables;
  const asked = new Set(ask.flatMap((s) => [s.word, s.folded]));
  if (ask.filter((s) => !isStopword(s, accented)).length < 2) return new Set();
  const story = new Set<string>();
  for (const s of analyze(split.context, { chat: true }).syllables) {
    if (asked.has(s.word) || asked.has(s.folded)) continue;
    story.add(s.word);
    story.add(s.folded);
  }
  return story;
}

function termsOf(a: Analysis, withAccents: boolean): string[] {
  const out: string[] = [];
  const s = a.syllables;
  for (let i = 0; i < s.length; i++) {
    const cur = s[i];
    if (!cur) continue;
    if (withAccents) out.push(`w${cur.word}`);
    out.push(`f${cur.folded}`);
    const next = s[i + 1];
    if (next) {
      if (withAccents) out.push(`W${cur.word} ${next.word}`);
      out.push(`F${cur.folded} ${next.folded}`);
    }
  }
  for (const n of a.docNumbers) out.push(n);
  return out;
}
