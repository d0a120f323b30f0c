/**
 * Question reduction: people often tell what happened before they ask ("Nhà tôi ở tổ 12, hôm qua
 * phường dán thông báo mời họp nhưng tôi đi làm không dự được, vậy tôi có được góp ý bằng cách khác
 * không?"). The story's words are rare in the documents, so they would weigh the most in ranking and
 * in the not-found rule while saying least about what is asked. This finds where the question
 * itself starts: the last sentence that asks something, and inside it the phrase that opens the
 * question ("vậy", "cho tôi hỏi", "xin hỏi"…). No I/O, no knowledge of any document.
 */
import { sentences } from "./sentences.js";
import { fold } from "./vietnamese.js";

/** The story told before a question, and the question itself. */
export interface NarrativeSplit {
  context: string;
  ask: string;
}

/** Folded words that make a sentence a question. */
const ASKING =
  /(?:\?|\b(?:gi|j|nao|khong|ko|k|hok|hong|sao|bao nhieu|may|ai|dau|chua|the nao|ntn|ra sao|duoc ko|dc ko|duoc khong|dc k|nhu the nao|la sao)\s*[.!?]*\s*$)/u;

/** Folded phrases that open the question after a story, longest first. */
const OPENERS = [
  "vay thi",
  "the thi",
  "nhu vay",
  "vay",
  "cho toi hoi",
  "cho em hoi",
  "cho minh hoi",
  "cho chau hoi",
  "cho con hoi",
  "cho hoi",
  "xin hoi",
  "toi muon hoi",
  "em muon hoi",
  "muon hoi",
  "hoi la",
];
const OPENER_RE = new RegExp(`(?:^|[,;:.!?–-]\\s*|\\s)(${OPENERS.join("|")})\\b`, "gu");

/** Syllables a story must have before it counts as one (shorter prefaces stay in the question). */
const MIN_CONTEXT_SYLLABLES = 6;

const syllableCount = (s: string) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).length;

/**
 * Splits a long question into its story and its question, or returns undefined when there is no
 * story worth setting apart (a short question, or no place where the question clearly starts).
 */
export function splitNarrative(question: string): NarrativeSplit | undefined {
  const text = question.normalize("NFC").replace(/\s+/g, " ").trim();
  if (syllableCount(text) < MIN_CONTEXT_SYLLABLES + 3) return undefined;
  const parts = sentences(text);
  // The last sentence that asks; everything before it is the story.
  let askAt = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (ASKING.test(fold((parts[i] ?? "").toLowerCase()))) {
      askAt = i;
      break;
    }
  }
  if (askAt < 0) askAt = parts.length - 1;
  let context = parts.slice(0, askAt).join(" ");
  let ask = parts.slice(askAt).join(" ");
  // Inside the asking sentence, the last opener after a story of its own starts the question.
  const folded = fold(ask.toLowerCase());
  let cut = -1;
  for (const m of folded.matchAll(OPENER_RE)) {
    const at = (m.index ?? 0) + m[0].length - (m[1]?.length ?? 0);
    if (syllableCount(ask.slice(0, at)) >= MIN_CONTEXT_SYLLABLES - syllableCount(context)) cut = at;
  }
  if (cut > 0) {
    context = `${context} ${ask.slice(0, cut)}`.trim();
    ask = ask.slice(cut).trim();
  }
  if (syllableCount(context) < MIN_CONTEXT_SYLLABLES || syllableCount(ask) === 0) return undefined;
  return { context: context.replace(/[\s,;:–-]+$/u, ""), ask };
}
