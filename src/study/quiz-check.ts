/**
 * A checker of quiz items, written apart from the generator so that it can catch the
 * generator's mistakes: it reads only the item and the passages. An item passes when its
 * source sentence is in its passage; exactly one option (or the true/false verdict) agrees with
 * the sentence; the options are distinct and of the fact's type; no wrong option is true
 * elsewhere in the documents (checked more strictly than the generator does: the wrong fact with
 * its two words before, one before and one after, or two after, is found in no passage); and the
 * texts fit Telegram's polls, measured as the prompts word the questions (the same templates of
 * prompts/replies.yaml the bot renders them with). Used by the study module, the tests and
 * bench/quiz.ts.
 */
import type { Passage } from "../knowledge/types.js";
import { fill, type Replies } from "../prompts.js";
import { comparable, findSlots, type QuizItem } from "./quiz.js";

export interface CheckOutcome {
  ok: boolean;
  /** Why not, in short English tags (for the benchmark's table). */
  problems: string[];
}

const strip = (s: string) => s.replace(/^… /, "").replace(/ …$/, "");

/** The fact a statement holds where it differs from `right` (the same text elsewhere). */
function difference(right: string, other: string): { before: string; value: string; after: string } {
  let i = 0;
  while (i < right.length && i < other.length && right[i] === other[i]) i++;
  let j = 0;
  while (
    j < right.length - i &&
    j < other.length - i &&
    right[right.length - 1 - j] === other[other.length - 1 - j]
  )
    j++;
  // Widen to whole words.
  while (i > 0 && /[\p{L}\p{N}/-]/u.test(other[i - 1] as string)) i--;
  while (j > 0 && /[\p{L}\p{N}/-]/u.test(other[other.length - j] as string)) j--;
  return {
    before: other.slice(0, i),
    value: other.slice(i, other.length - j),
    after: other.slice(other.length - j),
  };
}

/** The part of `sentence` a window of it (with one fact changed) shows. */
function alignedPart(sentence: string, window: string): string {
  const head = window.slice(0, 12);
  const tail = window.slice(-12);
  const from = sentence.indexOf(head);
  const to = sentence.lastIndexOf(tail);
  return sentence.slice(Math.max(from, 0), to >= 0 && to >= from ? to + tail.length : sentence.length);
}

/** The question templates the checker measures items with (prompts/replies.yaml). */
export type QuestionTexts = Pick<Replies, "study_question_cloze" | "study_question_truefalse">;

/** A Telegram quiz poll's question holds at most this many characters. */
const POLL_QUESTION_MAX = 300;

/**
 * Checks one item against the passages (`all`: their comparable text, see checkerCorpus), its
 * question worded by `texts` as the bot words it.
 */
export function checkItem(
  item: QuizItem,
  passages: ReadonlyMap<string, Passage>,
  all: string,
  texts: QuestionTexts,
): CheckOutcome {
  const problems: string[] = [];
  const passage = passages.get(item.source.passageId);
  const sentence = item.source.sentence;
  if (!passage?.text.includes(sentence)) problems.push("source sentence not in its passage");
  const inSentence = (s: string) => comparable(sentence).includes(comparable(strip(s)));
  const said = (s: string) => all.includes(comparable(s));
  // Words only: a closing quote or a dash is not a word of the context.
  const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));

  /** The wrong statement `before value after` is said in the documents around the value. */
  const trueElsewhere = (before: string, value: string, after: string) => {
    const l = words(strip(before));
    const r = words(strip(after));
    const grams = [
      [...l.slice(-2), value].join(" "),
      [...l.slice(-1), value, ...r.slice(0, 1)].join(" "),
      [value, ...r.slice(0, 2)].join(" "),
    ].filter((g) => g !== value);
    return grams.length === 0 || grams.some(said);
  };
  const sameType = (value: string) => {
    const slots = findSlots(value);
    if (item.slot === "term") return slots.length === 0 && !/\d/.test(value) && words(value).length <= 3;
    if (item.slot === "body") return value.trim().length > 0 && !/\d/.test(value);
    const [only] = slots;
    return slots.length === 1 && only?.kind === item.slot && only.value.length === value.trim().length;
  };

  if (item.form === "cloze") {
    const parts = item.text.split("___");
    if (parts.length !== 2) problems.push("not one blank");
    const [before = "", after = ""] = parts;
    const right = item.options[item.correct];
    if (right === undefined || !inSentence(`${before}${right}${after}`))
      problems.push("right option not the document's");
    item.options.forEach((o, i) => {
      if (i === item.correct) return;
      if (inSentence(`${before}${o}${after}`)) problems.push("two right options");
      if (trueElsewhere(before, o, after)) problems.push("wrong option true elsewhere");
    });
    if (!item.options.every(sameType)) problems.push("option of another type");
    const unit = (o: string) => findSlots(o)[0]?.unit;
    if (item.slot === "number" && new Set(item.options.map(unit)).size > 1)
      problems.push("numbers of other units");
    if (fill(texts.study_question_cloze, { text: item.text }).length > POLL_QUESTION_MAX)
      problems.push("question too long for a poll");
  } else if (item.form === "choice") {
    const right = item.options[item.correct] ?? "";
    if (!inSentence(right)) problems.push("right option not the document's");
    item.options.forEach((o, i) => {
      if (i === item.correct) return;
      if (inSentence(o)) problems.push("two right options");
      const d = difference(right, o);
      if (!sameType(d.value)) problems.push("option of another type");
      if (trueElsewhere(d.before, d.value, d.after)) problems.push("wrong option true elsewhere");
    });
  } else {
    const truth = inSentence(item.text);
    if (truth !== (item.correct === 0)) problems.push("verdict not the document's");
    if (!truth) {
      const d = difference(alignedPart(sentence, strip(item.text)), strip(item.text));
      if (!sameType(d.value)) problems.push("changed fact of another type");
      if (trueElsewhere(d.before, d.value, d.after)) problems.push("changed fact true elsewhere");
    }
    if (fill(texts.study_question_truefalse, { text: item.text }).length > POLL_QUESTION_MAX)
      problems.push("question too long for a poll");
  }
  if (item.form !== "truefalse") {
    const keys = item.options.map(comparable);
    if (new Set(keys).size !== keys.length) problems.push("options not distinct");
    if (item.options.length < 3) problems.push("fewer than three options");
    if (item.options.some((o) => o.length > 100)) problems.push("option too long for a poll");
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)] };
}

/** The passages as the checker reads them: by id, and all their text in one comparable string. */
export function checkerCorpus(passages: readonly Passage[]): { byId: Map<string, Passage>; all: string } {
  return {
    byId: new Map(passages.map((p) => [p.id, p])),
    all: passages.map((p) => comparable(p.text)).join("\n"),
  };
}
