import { describe, expect, it } from "vitest";
import { groupGaps, topicWords } from "../../../src/server/web/gaps.js";

const at = (minute: number) => `2026-12-01T03:${String(minute).padStart(2, "0")}:00.000Z`;

describe("gaps: questions not found, grouped by similarity", () => {
  it("reads a question's topic words without diacritics, case or question words", () => {
    expect([...topicWords("Giá XĂNG hôm nay là bao nhiêu?")]).toEqual(["gia", "xang", "hom"]);
  });

  it("puts the wordings of one question in one group, the most asked group first", () => {
    const gaps = groupGaps([
      { question: "Lương hưu tháng này?", askedAt: at(9) },
      { question: "gia xang hom nay bao nhieu", askedAt: at(8) },
      { question: "Giá xăng hôm nay?", askedAt: at(7) },
      { question: "giá xăng hôm nay?  ", askedAt: at(6) },
      { question: "Thủ tục cấp sổ đỏ", askedAt: at(5) },
      { question: "Lương hưu tháng này?", askedAt: at(4) },
    ]);
    expect(gaps.map((g) => [g.question, g.count, g.lastAskedAt])).toEqual([
      ["Giá xăng hôm nay?", 3, at(8)],
      ["Lương hưu tháng này?", 2, at(9)],
      ["Thủ tục cấp sổ đỏ", 1, at(5)],
    ]);
    expect(gaps[0]?.examples).toEqual(["gia xang hom nay bao nhieu"]);
  });

  it("keeps different questions apart even when they share a word", () => {
    const gaps = groupGaps([
      { question: "Giá xăng hôm nay?", askedAt: at(1) },
      { question: "Giá vàng hôm qua?", askedAt: at(2) },
    ]);
    expect(gaps).toHaveLength(2);
  });

  it("groups 5,000 questions quickly", () => {
    const questions = Array.from({ length: 5000 }, (_, i) => ({
      question: `câu hỏi số ${i % 700} về chủ đề ${i % 37} thứ ${i}`,
      askedAt: at(i % 60),
    }));
    const t0 = performance.now();
    const gaps = groupGaps(questions, 20);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(gaps).toHaveLength(20);
    expect(gaps.reduce((n, g) => n + g.count, 0)).toBeLessThanOrEqual(5000);
  });
});
