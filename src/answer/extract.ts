/**
 * Extractive answers: from each of the best passages, the sentence(s) that answer the question,
 * with the question's words marked, and where they come from. No model is needed.
 */
import { analyze, isStopword } from "../text/analyze.js";
import { sentenceSpans } from "../text/sentences.js";
import { fold } from "../text/vietnamese.js";

/** A piece of quoted text; `mark` when it is one of the question's words. */
export interface Segment {
  text: string;
  mark: boolean;
}

/** The words of a question that are worth finding in a passage (folded, no question words). */
export function questionKeywords(question: string): Set<string> {
  const a = analyze(question, { chat: true });
  const out = new Set<string>();
  for (const s of a.syllables) if (!isStopword(s, a.accented) && s.folded.length > 0) out.add(s.folded);
  return out;
}

/**
 * The sentence(s) of `passage` that best answer: the sentence holding most of the question's
 * keywords (each counted once, weighted by `weight`), plus the next one when the best is a short
 * lead-in ending with ":" or shorter than `minLength`.
 */
export function bestSentences(
  passage: string,
  keywords: Set<string>,
  weight: (folded: string) => number = () => 1,
  minLength = 60,
): string {
  const spans = sentenceSpans(passage);
  if (spans.length <= 1) return passage.trim();
  const sentences = spans.map(([s, e]) => passage.slice(s, e));
  let best = 0;
  let bestScore = -1;
  sentences.forEach((sentence, i) => {
    const words = new Set(fold(sentence.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? []);
    let score = 0;
    for (const k of keywords) if (words.has(k)) score += weight(k);
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

/** Splits text into segments, marking each word whose folded form is a question keyword. */
export function highlight(text: string, keywords: Set<string>): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  const push = (t: string, mark: boolean) => {
    if (t.length === 0) return;
    const prev = segments[segments.length - 1];
    // Adjacent marked words become one marked run ("công tác dân vận"), spaces included.
    if (prev && prev.mark === mark) prev.text += t;
    else segments.push({ text: t, mark });
  };
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    const at = m.index ?? 0;
    const between = text.slice(last, at);
    const mark = keywords.has(fold(m[0].toLowerCase()));
    const prev = segments[segments.length - 1];
    if (mark && prev?.mark && /^\s+$/.test(between)) push(between, true);
    else push(between, false);
    push(m[0], mark);
    last = at + m[0].length;
  }
  push(text.slice(last), false);
  return segments;
}

/** Plain text of segments. */
export function plain(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join("");
}
