import { describe, expect, it } from "vitest";
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
