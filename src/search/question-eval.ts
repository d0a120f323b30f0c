/**
 * Evaluation of questions over the knowledge base: lines
 * `{id, question, expect: "answer"|"refuse", gold_phrases}`. A hit is a top-k excerpt of an
 * answered question that contains a gold phrase (compared after normalisation).
 */
import { z } from "zod";
import { excerptOf } from "../answer/citations.js";
import { extractCitations } from "../answer/compose.js";
import { canonical } from "../text/vietnamese.js";
import { readJsonl } from "./corpus-eval.js";
import { percentile } from "./metrics.js";
import type { Retriever } from "./retriever.js";

const QuestionLine = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  expect: z.enum(["answer", "refuse"]),
  gold_phrases: z.array(z.string()).default([]),
  /** For questions to refuse: "off" topic entirely, or "near" the documents' topic. */
  topic: z.enum(["off", "near"]).optional(),
});
export type EvalQuestion = z.infer<typeof QuestionLine>;
export const readQuestions = (path: string) => readJsonl(path, QuestionLine);

/** Lower-case, canonical tones, single spaces, no Markdown emphasis: how phrases are compared. */
export function normaliseForMatch(text: string): string {
  return canonical(text.replace(/[*_]/g, "")).replace(/\s+/g, " ").trim();
}

export interface QuestionOutcome {
  id: string;
  expect: "answer" | "refuse";
  topic?: "off" | "near";
  answered: boolean;
  coverage: number;
  /** Rank (1-based) of the first excerpt containing a gold phrase among the top 5, or 0. */
  hitRank: number;
  ms: number;
}

export interface QuestionReport {
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  hit5: number;
  /** Confusion matrix of the refusal decision. */
  confusion: { answerAnswered: number; answerRefused: number; refuseAnswered: number; refuseRefused: number };
  /** Share of answerable questions refused, and of unanswerable ones answered. */
  wrongRefusalRate: number;
  wrongAnswerRate: number;
  /** Refusal rate among unanswerable questions off the topic and near it (when labelled). */
  refusedOffTopic: number;
  refusedNearTopic: number;
  ms: { p50: number; p95: number };
  outcomes: QuestionOutcome[];
}

/**
 * Runs the questions through the index and the extractive composer: an excerpt is what a user is
 * shown (the quoted sentences), so a hit means the user sees the answer, not just its passage.
 */
export async function evaluateQuestions(
  retriever: Retriever,
  questions: readonly EvalQuestion[],
): Promise<QuestionReport> {
  const index = retriever.index;
  const outcomes: QuestionOutcome[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const result = await retriever.search(q.question, 5);
    const ms = performance.now() - t0;
    const phrases = q.gold_phrases.map(normaliseForMatch);
    let hitRank = 0;
    if (result.answered) {
      const excerpts = extractCitations(index, result).map((c) => normaliseForMatch(excerptOf(c)));
      hitRank = excerpts.findIndex((e) => phrases.some((p) => e.includes(p))) + 1;
    }
    outcomes.push({
      id: q.id,
      expect: q.expect,
      topic: q.topic,
      answered: result.answered,
      coverage: result.coverage,
      hitRank,
      ms,
    });
  }
  const answerable = outcomes.filter((o) => o.expect === "answer");
  const unanswerable = outcomes.filter((o) => o.expect === "refuse");
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const hitAt = (k: number) =>
    share(answerable.filter((o) => o.hitRank > 0 && o.hitRank <= k).length, answerable.length);
  const confusion = {
    answerAnswered: answerable.filter((o) => o.answered).length,
    answerRefused: answerable.filter((o) => !o.answered).length,
    refuseAnswered: unanswerable.filter((o) => o.answered).length,
    refuseRefused: unanswerable.filter((o) => !o.answered).length,
  };
  const times = outcomes.map((o) => o.ms);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hit1: hitAt(1),
    hit3: hitAt(3),
    hit5: hitAt(5),
    confusion,
    wrongRefusalRate: share(confusion.answerRefused, answerable.length),
    wrongAnswerRate: share(confusion.refuseAnswered, unanswerable.length),
    refusedOffTopic: refusedShare(unanswerable.filter((o) => o.topic !== "near")),
    refusedNearTopic: refusedShare(unanswerable.filter((o) => o.topic === "near")),
    ms: { p50: percentile(times, 50), p95: percentile(times, 95) },
    outcomes,
  };
}

function refusedShare(outcomes: QuestionOutcome[]): number {
  return outcomes.length === 0 ? 0 : outcomes.filter((o) => !o.answered).length / outcomes.length;
}

/**
 * The not-found threshold from calibration questions: the coverage midway between the highest
 * refused-to-be unanswerable coverage and the next answerable one, chosen to refuse as many
 * unanswerable questions as possible while refusing at most `maxWrongRefusal` of the answerable.
 */
export function calibrateThreshold(outcomes: readonly QuestionOutcome[], maxWrongRefusal = 0.05): number {
  const answerable = outcomes.filter((o) => o.expect === "answer").map((o) => o.coverage);
  const unanswerable = outcomes.filter((o) => o.expect === "refuse").map((o) => o.coverage);
  const candidates = [...new Set([...answerable, ...unanswerable, 0, 1.0001])].sort((a, b) => a - b);
  let best = { threshold: 0, score: -1 };
  for (let i = 0; i < candidates.length; i++) {
    // Thresholds sit midway between observed values, never on one.
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
