import { describe, expect, it } from "vitest";
import type { Passage } from "../../src/knowledge/types.js";
import { findSlots, generateItems } from "../../src/study/quiz.js";
import { checkerCorpus, checkItem } from "../../src/study/quiz-check.js";
import { index, prompts } from "../bot/test-engine.js";

const r = prompts.replies;

const passage = (id: string, text: string, sectionPath = ["Điều 1"]): Passage => ({
  id,
  docId: "luat",
  sectionPath,
  headings: "",
  text,
  ordinal: Number(id.replace(/\D/g, "")),
});
const documents = [{ id: "luat", shortTitle: "Luật mẫu" }];

describe("quiz items from passages", () => {
  it("finds dates, numbers with their unit, bodies that issue something, document numbers and motto words", () => {
    const slots = findSlots(
      "Kết luận số 43-KL/TW, ngày 07/01/2019 của Ban Bí thư; trong thời hạn 15 ngày làm việc; phương châm “Dân biết, dân bàn, dân làm, dân kiểm tra”.",
    );
    expect(slots.map((s) => [s.kind, s.value])).toEqual([
      ["document", "43-KL/TW"],
      ["date", "07/01/2019"],
      ["body", "Ban Bí thư"],
      ["number", "15 ngày làm việc"],
      ["term", "biết"],
      ["term", "bàn"],
      ["term", "làm"],
      ["term", "kiểm tra"],
    ]);
  });

  it("reads a day and month without a year as a date part, not a number of months", () => {
    expect(
      findSlots("Ngày 18 tháng 11 hằng năm là Ngày truyền thống; nhiệm kỳ 02 năm.").map((s) => s.value),
    ).toEqual(["02 năm"]);
  });

  it("blanks a fact with wrong options of the same type from the corpus, never one true elsewhere", () => {
    const passages = [
      passage("p1", "Ý kiến được gửi trong thời hạn 15 ngày kể từ ngày nhận được thông báo."),
      passage("p2", "Hội nghị được tổ chức ít nhất 30 ngày trước khi bầu."),
      passage("p3", "Kết quả được niêm yết trong 45 ngày tại nhà văn hoá."),
      // 60 ngày is also said "kể từ ngày nhận được": it must never be a wrong option of p1.
      passage("p4", "Trả lời trong thời hạn 60 ngày kể từ ngày nhận được kiến nghị."),
    ];
    const items = generateItems(passages, documents);
    const cloze = items.find((i) => i.form === "cloze" && i.source.passageId === "p1");
    expect(cloze?.text).toBe("Ý kiến được gửi trong thời hạn ___ kể từ ngày nhận được thông báo.");
    expect(cloze?.options[cloze.correct]).toBe("15 ngày");
    expect(cloze?.options.slice().sort()).toEqual(["15 ngày", "30 ngày", "45 ngày"]);
    expect(cloze?.source).toMatchObject({ passageId: "p1", title: "Luật mẫu", label: "Điều 1" });
    const tf = items.find((i) => i.form === "truefalse" && i.source.passageId === "p1");
    expect(tf?.text).toMatch(/trong thời hạn (15|30|45) ngày kể từ/);
    expect(tf?.text.includes("15 ngày")).toBe(tf?.correct === 0);
  });

  it("makes no item where fewer than two wrong options exist", () => {
    expect(generateItems([passage("p1", "Trong thời hạn 15 ngày, Ủy ban trả lời.")], documents)).toEqual([]);
  });

  it("asks about the plan's motto, its date and the body that issued Conclusion 43, and the checker accepts them", () => {
    const items = generateItems(index.passages, index.documents);
    const { byId, all } = checkerCorpus(index.passages);
    const motto = items.find((i) => i.form === "cloze" && i.text.includes("dân làm, dân ___”"));
    expect(motto?.options[motto.correct]).toBe("kiểm tra");
    expect(motto && checkItem(motto, byId, all, r)).toEqual({ ok: true, problems: [] });
    const issuer = items.find((i) => i.form === "cloze" && i.text.includes("ngày 07/01/2019 của ___"));
    expect(issuer?.options[issuer.correct]).toBe("Ban Bí thư");
    for (const i of items) {
      if (i.form !== "truefalse") expect(new Set(i.options).size).toBe(i.options.length);
      expect(i.source.title).toBe("Kế hoạch thực hiện KL 43-KL/TW");
    }
  });

  it("the checker rejects an item whose wrong option is true in the documents, or with two right options", () => {
    const passages = [
      passage("p1", "Ý kiến được gửi trong thời hạn 15 ngày kể từ ngày nhận được thông báo."),
      passage("p4", "Trả lời trong thời hạn 60 ngày kể từ ngày nhận được kiến nghị."),
    ];
    const { byId, all } = checkerCorpus(passages);
    const base = {
      id: "x",
      form: "cloze" as const,
      slot: "number" as const,
      text: "Ý kiến được gửi trong thời hạn ___ kể từ ngày nhận được thông báo.",
      correct: 0,
      answer: "15 ngày",
      source: {
        passageId: "p1",
        documentId: "luat",
        title: "Luật mẫu",
        label: "Điều 1",
        section: "Điều 1",
        sentence: passages[0]?.text ?? "",
      },
    };
    expect(
      checkItem({ ...base, options: ["15 ngày", "60 ngày", "90 ngày"] }, byId, all, r).problems,
    ).toContain("wrong option true elsewhere");
    expect(checkItem({ ...base, options: ["15 ngày", "15 ngày", "90 ngày"] }, byId, all, r).problems).toEqual(
      expect.arrayContaining(["two right options", "options not distinct"]),
    );
    expect(
      checkItem({ ...base, options: ["15 ngày", "Quốc hội", "90 ngày"] }, byId, all, r).problems,
    ).toContain("option of another type");
  });

  it("the checker measures a cloze question as the prompt words it, so a longer prompt cannot slip past it", () => {
    const sentence = "Ý kiến được gửi trong thời hạn 15 ngày kể từ ngày nhận được thông báo.";
    const { byId, all } = checkerCorpus([passage("p1", sentence)]);
    const text =
      `Ý kiến được gửi trong thời hạn ___ kể từ ngày nhận được thông báo. ${"Ghi chú thêm. ".repeat(14)}`.slice(
        0,
        270,
      );
    const item = {
      id: "x",
      form: "cloze" as const,
      slot: "number" as const,
      text,
      options: ["15 ngày", "30 ngày", "90 ngày"],
      correct: 0,
      answer: "15 ngày",
      source: {
        passageId: "p1",
        documentId: "luat",
        title: "Luật mẫu",
        label: "Điều 1",
        section: "Điều 1",
        sentence,
      },
    };
    const tooLong = "question too long for a poll";
    // «Điền vào chỗ trống: » and 270 characters fit a poll's 300.
    expect(checkItem(item, byId, all, r).problems).not.toContain(tooLong);
    const wordier = {
      ...r,
      study_question_cloze: "Hãy điền từ còn thiếu vào chỗ trống trong câu sau đây: {text}",
    };
    expect(checkItem(item, byId, all, wordier).problems).toContain(tooLong);
  });
});
