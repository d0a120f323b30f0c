import { describe, expect, it } from "vitest";
import { focusOf } from "../../src/search/focus.js";

describe("what a question asks for", () => {
  it("is the noun just before its question word, with or without diacritics", () => {
    expect(focusOf("Mặt trận Tổ quốc giám sát bằng những hình thức nào?")).toEqual(["hinh", "thuc"]);
    expect(focusOf("Công dân có những nghĩa vụ gì khi thực hiện dân chủ ở cơ sở?")).toEqual(["nghia", "vu"]);
    expect(focusOf("ban giam sat dau tu cong dong co quyen gi")).toEqual(["quyen"]);
    expect(focusOf("Những nội dung nào do Nhân dân ở thôn bàn và quyết định?")).toEqual(["noi", "dung"]);
  });

  it("is nothing when the question word follows no noun ('là gì', a question without one)", () => {
    expect(focusOf("dan van la gi")).toBeUndefined();
    expect(focusOf("Kết luận 43 ban hành khi nào?")).toBeUndefined();
    expect(focusOf("Trưởng thôn do ai bầu?")).toBeUndefined();
  });
});
