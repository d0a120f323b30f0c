import { describe, expect, it } from "vitest";
import { type CalibrationSet, calibrateGrades, type QuestionOutcome } from "../../src/eval/question-eval.js";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { KnowledgeIndex } from "../../src/search/knowledge-index.js";
import { gradeOf } from "../../src/search/not-found.js";
import { KNOWLEDGE } from "../helpers.js";

describe("the graded not-found rule", () => {
  const policy = { minCoverage: 0.6, partialCoverage: 0.35 };

  it("answers from the upper threshold, shows the closest passages between, refuses below", () => {
    expect(gradeOf(policy, 0.6)).toBe("answered");
    expect(gradeOf(policy, 0.59)).toBe("partial");
    expect(gradeOf(policy, 0.35)).toBe("partial");
    expect(gradeOf(policy, 0.34)).toBe("not_found");
  });

  it("never answers with confidence when the passage lacks the kind of answer asked for", () => {
    expect(gradeOf(policy, 0.95, false)).toBe("partial");
    expect(gradeOf(policy, 0.2, false)).toBe("not_found");
  });

  it("shows no closest passages that share only scattered words with the question", () => {
    expect(gradeOf(policy, 0.5, true, true)).toBe("partial");
    expect(gradeOf(policy, 0.5, true, false)).toBe("not_found");
    // A confident answer is judged by coverage and the kind of answer alone.
    expect(gradeOf(policy, 0.9, true, false)).toBe("answered");
  });

  it("on the plan: an off-topic question is not found even with the lowest threshold, an on-topic one is partial", async () => {
    const { documents } = await loadKnowledge(KNOWLEDGE);
    const index = KnowledgeIndex.build(documents);
    index.setPolicy({ minCoverage: 0.99, partialCoverage: 0.01 });
    for (const q of [
      "Thời tiết Hà Nội cuối tuần này có mưa không?",
      "Viết giúp tôi bài thơ tặng mẹ nhân ngày 8/3",
    ])
      expect(index.search(q, 3)).toMatchObject({ grade: "not_found", phrase: false });
    expect(index.search("Hội quần chúng được Nhà nước cấp tiền khi nào?", 3)).toMatchObject({
      grade: "partial",
      phrase: true,
    });
  });

  it("treats a partial threshold above the answer threshold as equal to it", () => {
    expect(gradeOf({ minCoverage: 0.5, partialCoverage: 0.7 }, 0.55)).toBe("answered");
    expect(gradeOf({ minCoverage: 0.5, partialCoverage: 0.7 }, 0.45)).toBe("not_found");
  });
});

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
