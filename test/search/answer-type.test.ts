import { describe, expect, it } from "vitest";
import { answerType, canAnswer } from "../../src/search/answer-type.js";

describe("answer types", () => {
  it("reads what a question asks for", () => {
    expect(answerType("Kết luận 43 ban hành ngày nào?")).toEqual({ kind: "date" });
    expect(answerType("ctr 33 ra khi nao")).toEqual({ kind: "date" });
    expect(answerType("Nghị quyết 25 có mấy chương?")).toEqual({ kind: "count", unit: "chuong" });
    expect(answerType("khóa mấy")).toEqual({ kind: "any" });
    expect(answerType("mức lương là bao nhiêu")).toEqual({ kind: "any" });
    expect(answerType("Hội quần chúng tự đảm bảo kinh phí thế nào?")).toEqual({ kind: "any" });
  });

  it("asks a date question for a date in the passage", () => {
    expect(canAnswer({ kind: "date" }, "Kết luận số 43-KL/TW, ngày 07/01/2019 của Ban Bí thư")).toBe(true);
    expect(canAnswer({ kind: "date" }, "Đổi mới công tác dân vận theo hướng thiết thực")).toBe(false);
  });

  it("asks a count for a number next to the thing counted, in digits, words or Roman numerals", () => {
    expect(canAnswer({ kind: "count", unit: "khoa" }, "Ban Chấp hành Trung ương khoá XI")).toBe(true);
    expect(canAnswer({ kind: "count", unit: "ngay" }, "trong thời hạn sáu mươi ngày")).toBe(true);
    expect(canAnswer({ kind: "count", unit: "chuong" }, "Chương trình số 33-CTr/TU của Tỉnh ủy")).toBe(false);
  });
});
