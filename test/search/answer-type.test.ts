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

  it("asks a question about money for an amount of money, the chat 'bn' read as 'bao nhiêu'", () => {
    expect(answerType("Ai cản trở người dân góp ý thì bị phạt tiền bao nhiêu?")).toEqual({ kind: "money" });
    expect(answerType("Mỗi thành viên BTTND xã đc hỗ trợ bn tiền 1 tháng?")).toEqual({ kind: "money" });
    expect(answerType("Kinh phí thực hiện kế hoạch này là bao nhiêu tỷ đồng?")).toEqual({ kind: "money" });
    expect(answerType("Tổ bầu cử có bn người?")).toEqual({ kind: "count", unit: "nguoi" });
    expect(canAnswer({ kind: "money" }, "Phạt tiền từ 1.000.000 đồng đến 3.000.000 đồng.")).toBe(true);
    expect(canAnswer({ kind: "money" }, "mức hỗ trợ 02 triệu đồng mỗi tháng")).toBe(true);
    expect(canAnswer({ kind: "money" }, "Ngân sách nhà nước bảo đảm kinh phí hoạt động của Ban.")).toBe(
      false,
    );
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

  it("asks a 'where' question for a named place, and 'who signed' for a person's name", () => {
    expect(answerType("Hội nghị Trung ương 7 họp ở đâu?")).toEqual({ kind: "place" });
    expect(answerType("Tỉnh nào ban hành kế hoạch này?")).toEqual({ kind: "place" });
    expect(answerType("Ai ký kế hoạch này?")).toEqual({ kind: "person" });
    expect(answerType("Trưởng Ban Dân vận là ai?")).toEqual({ kind: "person" });
    expect(answerType("kl 43 do ai ban hanh")).toEqual({ kind: "any" });
    expect(answerType("Cơ quan nào xây dựng kế hoạch này?")).toEqual({ kind: "any" });
    expect(answerType("Những ai phải tăng cường lãnh đạo?")).toEqual({ kind: "any" });
    expect(answerType("Ban Bí thư khóa XII gồm những ai?")).toEqual({ kind: "person" });
    expect(canAnswer({ kind: "place" }, "Hội nghị được tổ chức tại Hà Nội.")).toBe(true);
    expect(canAnswer({ kind: "place" }, "Ban Thường vụ Tỉnh ủy xây dựng kế hoạch từ tỉnh đến cơ sở.")).toBe(
      false,
    );
    expect(canAnswer({ kind: "person" }, "Bí thư Tỉnh ủy Nguyễn Văn An ký ban hành.")).toBe(true);
    expect(canAnswer({ kind: "person" }, "Ban Thường vụ Tỉnh ủy xây dựng kế hoạch thực hiện như sau")).toBe(
      false,
    );
  });
});
