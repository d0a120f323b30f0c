import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  chunkDocument,
  citationPath,
  formatSectionPath,
  PASSAGE_MAX,
  paragraphs,
  parseStructure,
} from "../../src/knowledge/structure.js";

const plan = await readFile(new URL("../../knowledge/000_3cba0417107b8cbb.txt", import.meta.url), "utf8");

describe("the plan's structure", () => {
  const passages = chunkDocument("kh", "Kế hoạch", plan);
  const at = (fragment: string) => passages.find((p) => p.text.includes(fragment));

  it("joins the sentence split by the page break", () => {
    expect(paragraphs(plan).some((p) => p.includes("mạng xã hội. Đổi mới công tác dân vận"))).toBe(true);
    expect(at("mạng xã hội")?.sectionPath).toEqual(["II. NHIỆM VỤ, GIẢI PHÁP", "1"]);
  });

  it("gives every passage the section a citation names", () => {
    expect(formatSectionPath(at("Thực hiện Kết luận số 43-KL/TW")?.sectionPath ?? ["?"])).toBe("phần mở đầu");
    expect(at("Quy chế dân chủ ở cơ sở")?.sectionPath).toEqual([
      "II. NHIỆM VỤ, GIẢI PHÁP",
      "2",
      "gạch đầu dòng 3",
    ]);
    expect(at("Chống các khuynh hướng mị dân")?.sectionPath).toEqual([
      "II. NHIỆM VỤ, GIẢI PHÁP",
      "2",
      "gạch đầu dòng 2",
    ]);
    expect(at("tự đảm bảo kinh phí hoạt động")?.sectionPath).toEqual([
      "II. NHIỆM VỤ, GIẢI PHÁP",
      "3",
      "đoạn 2",
    ]);
    expect(at("Cấp ủy Đảng, chính quyền, Mặt trận Tổ quốc và")?.sectionPath).toEqual([
      "I. MỤC ĐÍCH, YÊU CẦU",
      "2",
    ]);
  });

  it("removes Markdown emphasis from the quoted text", () => {
    expect(passages.every((p) => !p.text.includes("*"))).toBe(true);
  });

  it("quotes no title line: the header (kind and trích yếu) is the document's title, not a passage", () => {
    expect(passages.some((p) => p.text.startsWith("KẾ HOẠCH"))).toBe(false);
    expect(passages[0]?.text.startsWith("Thực hiện Kết luận số 43-KL/TW, ngày 07/01/2019")).toBe(true);
    expect(passages[0]?.id).toBe("kh:p3");
    expect(passages.every((p) => p.text.length >= 40)).toBe(true);
  });

  it("never quotes the lead-in '2. Tập trung … trọng tâm là:' alone; its items carry it", () => {
    expect(passages.some((p) => p.text.startsWith("2. Tập trung làm tốt"))).toBe(false);
    expect(at("Quy chế dân chủ ở cơ sở")?.leadIn).toBe(
      "2. Tập trung làm tốt công tác dân vận của các cơ quan Nhà nước, trọng tâm là:",
    );
    expect(passages.map((p) => p.id)).toEqual([
      "kh:p3",
      "kh:I.1",
      "kh:I.2",
      "kh:I.3",
      "kh:II.1",
      "kh:II.2.g1",
      "kh:II.2.g2",
      "kh:II.2.g3",
      "kh:II.3",
      "kh:II.3.p2",
    ]);
  });

  it("gives the same ids on every run, and no id twice", () => {
    const again = chunkDocument("kh", "Kế hoạch", plan);
    expect(again.map((p) => p.id)).toEqual(passages.map((p) => p.id));
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
    expect(passages.map((p) => p.id)).toContain("kh:II.2.g3");
  });

  it("keeps the heading of a list in its items' headings", () => {
    expect(at("Quy chế dân chủ ở cơ sở")?.headings).toContain(
      "Tập trung làm tốt công tác dân vận của các cơ quan Nhà nước",
    );
  });
});

describe("legal documents", () => {
  it("follows Chương › Điều › khoản › điểm", async () => {
    const text = await readFile(new URL("../fixtures/legal/luat-mau.md", import.meta.url), "utf8");
    const blocks = parseStructure(text.replace(/^---[\s\S]*?---\n/, ""));
    const find = (s: string) => blocks.find((b) => b.text.includes(s))?.sectionPath;
    expect(find("tự đảm bảo kinh phí")).toEqual([
      "LUẬT MẪU",
      "Chương I. NHỮNG QUY ĐỊNH CHUNG",
      "Điều 2",
      "khoản 1",
    ]);
    expect(find("phản biện xã hội")).toEqual([
      "LUẬT MẪU",
      "Chương I. NHỮNG QUY ĐỊNH CHUNG",
      "Điều 2",
      "khoản 2",
      "điểm b",
    ]);
    expect(find("dự thảo điều lệ")).toEqual(["LUẬT MẪU", "Chương II. THÀNH LẬP HỘI", "Điều 3", "đoạn 1"]);
  });

  it("recognises Roman parts written I-, II. and III/ and lettered points a) and b.", () => {
    const blocks = parseStructure(
      "I- MỞ ĐẦU\n\nNội dung một.\n\nII. TIẾP\n\na) Điểm a.\n\nb. Điểm b.\n\nIII/ CUỐI\n\n+ Ý một.\n\n• Ý hai.",
    );
    expect(blocks.map((b) => b.sectionPath)).toEqual([
      ["I. MỞ ĐẦU", "đoạn 1"],
      ["II. TIẾP", "a"],
      ["II. TIẾP", "b"],
      ["III. CUỐI", "gạch đầu dòng 1"],
      ["III. CUỐI", "gạch đầu dòng 2"],
    ]);
  });

  it("cuts a long paragraph at sentence ends", () => {
    const sentence =
      "Cán bộ dân vận phải gần dân, hiểu dân, học dân và có trách nhiệm với dân trong mọi việc. ";
    const passages = chunkDocument("d", "T", sentence.repeat(20));
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(PASSAGE_MAX);
      expect(p.text.endsWith(".")).toBe(true);
    }
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });
});

const fixture = (name: string) => readFile(new URL(`../fixtures/documents/${name}`, import.meta.url), "utf8");

describe("a codified law (Bộ pháp điển): Điều 99.1.LQ.7. with its source line", async () => {
  const passages = chunkDocument("l", "Luật Mẫu", await fixture("luat-phap-dien.txt"));
  const at = (fragment: string) => passages.find((p) => p.text.includes(fragment));

  it("cites the article by its own number, the one the source line gives, never the code's first part", () => {
    expect(at("dự thảo điều lệ")?.sectionPath).toEqual([
      "Chương II. THÀNH LẬP VÀ HOẠT ĐỘNG CỦA HỘI",
      "Mục 1. HỒ SƠ VÀ QUYỀN CỦA HỘI",
      "Điều 7",
      "khoản 1",
    ]);
    expect(at("dự thảo điều lệ")?.headings).toContain("Điều 7. Hồ sơ và quyền của hội");
    expect(at("dự thảo điều lệ")?.id).toBe("l:cII.m1.d7.1");
    expect(passages.some((p) => p.sectionPath.includes("Điều 99"))).toBe(false);
  });

  it("gives a chapter and a section the title on the line after them", () => {
    expect(at("Luật này quy định")?.sectionPath).toEqual([
      "Chương I. NHỮNG QUY ĐỊNH CHUNG",
      "Điều 1",
      "đoạn 1",
    ]);
  });

  it("keeps the source line and the cross-reference note out, ordinary parentheses in", () => {
    const all = passages.map((p) => p.text).join("\n");
    expect(all).not.toContain("Luật số 12/2030/QH16");
    expect(all).not.toContain("Điều này có nội dung liên quan");
    expect(all).toContain("(sau đây gọi là hội)");
    expect(all).toContain("(bản chính)");
  });

  it("quotes a lead-in with its short list as one passage, items on their own lines", () => {
    const rights = at("Hội có các quyền sau đây:");
    expect(rights?.text).toBe(
      "2. Hội có các quyền sau đây:\na) Tuyên truyền mục đích của hội;\nb) Đại diện cho hội viên trong mối quan hệ đối nội, đối ngoại.",
    );
    expect(rights?.sectionPath.slice(-2)).toEqual(["Điều 7", "khoản 2"]);
  });

  it("splits a long list into its items, each with the lead-in in its headings and as leadIn", () => {
    const items = passages.filter((p) => p.sectionPath.includes("Điều 8"));
    expect(items.map((p) => p.sectionPath.at(-1))).toEqual(["khoản 1", "khoản 2", "khoản 3"]);
    for (const p of items) {
      expect(p.leadIn).toBe("Hội có các nhiệm vụ sau đây:");
      expect(p.headings).toContain("Hội có các nhiệm vụ sau đây:");
      expect(p.text.length).toBeLessThanOrEqual(PASSAGE_MAX);
    }
    expect(passages.some((p) => p.text === "Hội có các nhiệm vụ sau đây:")).toBe(false);
  });

  it("shortens the path for a citation line to the article and below", () => {
    expect(citationPath(at("dự thảo điều lệ")?.sectionPath ?? [])).toEqual(["Điều 7", "khoản 1"]);
    expect(citationPath(["Chương II. X", "đoạn 1"])).toEqual(["Chương II", "đoạn 1"]);
    expect(citationPath(["II. NHIỆM VỤ, GIẢI PHÁP", "2", "gạch đầu dòng 3"])).toEqual([
      "II. NHIỆM VỤ, GIẢI PHÁP",
      "2",
      "gạch đầu dòng 3",
    ]);
  });
});

describe("a decision converted from an office file", async () => {
  const text = await fixture("qd-mau.txt");
  const passages = chunkDocument("q", "Quyết định 45/QĐ-UBND", text);

  it("quotes neither the header block, nor the enacting formula, nor the signature", () => {
    const all = passages.map((p) => p.text).join("\n");
    for (const gone of [
      "ỦY BAN NHÂN DÂN",
      "CỘNG HÒA",
      "Độc lập",
      "Số:",
      "QUYẾT ĐỊNH",
      "Nơi nhận",
      "Như Điều 2",
      "CHỦ TỊCH",
      "Nguyễn Văn A",
    ])
      expect(all).not.toContain(gone);
  });

  it("keeps the preamble in phần mở đầu, its line broken in mid-sentence joined", () => {
    expect(passages[0]?.text).toBe("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;");
    expect(formatSectionPath(passages[0]?.sectionPath ?? ["?"])).toBe("phần mở đầu");
  });

  it("reads 'Điều 1.****' with its content on the next line, and a title broken over two lines", () => {
    expect(passages.find((p) => p.text.startsWith("Ban hành kèm theo"))?.sectionPath).toEqual([
      "Điều 1",
      "đoạn 1",
    ]);
    expect(passages.find((p) => p.text.startsWith("Ban hành kèm theo"))?.text).toContain(
      "chính quyền tỉnh Bến Tre.",
    );
    const effect = passages.find((p) => p.text.startsWith("Quyết định này có hiệu lực"));
    expect(effect?.sectionPath).toEqual(["Điều 2", "đoạn 1"]);
    expect(effect?.headings).toContain("Điều 2. Hiệu lực thi hành");
  });

  it("writes decomposed characters composed", () => {
    const nfd = chunkDocument("n", "T", text.normalize("NFD"));
    expect(nfd.map((p) => p.text)).toEqual(passages.map((p) => p.text));
  });
});

describe("a Party document (Hướng dẫn 36-HD/VPTW), columns side by side", async () => {
  const passages = chunkDocument("p", "Kế hoạch 123-KH/TU", await fixture("kh-dang-mau.txt"));

  it("quotes neither its header block nor its signature and Nơi nhận", () => {
    const all = passages.map((p) => p.text).join("\n");
    for (const gone of [
      "ĐẢNG BỘ",
      "Số 123-KH/TU",
      "KẾ HOẠCH",
      "Nơi nhận",
      "Ban Bí thư Trung ương Đảng,",
      "T/M",
      "Nguyễn Văn B",
    ])
      expect(all).not.toContain(gone);
    expect(passages[0]?.text.startsWith("Thực hiện Kết luận số 43-KL/TW, ngày 07/01/2019")).toBe(true);
  });

  it("quotes a lead-in with its two bullets as one passage", () => {
    expect(passages.at(-1)?.text).toBe(
      "2. Tập trung làm tốt công tác dân vận của chính quyền, trọng tâm là:\n- Thực hiện tốt Quy chế dân chủ ở cơ sở;\n- Tăng cường đối thoại, tiếp xúc với Nhân dân.",
    );
    expect(passages.at(-1)?.sectionPath).toEqual(["I. MỤC ĐÍCH, YÊU CẦU", "2"]);
  });
});

describe("a công văn", async () => {
  it("quotes its body only: not the addressees under 'Kính gửi', not the signature", async () => {
    const passages = chunkDocument("c", "Công văn 12/UBND-VP", await fixture("cv-mau.txt"));
    expect(passages.map((p) => p.text)).toEqual([
      "Thực hiện Luật Thực hiện dân chủ ở cơ sở, Ủy ban nhân dân xã đề nghị các thôn tổ chức hội nghị định kỳ của cộng đồng dân cư trong tháng 4 năm 2024.",
    ]);
  });
});
