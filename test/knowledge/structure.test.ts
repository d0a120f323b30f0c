import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  chunkDocument,
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

  it("merges the lone title line with what follows instead of quoting it alone", () => {
    expect(passages[0]?.text.startsWith("KẾ HOẠCH thực hiện Kết luận số 43-KL/TW")).toBe(true);
    expect(passages.every((p) => p.text.length >= 40)).toBe(true);
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
    expect(find("tự đảm bảo kinh phí")).toEqual(["LUẬT MẪU", "Chương I", "Điều 2", "khoản 1"]);
    expect(find("phản biện xã hội")).toEqual(["LUẬT MẪU", "Chương I", "Điều 2", "khoản 2", "điểm b"]);
    expect(find("dự thảo điều lệ")).toEqual(["LUẬT MẪU", "Chương II", "Điều 3", "đoạn 1"]);
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
