import { describe, expect, it } from "vitest";
import { checkQuestion, lessonText, questionOf, seriesPassages } from "../../src/study/lessons.js";
import type { QuizItem } from "../../src/study/quiz.js";
import { index, prompts } from "../bot/test-engine.js";

const r = prompts.replies;
const item = (
  article: string | undefined,
  answer = "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
): QuizItem => ({
  id: "i1",
  form: "cloze",
  slot: "body",
  text: "1. Phối hợp với ___ chỉ đạo, hướng dẫn, kiểm tra và tổ chức thực hiện Nghị quyết này.",
  options: ["Chính phủ", answer, "Ban Bí thư"],
  correct: 1,
  answer,
  source: {
    passageId: "nqlt:20.1",
    documentId: "nqlt",
    title: "Nghị quyết liên tịch 403/2017/NQLT",
    label: "Điều 20, khoản 1",
    section: "Điều 20 › khoản 1",
    sentence: "…",
    ...(article ? { article } : {}),
  },
});

describe("lessons and their questions", () => {
  it("opens a question with its article's title, unless the title names the answer", () => {
    const q = questionOf(item("Điều 20. Trách nhiệm của Ủy ban Thường vụ Quốc hội, Chính phủ"), r);
    expect(q.question).toBe(
      "Điều 20. Trách nhiệm của Ủy ban Thường vụ Quốc hội, Chính phủ — Điền vào chỗ trống: 1. Phối hợp với ___ chỉ đạo, hướng dẫn, kiểm tra và tổ chức thực hiện Nghị quyết này.",
    );
    expect(q.explanation).toBe(
      "Đáp án: Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam. Nguồn: Nghị quyết liên tịch 403/2017/NQLT · Điều 20, khoản 1",
    );
    const named = questionOf(item("Điều 5. Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"), r);
    expect(named.question).toMatch(/^Điền vào chỗ trống: /);
    expect(questionOf(item(undefined), r).question).toMatch(/^Điền vào chỗ trống: /);
  });

  it("takes a series' passages in reading order, of chosen sections only", () => {
    expect(seriesPassages(index, "ke-hoach-kl43", []).map((p) => p.id)).toHaveLength(10);
    expect(seriesPassages(index, "ke-hoach-kl43", ["I"]).map((p) => p.id)).toEqual([
      "ke-hoach-kl43:I.1",
      "ke-hoach-kl43:I.2",
      "ke-hoach-kl43:I.3",
    ]);
    expect(seriesPassages(index, "ke-hoach-kl43", ["II.2"]).map((p) => p.sectionPath.at(-1))).toEqual([
      "gạch đầu dòng 1",
      "gạch đầu dòng 2",
      "gạch đầu dòng 3",
    ]);
  });

  it("writes a lesson with where it is and its source, and asks where a passage without a fact stands", () => {
    const passage = index.passage("ke-hoach-kl43:I.3");
    if (!passage) throw new Error("the plan has no I.3");
    const text = lessonText(index, { title: "Mỗi ngày một điều" }, 4, 10, passage, r);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "📖 Mỗi ngày một điều — Bài 4/10",
      "I. MỤC ĐÍCH, YÊU CẦU › 3",
      "",
    ]);
    expect(text).toMatch(/^«3\. Các cấp ủy Đảng/m);
    expect(text.endsWith("— Kế hoạch thực hiện KL 43-KL/TW · I.3")).toBe(true);
    const plain = index.passage("ke-hoach-kl43:II.1");
    const q = plain && checkQuestion(index, plain, r);
    expect(q?.question).toBe("Đoạn vừa đọc nằm ở mục nào của Kế hoạch thực hiện KL 43-KL/TW?");
    expect(q?.options[q.correct]).toBe("II.1");
    expect(q?.options).toHaveLength(4);
  });
});
