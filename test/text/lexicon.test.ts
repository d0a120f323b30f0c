import { describe, expect, it } from "vitest";
import synonymData from "../../src/text/data/synonyms.json" with { type: "json" };
import { everydayFor, lexiconMatches, officialWording } from "../../src/text/lexicon.js";
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

  it("reads a citizen's words for grassroots democracy as the laws' wording, typed either way", () => {
    const cases: [string, string][] = [
      ["Có cho ông trưởng thôn nghỉ được không", "cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố"],
      ["xa muon khong cho lam truong thon nua", "cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố"],
      ["Họp xóm cần tối thiểu bao nhiêu hộ", "ít nhất"],
      ["hon mot nua so ho dong y thi sao", "tỷ lệ biểu quyết tán thành"],
      ["Bỏ phiếu trên điện thoại có được tính không", "Biểu quyết trực tuyến"],
      ["xa giau thong tin thi lam the nao", "Trách nhiệm tổ chức thực hiện việc công khai thông tin"],
      ["Được 95 điểm thì xếp loại gì", "Xếp loại hằng năm"],
      ["gui y kien len quoc hoi qua ai", "Phản ánh ý kiến, kiến nghị của cử tri và Nhân dân"],
    ];
    const missed = cases.filter(([q, official]) => !officialWording(q).includes(official));
    expect(missed).toEqual([]);
  });

  it("indexes a law's passage under the everyday words for it", () => {
    const passage = "Người xin thôi làm Trưởng thôn, Tổ trưởng tổ dân phố vì lí do sức khỏe";
    expect(everydayFor(passage)).toEqual(expect.arrayContaining(["bãi trưởng thôn", "thay trưởng thôn mới"]));
    const yearly =
      "Hội nghị của cộng đồng dân cư được tổ chức định kỳ mỗi năm một lần vào thời gian cuối năm";
    expect(everydayFor(yearly)).toContain("một năm họp mấy lần");
    expect(everydayFor("không ít hơn 05 người")).toContain("tối thiểu");
  });

  it("keeps one-word everyday terms out when they hide inside common words ('kiện' in 'điều kiện')", () => {
    expect(officialWording("dieu kien lam truong thon")).not.toContain("khiếu nại");
    expect(officialWording("Điều kiện làm trưởng thôn là gì")).not.toContain("khiếu nại");
    expect(officialWording("kiện lên xã được không")).toContain("khiếu nại");
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
