/**
 * The not-found rule, graded: a question is answered when the best passage covers enough of the
 * question's topic words, weighted by how rare each word is in the corpus (words the corpus never
 * uses weigh the most); below that, down to a second threshold, the bot says the documents do not
 * say this exactly and quotes the closest passages ("partial"); below that it is not found. The
 * thresholds are not picked by eye: `npm run calibrate` sets them from the dev questions of several
 * knowledge bases and writes them to data/not-found.json.
 */
import calibrated from "./data/not-found.json" with { type: "json" };

/** How well the documents answer a question: confidently, only nearly, or not at all. */
export type Grade = "answered" | "partial" | "not_found";

export interface NotFoundPolicy {
  /** Minimum IDF-weighted share of the question's topic found in the best passage to answer. */
  minCoverage: number;
  /** Minimum share to show the closest passages as a partial answer (≤ minCoverage). */
  partialCoverage: number;
}

export const DEFAULT_POLICY: NotFoundPolicy = {
  minCoverage: calibrated.minCoverage,
  partialCoverage: calibrated.partialCoverage,
};

/**
 * The grade of a question from its best passage's `coverage`; `typeOk` is false when the question
 * asks for a kind of answer (a date, a count, a name) the passage does not hold, which caps the
 * grade at partial: the passage is about the topic but does not say what was asked; `phrase` is
 * false when the passage shares no phrase with the question (two topic words side by side, an
 * everyday expression's official wording, a document number), which rules out a partial answer.
 */
export function gradeOf(policy: NotFoundPolicy, coverage: number, typeOk = true, phrase = true): Grade {
  if (coverage >= policy.minCoverage && typeOk) return "answered";
  // The closest passages are worth showing only when they share a phrase with the question:
  // "Thời tiết Hà Nội cuối tuần này" shares a few scattered words with a law, nothing more.
  if (coverage >= Math.min(policy.partialCoverage, policy.minCoverage) && phrase) return "partial";
  return "not_found";
}
