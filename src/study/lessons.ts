/**
 * Lessons and questions from the knowledge index: a series' passages in reading order (all of a
 * document, or chosen sections), a lesson's text (where it is, "Bài 4/23", the section path, the
 * passage quoted and cited like an answer), its check question, and the bank of quiz items (the
 * generator's items the checker accepts), computed once per index.
 */
import { shortSection } from "../answer/citations.js";
import { citationPath, formatSectionPath } from "../knowledge/structure.js";
import type { Passage } from "../knowledge/types.js";
import { fill, type Replies } from "../prompts.js";
import type { QuizQuestion } from "../storage/ports.js";
import { fold } from "../text/vietnamese.js";
import { comparable, generateItems, type QuizItem } from "./quiz.js";
import { checkerCorpus, checkItem } from "./quiz-check.js";

/** What the study module reads of the knowledge index. */
export interface StudyIndex {
  readonly passages: readonly Passage[];
  readonly documents: readonly { id: string; title: string; shortTitle: string }[];
  passage(id: string): Passage | undefined;
}

/** A section a series is limited to, matched against each label of a passage's path ("II", "II.2", "Chương I", "Điều 5"). */
function sectionMatches(path: readonly string[], wanted: string): boolean {
  const w = fold(wanted.trim().toLowerCase()).replace(/\s+/g, " ");
  const labels = path.map((l) => fold(l.toLowerCase()));
  const numerals = w.split(".");
  // "II.2": the first label opens with "II", the next with "2".
  if (/^[ivxlc\d]+(?:\.[\da-z]+)+$/.test(w)) {
    return numerals.every((n, i) => new RegExp(`^${n}(?![\\p{L}\\p{N}])`, "u").test(labels[i] ?? ""));
  }
  const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return labels.some((l) => new RegExp(`^${escaped}(?![\\p{L}\\p{N}])`, "u").test(l));
}

/** A document's passages in reading order, only those under one of `sections` when given. */
export function seriesPassages(
  index: StudyIndex,
  documentId: string,
  sections: readonly string[],
): Passage[] {
  return index.passages
    .filter((p) => p.docId === documentId)
    .filter((p) => sections.length === 0 || sections.some((s) => sectionMatches(p.sectionPath, s)))
    .sort((a, b) => a.ordinal - b.ordinal);
}

const banks = new WeakMap<StudyIndex, WeakMap<Replies, QuizItem[]>>();

/**
 * The quiz items of an index that the checker accepts, their questions worded by `r` (computed
 * on first use, then kept).
 */
export function quizBank(index: StudyIndex, r: Replies): QuizItem[] {
  const byReplies = banks.get(index) ?? new WeakMap<Replies, QuizItem[]>();
  banks.set(index, byReplies);
  let bank = byReplies.get(r);
  if (!bank) {
    const { byId, all } = checkerCorpus(index.passages);
    bank = generateItems(index.passages, index.documents).filter((i) => checkItem(i, byId, all, r).ok);
    byReplies.set(r, bank);
  }
  return bank;
}

const cutTo = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

/** A quiz item as a question a person reads (Vietnamese from the prompts), with its explanation. */
export function questionOf(item: QuizItem, r: Replies): QuizQuestion {
  const answer =
    item.form === "truefalse"
      ? item.correct === 0
        ? r.study_true
        : `${r.study_false} (${item.answer})`
      : (item.options[item.correct] as string);
  const question =
    item.form === "cloze"
      ? fill(r.study_question_cloze, { text: item.text })
      : item.form === "choice"
        ? fill(r.study_question_choice, { title: item.source.title })
        : fill(r.study_question_truefalse, { text: item.text });
  // The article's title tells whose duty or which procedure the sentence is about, unless it
  // names the answer itself.
  const article = item.source.article;
  const context =
    article && article.length <= 120 && !comparable(article).includes(comparable(item.answer))
      ? fill(r.study_question_in_article, { article, question })
      : question;
  return {
    itemId: item.id,
    question: context.length <= 280 ? context : question,
    options: item.form === "truefalse" ? [r.study_true, r.study_false] : item.options,
    correct: item.correct,
    explanation: fill(r.study_explanation, {
      answer: cutTo(answer, 90),
      title: item.source.title,
      label: item.source.label,
    }),
  };
}

/**
 * A passage's check question: its first accepted quiz item (a cloze first); for a passage that
 * holds no fact to ask about, where in the document it stands (its section among the ones
 * around it, labelled as citations label them), when the document has at least three.
 */
export function checkQuestion(index: StudyIndex, passage: Passage, r: Replies): QuizQuestion | undefined {
  const rank = { cloze: 0, choice: 1, truefalse: 2 } as const;
  const [item] = quizBank(index, r)
    .filter((i) => i.source.passageId === passage.id)
    .sort((a, b) => rank[a.form] - rank[b.form]);
  if (item) return questionOf(item, r);
  const document = index.documents.find((d) => d.id === passage.docId);
  if (!document) return undefined;
  const labelOf = (p: Passage) => shortSection(citationPath(p.sectionPath));
  const labels = [
    ...new Set(
      index.passages
        .filter((p) => p.docId === passage.docId)
        .sort((a, b) => a.ordinal - b.ordinal)
        .map(labelOf),
    ),
  ].filter((l) => l.length <= 100);
  const own = labelOf(passage);
  const at = labels.indexOf(own);
  if (at < 0 || labels.length < 3) return undefined;
  // The sections around its own, in the document's order, so the right option moves with the lesson.
  const from = Math.max(0, Math.min(at - 1, labels.length - 4));
  const options = labels.slice(from, from + 4);
  return {
    itemId: `section:${passage.id}`,
    question: fill(r.study_question_section, { title: document.shortTitle }),
    options,
    correct: options.indexOf(own),
    explanation: fill(r.study_explanation, { answer: own, title: document.shortTitle, label: own }),
  };
}

/** A question with numbered options and how to answer, for channels without quiz polls. */
export function plainQuestion(q: QuizQuestion, r: Replies, hint = r.study_answer_hint): string {
  return [
    q.question,
    ...q.options.map((option, i) => fill(r.study_option_line, { n: i + 1, option })),
    hint,
  ].join("\n");
}

/** A lesson as sent: the series, "Bài n/total", the section path, the passage quoted and cited. */
export function lessonText(
  index: StudyIndex,
  series: { title: string },
  n: number,
  total: number,
  passage: Passage,
  r: Replies,
): string {
  const document = index.documents.find((d) => d.id === passage.docId);
  return fill(r.study_lesson, {
    series: series.title,
    n,
    total,
    section: formatSectionPath(passage.sectionPath),
    passage: passage.leadIn ? `${passage.leadIn} … ${passage.text}` : passage.text,
    title: document?.shortTitle ?? passage.docId,
    label: shortSection(citationPath(passage.sectionPath)),
  });
}

/** A lesson's check question for the delivery worker and the replies: poll fields and the plain form. */
export function lessonQuestion(
  index: StudyIndex,
  passage: Passage,
  r: Replies,
): (QuizQuestion & { plain: string }) | undefined {
  const q = checkQuestion(index, passage, r);
  if (!q) return undefined;
  const asked = { ...q, question: fill(r.study_check, { question: q.question }) };
  return { ...asked, plain: plainQuestion(asked, r) };
}

/** The graded reply to a lesson's check question: right or not, the answer, and the passage that holds it. */
export function gradedLesson(
  index: StudyIndex,
  passage: Passage,
  q: QuizQuestion,
  option: number,
  r: Replies,
): string {
  const document = index.documents.find((d) => d.id === passage.docId);
  return [
    fill(option === q.correct ? r.study_graded_right : r.study_graded_wrong, { explanation: q.explanation }),
    fill(r.study_graded_source, {
      passage: passage.text,
      title: document?.shortTitle ?? passage.docId,
      label: shortSection(citationPath(passage.sectionPath)),
    }),
  ].join("\n\n");
}
