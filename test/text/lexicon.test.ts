import { describe, expect, it } from "vitest";
import synonymData from "../../src/text/data/synonyms.json" with { type: "json" };
import { lexiconMatches, officialWording } from "../../src/text/lexicon.js";
import { fold } from "../../src/text/vietnamese.js";

describe("everyday-to-official lexicon", () => {
  it("finds an everyday expression with or without diacritics", () => {
    expect(officialWording("Sổ đỏ nhà tôi đứng tên bố")).toContain("giấy chứng nhận quyền sử dụng đất");
    expect(officialWording("so do nha toi dung ten bo")).toContain("giấy chứng nhận quyền sử dụng đất");
  });

  it("matches with diacritics when the question has them: 'bạo hành' is not 'bảo hành'", () => {
    const abuse = "quyền trẻ em";
    expect(officialWording("Cô giáo bạo hành trẻ em")).toContain(abuse);
    expect(officialWording("co giao bao hanh tre em")).toContain(abuse);
    expect(officialWording("Đồ chơi còn bảo hành trẻ em dùng được không")).not.toContain(abuse);
  });

  it("expands chat abbreviations before matching ('dc ko' is 'được không')", () => {
    expect(officialWording("4 nam roi con kien dc ko")).toContain("thời hiệu khởi kiện");
    expect(officialWording("4 năm rồi còn kiện dc k")).toContain("thời hiệu khởi kiện");
    // "đc" has a đ, but the question is still one typed without diacritics.
    expect(officialWording("4 nam roi con kien đc ko")).toContain("thời hiệu khởi kiện");
  });

  it("lets the longer expression win over a shorter one inside it", () => {
    const matches = lexiconMatches("con làm giấy khai sinh ở đâu");
    expect(matches.map((m) => m.everyday)).toEqual(["lam giay khai sinh"]);
    expect(matches[0]?.official).toContain("đăng ký khai sinh");
  });

  it("matches whole words only", () => {
    expect(officialWording("so do nha toi")).toContain("giấy chứng nhận quyền sử dụng đất");
    // "sổ đỏ" is not inside "sổ đỏng" nor "tổ sổ đỏ…" glued words.
    expect(officialWording("so dong nha toi")).not.toContain("giấy chứng nhận quyền sử dụng đất");
    expect(officialWording("soso do nha toi")).not.toContain("giấy chứng nhận quyền sử dụng đất");
  });

  it("finds every one of its everyday expressions, as written and without diacritics", () => {
    const missed: string[] = [];
    for (const e of synonymData.entries) {
      for (const x of e.everyday) {
        for (const q of [`${x}?`, fold(`${x}?`)]) {
          if (!lexiconMatches(q).some((m) => m.official === e.official)) missed.push(q);
        }
      }
    }
    expect(missed.slice(0, 10)).toEqual([]);
  });

  it("has well-formed data: every expression belongs to one entry and leads somewhere", () => {
    const seen = new Map<string, number>();
    synonymData.entries.forEach((e, i) => {
      expect(e.everyday.length, `entry ${i}`).toBeGreaterThan(0);
      expect(e.official.length, `entry ${i}`).toBeGreaterThan(0);
      for (const o of e.official) expect(o.trim().length, `entry ${i}`).toBeGreaterThan(0);
      for (const x of e.everyday) {
        // With diacritics: "cầm sổ đỏ" and "cắm sổ đỏ" are two expressions that fold alike.
        const key = x.normalize("NFC").toLowerCase().trim();
        expect(seen.get(key), `"${x}" is in entries ${seen.get(key)} and ${i}`).toBeUndefined();
        seen.set(key, i);
      }
    });
    expect(seen.size).toBeGreaterThan(2000);
  });
});
