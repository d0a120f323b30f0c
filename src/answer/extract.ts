/**
 * Extractive answers: from each of the best passages, the sentence(s) that answer the question,
 * with the question's words marked, and where they come from. No model is needed.
 */
import { analyze, isStopword } from "../text/analyze.js";
import { sentenceSpans } from "../text/sentences.js";
import { canonical, fold } from "../text/vietnamese.js";

/** A piece of quoted text; `mark` when it is one of the question's words. */
export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * The words of a question worth finding in a passage. Compared with diacritics when the question
 * has them ("quần" is not "quán"), folded otherwise; question words are left out, except inside a
 * pair with a topic word ("quần chúng" keeps "chúng").
 */
export interface Keywords {
  accented: boolean;
  words: Set<string>;
  pairs: Set<string>;
  /** The form a text word is compared in. */
  form(word: string): string;
}

export function questionKeywords(question: string): Keywords {
  const a = analyze(question, { chat: true });
  const form = a.accented ? (w: string) => canonical(w) : (w: string) => fold(w.toLowerCase());
  const words = new Set<string>();
  const pairs = new Set<string>();
  const syl = a.syllables;
  syl.forEach((s, i) => {
    const key = a.accented ? s.word : s.folded;
    const stop = isStopword(s, a.accented);
    if (!stop && key.length > 0) words.add(key);
    const next = syl[i + 1];
    if (next && !(stop && isStopword(next, a.accented)))
      pairs.add(`${key} ${a.accented ? next.word : next.folded}`);
  });
  return { accented: a.accented, words, pairs, form };
}

/**
 * The sentence(s) of `passage` that best answer: the sentence holding most of the question's
 * keywords (each counted once, weighted by `weight`), plus the next one when the best is a short
 * lead-in ending with ":" or shorter than `minLength`.
 */
export function bestSentences(
  passage: string,
  keywords: Keywords,
  weight: (folded: string) => number = () => 1,
  minLength = 60,
): string {
  const spans = sentenceSpans(passage);
  if (spans.length <= 1) return passage.trim();
  const sentences = spans.map(([s, e]) => passage.slice(s, e));
  let best = 0;
  let bestScore = -1;
  sentences.forEach((sentence, i) => {
    const words = new Set((sentence.match(/[\p{L}\p{N}]+/gu) ?? []).map(keywords.form));
    let score = 0;
    for (const k of keywords.words) if (words.has(k)) score += weight(fold(k));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  let end = best;
  const first = sentences[best] ?? "";
  if ((first.length < minLength || first.trimEnd().endsWith(":")) && best + 1 < sentences.length)
    end = best + 1;
  const startAt = spans[best]?.[0] ?? 0;
  const endAt = spans[end]?.[1] ?? passage.length;
  return passage.slice(startAt, endAt);
}

/** Splits text into segments, marking the question's words (and pairs) where they occur. */
export function highlight(text: string, keywords: Keywords): Segment[] {
  const tokens = [...text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)].map((m) => ({
    at: m.index ?? 0,
    text: m[0],
    form: keywords.form(m[0]),
  }));
  const marked = tokens.map((t, i) => {
    // Without diacritics one syllable stands for many words ("quan": quan, quán, quần): only
    // pairs of the question's words are marked then.
    if (keywords.accented && keywords.words.has(t.form)) return true;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    return (
      (prev !== undefined && keywords.pairs.has(`${prev.form} ${t.form}`)) ||
      (next !== undefined && keywords.pairs.has(`${t.form} ${next.form}`))
    );
  });
  const segments: Segment[] = [];
  const push = (t: string, mark: boolean) => {
    if (t.length === 0) return;
    const last = segments[segments.length - 1];
    if (last && last.mark === mark) last.text += t;
    else segments.push({ text: t, mark });
  };
  let last = 0;
  tokens.forEach((t, i) => {
    const between = text.slice(last, t.at);
    // Adjacent marked words become one marked run ("công tác dân vận"), the spaces included.
    push(between, Boolean(marked[i] && marked[i - 1] && /^\s+$/.test(between)));
    push(t.text, Boolean(marked[i]));
    last = t.at + t.text.length;
  });
  push(text.slice(last), false);
  return segments;
}

/** Plain text of segments. */
export function plain(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join("");
}
