import { describe, expect, it } from "vitest";
import { sentences } from "../../src/text/sentences.js";

describe("sentences", () => {
  it("splits at sentence ends but not inside dates or document numbers", () => {
    const text =
      "Thực hiện Kết luận số 43-KL/TW, ngày 07/01/2019 của Ban Bí thư. Đổi mới công tác dân vận. Nhà nước chỉ cấp kinh phí 1.500 đồng.";
    expect(sentences(text)).toEqual([
      "Thực hiện Kết luận số 43-KL/TW, ngày 07/01/2019 của Ban Bí thư.",
      "Đổi mới công tác dân vận.",
      "Nhà nước chỉ cấp kinh phí 1.500 đồng.",
    ]);
  });
  it("does not split before a lower-case word", () => {
    expect(sentences("Các biểu hiện quan liêu, hách dịch... nhũng nhiễu dân")).toHaveLength(1);
  });

  it("ends a sentence at a line break: a list kept in one passage quotes item by item", () => {
    const list =
      "2. Ban có các nhiệm vụ sau đây:\na) theo dõi tiến độ thi công;\nb) báo cáo kết quả giám sát.";
    expect(sentences(list)).toEqual([
      "2. Ban có các nhiệm vụ sau đây:",
      "a) theo dõi tiến độ thi công;",
      "b) báo cáo kết quả giám sát.",
    ]);
  });
});
