import { describe, expect, it } from "vitest";
import { analyze } from "../../src/text/analyze.js";

const words = (text: string, chat = false) => analyze(text, { chat }).syllables.map((s) => s.word);

describe("document numbers", () => {
  it.each(["43-KL/TW", "KL 43", "kết luận số 43", "Kết luận 43", "kl43", "ket luan so 43", "KL-43"])(
    "%s is conclusion 43",
    (text) => {
      expect(analyze(text).docNumbers).toContain("#43kl");
    },
  );
  it("tells resolutions, programmes and conclusions apart", () => {
    expect(analyze("Nghị quyết số 25-NQ/TW").docNumbers).toEqual(["#25nq"]);
    expect(analyze("Chương trình số 33-CTr/TU").docNumbers).toEqual(["#33ctr"]);
    expect(analyze("nq25").docNumbers).toEqual(["#25nq"]);
  });
  it("does not see a document number in a date", () => {
    expect(analyze("ngày 07/01/2019").docNumbers).toEqual([]);
  });
});

describe("abbreviations", () => {
  it("expands MTTQ, UBND, HĐND to their full form, in any case", () => {
    expect(words("MTTQ")).toEqual(["mặt", "trận", "tổ", "quốc"]);
    expect(words("mttq")).toEqual(["mặt", "trận", "tổ", "quốc"]);
    expect(words("UBND tỉnh")).toEqual(["ủy", "ban", "nhân", "dân", "tỉnh"]);
    expect(words("HĐND")).toEqual(["hội", "đồng", "nhân", "dân"]);
  });
  it("expands TU only in capitals: lower-case 'tu' is an ordinary syllable", () => {
    expect(words("33-CTr/TU")).toEqual(["33", "chương", "trình", "tỉnh", "ủy"]);
    expect(words("tu hoc")).toEqual(["tu", "hoc"]);
  });

  it("expands TƯ only in capitals: 'tư vấn' is not 'trung ương vấn'", () => {
    expect(words("Ban Chấp hành TƯ")).toEqual(["ban", "chấp", "hành", "trung", "ương"]);
    expect(words("Tư vấn pháp luật")).toEqual(["tư", "vấn", "pháp", "luật"]);
    expect(words("ban chấp hành tw")).toEqual(["ban", "chấp", "hành", "trung", "ương"]);
  });
  it("expands chat abbreviations only in questions", () => {
    expect(words("co dc ko", true)).toEqual(["co", "được", "không"]);
    expect(words("co dc ko", false)).toEqual(["co", "dc", "ko"]);
  });
  it("does not take a chat abbreviation with đ for a question typed with diacritics", () => {
    expect(analyze("dang ky ket hon can giay to gi đc ko", { chat: true }).accented).toBe(false);
    expect(analyze("cho xin sđt cua phuong", { chat: true }).accented).toBe(false);
    expect(analyze("Đăng ký kết hôn đc ko", { chat: true }).accented).toBe(true);
    // In a document "đc" is not an abbreviation of anything: the text has diacritics.
    expect(analyze("đc", {}).accented).toBe(true);
    expect(analyze("dan van la gi", {}).accented).toBe(false);
    expect(analyze("dân vận", {}).accented).toBe(true);
    expect(analyze("đi", {}).accented).toBe(true);
  });

  it("adds the number of an ordinal so 'thứ hai' finds item 2", () => {
    expect(words("nhiệm vụ thứ hai", true)).toContain("2");
    expect(words("mục đích đầu tiên", true)).toContain("1");
  });
});
