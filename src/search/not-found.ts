/**
 * The not-found rule: a question is answered only when the best passage covers enough of the
 * question's topic words, weighted by how rare each word is in the corpus (words the corpus never
 * uses weigh the most). The threshold is not picked by eye: `npm run calibrate` sets it from the
 * calibration questions in bench/questions/plan-dev.jsonl and writes it to not-found.json.
 */
import calibrated from "./data/not-found.json" with { type: "json" };

export interface NotFoundPolicy {
  /** Minimum IDF-weighted share of the question's topic found in the best passage. */
  minCoverage: number;
}

export const DEFAULT_POLICY: NotFoundPolicy = { minCoverage: calibrated.minCoverage };

/** `coverage`: the IDF-weighted share of the question's topic found in the best passage. */
export function isAnswerable(policy: NotFoundPolicy, coverage: number): boolean {
  return coverage >= policy.minCoverage;
}
