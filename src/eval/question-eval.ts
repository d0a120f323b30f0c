/**
 * Evaluation of questions over the knowledge base: lines
 * `{id, question, expect: "answer"|"refuse", gold_phrases?, gold?, style?, topic?}`.
 *
 * Two ways to say where the answer is:
 * - `gold_phrases` (the plan's sets): a hit is a shown excerpt containing one of the phrases;
 * - `gold: [{file, article?, phrase?}]` (the multi-document sets): a hit is a shown citation from
 *   that file whose passage stands in that article (the document's own number, as cited) and/or
 *   contains that phrase.
 * A question is graded answered, partial (the closest passages shown, marked as not an exact
 * answer) or not found; hits count wherever citations are shown, and the grades are reported apart.
 */
import { z } from "zod";
import { type Citation, excerptOf } from "../answer/citations.js";
import { extractCitations } from "../answer/compose.js";
import type { Passage } from "../knowledge/types.js";
import type { KnowledgeIndex } from "../search/knowledge-index.js";
import type { Grade } from "../search/not-found.js";
import type { Retriever } from "../search/retriever.js";
import { canonical } from "../text/vietnamese.js";
import { readJsonl } from "./corpus-eval.js";
import { percentile } from "./metrics.js";

const GoldPlace = z
  .object({
    file: z.string().min(1),
    article: z.string().min(1).optional(),
    phrase: z.string().min(1).optional(),
  })
  .refine((g) => g.article !== undefined || g.phrase !== undefined, "gold needs an article or a phrase");
export type GoldPlace = z.infer<typeof GoldPlace>;

const QuestionLine = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  expect: z.enum(["answer", "refuse"]),
  gold_phrases: z.array(z.string()).default([]),
  gold: z.array(GoldPlace).default([]),
  /** How the question is worded (cadre, everyday, nodiacritics, abbrev, multidoc…), for reports. */
  style: z.string().optional(),
  /** For questions to refuse: "off" topic entirely, or "near" the documents' topic. */
  topic: z.enum(["off", "near"]).optional(),
});
export type EvalQuestion = z.infer<typeof QuestionLine>;
export const readQuestions = (path: string) => readJsonl(path, QuestionLine);

/**
 * Lower-case, canonical tones, single spaces, no Markdown emphasis, conversion residue or invisible
 * marks (soft hyphens): how phrases are compared.
 */
export function normaliseForMatch(text: string): string {
  return canonical(text.normalize("NFC").replace(/[*_|\u00AD\u200B-\u200D\u2060\uFEFF]/g, ""))
    .replace(/\s+/g, " ")
    .trim();
}

/** The article a passage is cited under ("Điều 63" → "63"), or undefined outside articles. */
export function citedArticle(p: Pick<Passage, "sectionPath">): string | undefined {
  for (let i = p.sectionPath.length - 1; i >= 0; i--) {
    const m = /^Điều\s+(\d+[a-zđ]?)\b/u.exec(p.sectionPath[i] ?? "");
    if (m) return m[1];
  }
  return undefined;
}

/** True when a citation of `passage` from `file` is one of the gold places. */
export function matchesGold(
  gold: readonly GoldPlace[],
  file: string,
  passage: Passage,
  articleLevel = false,
): boolean {
  // An item of a long list is quoted after its lead-in: the user reads both.
  const text = normaliseForMatch(passage.leadIn ? `${passage.leadIn}\n${passage.text}` : passage.text);
  const article = citedArticle(passage);
  return gold.some(
    (g) =>
      sameFile(g.file, file) &&
      (g.article === undefined || g.article === article) &&
      ((articleLevel && g.article !== undefined) ||
        g.phrase === undefined ||
        text.includes(normaliseForMatch(g.phrase))),
  );
}

const sameFile = (a: string, b: string) => a.replace(/^.*\//, "") === b.replace(/^.*\//, "");

export interface QuestionOutcome {
  id: string;
  expect: "answer" | "refuse";
  topic?: "off" | "near";
  style?: string;
  grade: Grade;
  /** True when the grade is "answered". */
  answered: boolean;
  coverage: number;
  /** False when the best passage lacks the kind of answer asked for (a date, an amount…). */
  typeOk: boolean;
  /** True when the best passage shares a phrase with the question. */
  phrase: boolean;
  /** Rank (1-based) of the first shown citation that holds the answer, among the top 5, or 0. */
  hitRank: number;
  /** The same, a citation of the right article counting even when the phrase is in another passage of it. */
  articleRank: number;
  /** Characters of each excerpt shown (the top 3). */
  excerptChars: number[];
  ms: number;
}

/** Counts of each grade. */
export type GradeCounts = Record<Grade, number>;

export interface QuestionReport {
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  hit5: number;
  /** hit@3 where a citation of the right article counts although the expected phrase is elsewhere in it. */
  articleHit3: number;
  /** Confusion matrix of the refusal decision ("refused" = not found; partial counts as answered). */
  confusion: { answerAnswered: number; answerRefused: number; refuseAnswered: number; refuseRefused: number };
  /** Grades of the answerable questions and of the unanswerable ones. */
  grades: { answerable: GradeCounts; unanswerable: GradeCounts };
  /** Share of answerable questions not found, and of unanswerable ones answered with confidence. */
  wrongRefusalRate: number;
  wrongAnswerRate: number;
  /** Share of unanswerable questions not found or marked partial, off the topic and near it. */
  refusedOffTopic: number;
  refusedNearTopic: number;
  /** Median characters of the excerpts shown. */
  medianExcerpt: number;
  ms: { p50: number; p95: number };
  outcomes: QuestionOutcome[];
}

/**
 * Runs the questions through the index and the extractive composer: an excerpt is what a user is
 * shown (the quoted sentences), so a hit means the user sees the answer, not just its passage.
 * `onCitations` sees every question's shown citations (benchmarks check them against the sources).
 */
export async function evaluateQuestions(
  retriever: Retriever,
  questions: readonly EvalQuestion[],
  onCitations?: (q: EvalQuestion, citations: Citation[]) => void,
): Promise<QuestionReport> {
  const index = retriever.index;
  const outcomes: QuestionOutcome[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const result = await retriever.search(q.question, 5);
    const ms = performance.now() - t0;
    let hitRank = 0;
    let articleRank = 0;
    let excerptChars: number[] = [];
    if (result.grade !== "not_found") {
      const citations = extractCitations(index, result);
      onCitations?.(q, citations);
      hitRank = citations.slice(0, 5).findIndex((c) => holdsAnswer(index, q, c)) + 1;
      articleRank = citations.slice(0, 5).findIndex((c) => holdsAnswer(index, q, c, true)) + 1;
      excerptChars = citations.slice(0, 3).map((c) => [...excerptOf(c)].length);
    }
    outcomes.push({
      id: q.id,
      expect: q.expect,
      topic: q.topic,
      style: q.style,
      grade: result.grade,
      answered: result.grade === "answered",
      coverage: result.coverage,
      typeOk: result.typeOk,
      phrase: result.phrase,
      hitRank,
      articleRank,
      excerptChars,
      ms,
    });
  }
  return summarise(outcomes);
}

function holdsAnswer(index: KnowledgeIndex, q: EvalQuestion, c: Citation, articleLevel = false): boolean {
  if (q.gold.length > 0) {
    const passage = index.passage(c.passageId);
    const file = index.documents.find((d) => d.id === c.documentId)?.source;
    if (passage && file && matchesGold(q.gold, file, passage, articleLevel)) return true;
  }
  const phrases = q.gold_phrases.map(normaliseForMatch);
  const excerpt = normaliseForMatch(excerptOf(c));
  return phrases.some((p) => excerpt.includes(p));
}

/** The report of a set of outcomes (also of a subset, e.g. one style of question). */
export function summarise(outcomes: QuestionOutcome[]): QuestionReport {
  const answerable = outcomes.filter((o) => o.expect === "answer");
  const unanswerable = outcomes.filter((o) => o.expect === "refuse");
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const hitAt = (k: number) =>
    share(answerable.filter((o) => o.hitRank > 0 && o.hitRank <= k).length, answerable.length);
  const articleHit3 = share(
    answerable.filter((o) => o.articleRank > 0 && o.articleRank <= 3).length,
    answerable.length,
  );
  const count = (os: QuestionOutcome[]): GradeCounts => ({
    answered: os.filter((o) => o.grade === "answered").length,
    partial: os.filter((o) => o.grade === "partial").length,
    not_found: os.filter((o) => o.grade === "not_found").length,
  });
  const grades = { answerable: count(answerable), unanswerable: count(unanswerable) };
  const confusion = {
    answerAnswered: grades.answerable.answered + grades.answerable.partial,
    answerRefused: grades.answerable.not_found,
    refuseAnswered: grades.unanswerable.answered + grades.unanswerable.partial,
    refuseRefused: grades.unanswerable.not_found,
  };
  const times = outcomes.map((o) => o.ms);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hit1: hitAt(1),
    hit3: hitAt(3),
    hit5: hitAt(5),
    articleHit3,
    confusion,
    grades,
    wrongRefusalRate: share(confusion.answerRefused, answerable.length),
    wrongAnswerRate: share(grades.unanswerable.answered, unanswerable.length),
    refusedOffTopic: markedShare(unanswerable.filter((o) => o.topic !== "near")),
    refusedNearTopic: markedShare(unanswerable.filter((o) => o.topic === "near")),
    medianExcerpt: percentile(
      outcomes.flatMap((o) => o.excerptChars),
      50,
    ),
    ms: { p50: percentile(times, 50), p95: percentile(times, 95) },
    outcomes,
  };
}

/** Unanswerable questions the bot did not answer as if the documents said it. */
function markedShare(outcomes: QuestionOutcome[]): number {
  return outcomes.length === 0 ? 0 : outcomes.filter((o) => o.grade !== "answered").length / outcomes.length;
}

/** One dev set's coverages, for calibration. */
export interface CalibrationSet {
  name: string;
  outcomes: readonly QuestionOutcome[];
}

/** The thresholds calibration chose, and how each dev set fares with them. */
export interface Calibration {
  minCoverage: number;
  partialCoverage: number;
}

/**
 * The two thresholds from several dev sets at once, each kept by its own rule so that neither is
 * fitted to one knowledge base:
 * - `partialCoverage` (below it: not found) is the highest that refuses at most
 *   `maxWrongRefusal` of the answerable questions in EVERY set;
 * - `minCoverage` (from it: answered with confidence) is the lowest that answers at most
 *   `maxWrongAnswer` of the unanswerable questions with confidence in every set that has some,
 *   and never below `partialCoverage`.
 * Thresholds sit midway between observed coverages, never on one.
 */
export function calibrateGrades(
  sets: readonly CalibrationSet[],
  maxWrongRefusal = 0.05,
  maxWrongAnswer = 0.1,
): Calibration {
  const all = [...new Set(sets.flatMap((s) => s.outcomes.map((o) => o.coverage)))].sort((a, b) => a - b);
  const cuts = [0, ...all.slice(1).map((c, i) => ((all[i] as number) + c) / 2), 1.0001];
  const ok = (t: number, pick: (s: CalibrationSet) => QuestionOutcome[], max: number, below: boolean) =>
    sets.every((s) => {
      const os = pick(s);
      if (os.length === 0) return true;
      // Not found below the threshold; answered with confidence from it, when the passage holds
      // the kind of answer asked for (otherwise the grade stops at partial).
      // (Not found also when the passage shares no phrase with the question: counted against the
      // refusal threshold, which can only refuse more.)
      const wrong = os.filter((o) =>
        below ? o.coverage < t || !o.phrase : o.coverage >= t && o.typeOk,
      ).length;
      return wrong / os.length <= max;
    });
  const answerable = (s: CalibrationSet) => s.outcomes.filter((o) => o.expect === "answer");
  const unanswerable = (s: CalibrationSet) => s.outcomes.filter((o) => o.expect === "refuse");
  let partial = 0;
  for (const t of cuts) if (ok(t, answerable, maxWrongRefusal, true)) partial = t;
  let min = 1.0001;
  for (const t of [...cuts].reverse())
    if (t >= partial && ok(t, unanswerable, maxWrongAnswer, false)) min = t;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { minCoverage: round(Math.max(min, partial)), partialCoverage: round(partial) };
}

/**
 * The single not-found threshold from one set of calibration questions (the earlier rule, kept for
 * comparison): the coverage that refuses as many unanswerable questions as possible while refusing
 * at most `maxWrongRefusal` of the answerable.
 */
export function calibrateThreshold(outcomes: readonly QuestionOutcome[], maxWrongRefusal = 0.05): number {
  const answerable = outcomes.filter((o) => o.expect === "answer").map((o) => o.coverage);
  const unanswerable = outcomes.filter((o) => o.expect === "refuse").map((o) => o.coverage);
  const candidates = [...new Set([...answerable, ...unanswerable, 0, 1.0001])].sort((a, b) => a - b);
  let best = { threshold: 0, score: -1 };
  for (let i = 0; i < candidates.length; i++) {
    const t =
      i === 0 ? (candidates[0] as number) : ((candidates[i - 1] as number) + (candidates[i] as number)) / 2;
    const wrongRefusal = answerable.filter((c) => c < t).length / (answerable.length || 1);
    if (wrongRefusal > maxWrongRefusal) break;
    const refused = unanswerable.filter((c) => c < t).length / (unanswerable.length || 1);
    const score = refused + (1 - wrongRefusal);
    if (score > best.score) best = { threshold: t, score };
  }
  return Math.round(best.threshold * 1000) / 1000;
}
