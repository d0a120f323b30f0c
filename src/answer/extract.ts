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
 * The sentence(s) of `passage` that best answer: each sentence scores the weights of the
 * question's words it holds (each once) plus both words' weights for each pair of question words
 * it holds side by side. The best sentence is quoted, with the runner-up when it scores nearly as
 * well (joined by " … " when not adjacent), and with the next sentence when the best is only a
 * short lead-in ending with ":".
 */
export function bestSentences(
  passage: string,
  keywords: Keywords,
  weight: (folded: string) => number = () => 1,
  minLength = 60,
): string {
  const spans = sentenceSpans(passage);
  if (spans.length <= 1) return passage.trim();
  const scores = spans.map(([s, e]) => {
    const forms = (passage.slice(s, e).match(/[\p{L}\p{N}]+/gu) ?? []).map(keywords.form);
    const present = new Set(forms);
    let score = 0;
    for (const k of keywords.words) if (present.has(k)) score += weight(fold(k));
    const pairs = new Set<string>();
    for (let i = 0; i + 1 < forms.length; i++) {
      const pair = `${forms[i]} ${forms[i + 1]}`;
      if (keywords.pairs.has(pair) && !pairs.has(pair)) {
        pairs.add(pair);
        score += weight(fold(forms[i] ?? "")) + weight(fold(forms[i + 1] ?? ""));
      }
    }
    return score;
  });
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const best = order[0] ?? 0;
  const chosen = new Set([best]);
  const runnerUp = order[1];
  if (
    runnerUp !== undefined &&
    (scores[runnerUp] ?? 0) >= RUNNER_UP * (scores[best] ?? 0) &&
    (scores[best] ?? 0) > 0
  ) {
    chosen.add(runnerUp);
  }
  const lead = passage.slice(...(spans[best] as [number, number]));
  if ((lead.length < minLength || lead.trimEnd().endsWith(":")) && best + 1 < spans.length)
    chosen.add(best + 1);
  const picked = [...chosen].sort((a, b) => a - b);
  let out = "";
  picked.forEach((i, k) => {
    const [s, e] = spans[i] as [number, number];
    const prev = picked[k - 1];
    if (prev === undefined) out = passage.slice(s, e);
    else if (prev === i - 1) out += passage.slice((spans[prev] as [number, number])[1], e);
    else out += ` … ${passage.slice(s, e)}`;
  });
  return out;
}

/** A second sentence is quoted too when it scores at least this share of the best. */
const RUNNER_UP = 0.75;

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
