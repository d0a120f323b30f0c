import { describe, expect, it } from "vitest";
import {
  type CommandRunner,
  createOcr,
  detectOcr,
  pagesFromTsv,
} from "../../../src/knowledge/formats/ocr.js";
import { type Line, type PageLines, paragraphsOf } from "../../../src/knowledge/formats/pdf-layout.js";
import { isVietnameseSyllable } from "../../../src/knowledge/formats/pdf-quality.js";

/** A page of A5 proportions with lines of 11-point text, 15 points apart, from y = 80 on. */
function page(texts: (string | [string, Partial<Line>])[], extra: Line[] = []): PageLines {
  const lines = texts.map((t, i): Line => {
    const [text, over] = typeof t === "string" ? [t, {}] : t;
    return { text, left: 45, right: 375, y: 80 + 15 * i, size: 11, ...over };
  });
  return { width: 420, height: 595, lines: [...extra, ...lines] };
}
const at = (text: string, y: number, over: Partial<Line> = {}): Line => ({
  text,
  left: 180,
  right: 240,
  y,
  size: 9,
  ...over,
});

describe("pages laid out back into paragraphs", () => {
  it("joins the lines of a paragraph with a space, across a page break too, and starts items on their own line", () => {
    const text = paragraphsOf([
      page([
        "1. Người đứng đầu cơ quan trực tiếp đối thoại với",
        ["Nhân dân ít nhất mỗi quý một lần.", { right: 250 }],
        "2. Công khai kết quả giải quyết để Nhân dân biết,",
      ]),
      page([
        ["giám sát và cùng thực hiện.", { right: 200 }],
        ["a) Điểm một;", { right: 120 }],
        ["Điều 5. Hiệu lực", { right: 150 }],
      ]),
    ]);
    expect(text.split("\n\n")).toEqual([
      "1. Người đứng đầu cơ quan trực tiếp đối thoại với Nhân dân ít nhất mỗi quý một lần.",
      "2. Công khai kết quả giải quyết để Nhân dân biết, giám sát và cùng thực hiện.",
      "a) Điểm một;",
      "Điều 5. Hiệu lực",
    ]);
  });

  it("leaves out page numbers and the running header and footer repeated on most pages, never body text", () => {
    const furniture = (n: number) => [
      at(`Kế hoạch số 12-KH/TU`, 30, { left: 250, right: 375 }),
      at(`- ${n} -`, 570),
      at(`Trang ${n}/3`, 580),
    ];
    const pages = [1, 2, 3].map((n) =>
      page(
        ["Dòng đầu của một đoạn văn dài trên trang,", [`trang ${n} kết thúc ở đây.`, { right: 200 }]],
        furniture(n),
      ),
    );
    expect(paragraphsOf(pages).split("\n\n")).toEqual([
      "Dòng đầu của một đoạn văn dài trên trang, trang 1 kết thúc ở đây.",
      "Dòng đầu của một đoạn văn dài trên trang, trang 2 kết thúc ở đây.",
      "Dòng đầu của một đoạn văn dài trên trang, trang 3 kết thúc ở đây.",
    ]);
    // A line at the top of one page only is the document's, not furniture.
    const once = paragraphsOf([page(["Nội dung."], [at("ĐẢNG CỘNG SẢN VIỆT NAM", 30)]), page(["Tiếp."])]);
    expect(once).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
  });

  it("keeps a title centred over two lines together, apart from the kind above it", () => {
    const text = paragraphsOf([
      page([
        ["KẾ HOẠCH", { left: 170, right: 250, size: 13 }],
        ["thực hiện công tác dân vận của cơ quan", { left: 90, right: 330 }],
        ["nhà nước năm 2024", { left: 150, right: 270 }],
        "Thực hiện Kết luận số 43-KL/TW của Ban Bí thư, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch.",
      ]),
    ]);
    expect(text.split("\n\n").slice(0, 2)).toEqual([
      "KẾ HOẠCH",
      "thực hiện công tác dân vận của cơ quan nhà nước năm 2024",
    ]);
  });
});

describe("OCR output and detection", () => {
  it("turns Tesseract's TSV into lines on the page, without rules read as underscores", () => {
    const row = (
      level: number,
      line: number,
      word: number,
      left: number,
      top: number,
      w: number,
      h: number,
      text = "",
    ) => [level, 1, 1, 1, line, word, left, top, w, h, level === 5 ? 95 : -1, text].join("\t");
    const tsv = [
      "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
      row(1, 0, 0, 0, 0, 1000, 1400),
      row(5, 1, 1, 100, 100, 80, 40, "Dân"),
      row(5, 1, 2, 190, 102, 80, 38, "biết,"),
      row(5, 1, 3, 280, 120, 60, 6, "__"),
      row(5, 2, 1, 100, 160, 80, 40, "dân"),
      row(5, 2, 2, 190, 160, 80, 52, "bàn."),
    ].join("\n");
    const [p] = pagesFromTsv(tsv);
    expect(p?.width).toBe(1000);
    expect(p?.lines.map((l) => l.text)).toEqual(["Dân biết,", "dân bàn."]);
  });

  it("finds out once whether tesseract with Vietnamese and pdftoppm are there", async () => {
    const calls: string[] = [];
    const runner =
      (langs: string, pdftoppm = true): CommandRunner =>
      async (file) => {
        calls.push(file);
        if (file === "tesseract") return { stdout: langs, stderr: "" };
        if (pdftoppm) return { stdout: "", stderr: "pdftoppm version 22.12.0" };
        throw new Error("spawn pdftoppm ENOENT");
      };
    expect(await detectOcr(runner('List of available languages in "/usr/share" (2):\neng\nosd\n'))).toEqual({
      available: false,
      missing: "tesseract thiếu dữ liệu tiếng Việt (vie)",
    });
    expect(await detectOcr(runner("eng\nvie\n", false))).toEqual({
      available: false,
      missing: "không có pdftoppm",
    });
    calls.length = 0;
    const engine = createOcr({ runner: runner("eng\nvie\n") });
    expect(await engine.capability()).toEqual({ available: true });
    expect(await engine.capability()).toEqual({ available: true });
    expect(calls).toEqual(["tesseract", "pdftoppm"]);
  });
});

describe("Vietnamese syllables", () => {
  it("knows a syllable from a fragment", () => {
    for (const s of ["người", "Điều", "quốc", "giữ", "gì", "khuya", "nghiêng", "xã", "Đảng", "các", "huyện"])
      expect(isVietnameseSyllable(s), s).toBe(true);
    for (const s of ["ĐIỀ", "nhiệ", "càc", "Điề", "ngườii", "tôi̇", "ff"])
      expect(isVietnameseSyllable(s), s).toBe(false);
  });
});
