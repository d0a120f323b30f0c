import { describe, expect, it } from "vitest";
import { type CalibrationSet, calibrateGrades, type QuestionOutcome } from "../../src/eval/question-eval.js";

describe("calibration over several knowledge bases", () => {
  const outcome = (expect: "answer" | "refuse", coverage: number): QuestionOutcome => ({
    id: `${expect}${coverage}`,
    expect,
    coverage,
    typeOk: true,
    phrase: true,
    grade: "answered",
    answered: true,
    hitRank: 0,
    articleRank: 0,
    excerptChars: [],
    ms: 0,
  });
  const set = (name: string, answer: number[], refuse: number[]): CalibrationSet => ({
    name,
    outcomes: [...answer.map((c) => outcome("answer", c)), ...refuse.map((c) => outcome("refuse", c))],
  });

  it("keeps each threshold within its bound on every set, and goes as far as the bounds allow", () => {
    const twenty = (from: number) => Array.from({ length: 20 }, (_, i) => from + i * 0.02);
    const a = set("a", twenty(0.5), [0.1, 0.2, 0.45, 0.55]);
    // Set b alone would allow a higher refusal threshold: its answerable questions start at 0.6
    // but for one; set a's start at 0.5.
    const b = set("b", [0.3, ...twenty(0.62).slice(1)], [0.2, 0.25, 0.7, 0.8]);
    const { partialCoverage, minCoverage } = calibrateGrades([a, b], 0.05, 0.1);
    const share = (xs: number[], f: (x: number) => boolean) => xs.filter(f).length / xs.length;
    for (const s of [a, b]) {
      const answerable = s.outcomes.filter((o) => o.expect === "answer").map((o) => o.coverage);
      const unanswerable = s.outcomes.filter((o) => o.expect === "refuse").map((o) => o.coverage);
      expect(share(answerable, (c) => c < partialCoverage)).toBeLessThanOrEqual(0.05);
      expect(share(unanswerable, (c) => c >= minCoverage)).toBeLessThanOrEqual(0.1);
    }
    // Set a bounds the refusal threshold (its second answerable question is at 0.52)…
    expect(partialCoverage).toBeGreaterThan(0.5);
    expect(partialCoverage).toBeLessThan(0.52);
    // …and set b the answer threshold (its unanswerable 0.8 must not be answered with confidence).
    expect(minCoverage).toBeGreaterThan(0.8);
    expect(minCoverage).toBeLessThan(0.82);
  });
});
