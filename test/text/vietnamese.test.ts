import { describe, expect, it } from "vitest";
import { canonical, canonicalTone, fold } from "../../src/text/vietnamese.js";

describe("canonical tone placement", () => {
  it.each([
    ["hoà", "hòa"],
    ["thuỷ", "thủy"],
    ["uỷ", "ủy"],
    ["khoẻ", "khỏe"],
    ["hòa", "hòa"],
    ["quả", "quả"],
    ["giữa", "giữa"],
    ["gì", "gì"],
    ["người", "người"],
    ["thuở", "thuở"],
    ["hoàn", "hoàn"],
    ["dân", "dân"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalTone(input)).toBe(expected);
  });

  it("makes old and new spellings of the plan's words equal", () => {
    expect(canonical("Tỉnh uỷ, hài hoà, khoá XI")).toBe(canonical("Tỉnh ủy, hài hòa, khóa XI"));
  });

  it("normalises decomposed (NFD) input", () => {
    expect(canonical("Da\u0302n va\u0323\u0302n")).toBe("dân vận");
  });
});

describe("fold", () => {
  it("removes diacritics and maps đ to d", () => {
    expect(fold("Đảng lãnh đạo, dân vận")).toBe("Dang lanh dao, dan van");
  });
});
