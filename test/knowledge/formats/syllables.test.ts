import { describe, expect, it } from "vitest";
import { isVietnameseSyllable, syllableShare } from "../../../src/knowledge/formats/syllables.js";

describe("Vietnamese syllables", () => {
  it("accepts the syllables of real sentences, composed or not, in any case", () => {
    const sentence =
      "Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới quốc gia khuỷu người nghiêng giữ gìn";
    for (const w of sentence.split(" ")) expect(isVietnameseSyllable(w), w).toBe(true);
    expect(isVietnameseSyllable("NGHIÊNG")).toBe(true);
    expect(isVietnameseSyllable("tiếng".normalize("NFD"))).toBe(true);
  });

  it("refuses mojibake, split marks, two tones and a closed rhyme with the wrong tone", () => {
    for (const w of ["nh", "Uû", "ĐIỀ", "ViÖt", "Céng", "hoµ", "tiêt", "càc", "ắà", "xyz", "strong"])
      expect(isVietnameseSyllable(w), w).toBe(false);
  });

  it("scores a text by its share of syllables", () => {
    expect(syllableShare("Ủy ban nhân dân tỉnh Lào Cai")).toBe(1);
    expect(syllableShare("Uû ban nh©n d©n tØnh Lµo Cai")).toBeLessThan(0.5);
    expect(syllableShare("123 … ---")).toBeNaN();
  });
});
