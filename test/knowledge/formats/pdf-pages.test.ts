import { describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import {
  type CommandRunner,
  createOcr,
  MAX_RENDER_PIXELS,
  OCR_MISSING,
  renderDpi,
} from "../../../src/knowledge/formats/ocr.js";
import { tinyPdf } from "./tiny-pdf.js";

/** Each pdftoppm call's resolution (-r), the program run no further: no page is really rendered. */
function recordingOcr() {
  const dpis: number[] = [];
  const runner: CommandRunner = async (file, args) => {
    if (file === "pdftoppm") dpis.push(Number(args[args.indexOf("-r") + 1]));
    return { stdout: "", stderr: "" };
  };
  return { dpis, ocr: createOcr({ runner, capability: { available: true } }) };
}

describe("a huge PDF page read by OCR", () => {
  it("is rendered at a resolution that keeps its image under the pixel bound", async () => {
    // 434 bytes the reviewer found: one empty 5000-point page, 434 million pixels at 300 dpi.
    const { dpis, ocr } = recordingOcr();
    const pdf = tinyPdf("/MediaBox [0 0 5000 5000]", "0 0 m 100 100 l S");
    await expect(extractDocument(pdf, "lon.pdf", { ocr })).rejects.toThrow("không có chữ nào");
    expect(dpis).toHaveLength(1);
    const dpi = dpis[0] as number;
    expect(dpi).toBeLessThan(300);
    expect(((5000 / 72) * dpi) ** 2).toBeLessThanOrEqual(MAX_RENDER_PIXELS);
  });

  it("is not rendered at all when even 50 dpi would pass the bound; a usual page keeps 300 dpi", async () => {
    expect(renderDpi(595, 842)).toBe(300);
    expect(renderDpi(5000, 5000)).toBe(91);
    expect(renderDpi(5000, 5000, 300, 100_000_000)).toBe(144);
    expect(renderDpi(20_000, 20_000)).toBeUndefined();
    const { dpis, ocr } = recordingOcr();
    const huge = tinyPdf("/MediaBox [0 0 20000 20000]", "0 0 m 100 100 l S");
    await expect(extractDocument(huge, "qua-lon.pdf", { ocr })).rejects.toThrow("không có chữ nào");
    expect(dpis).toEqual([]);
  });
});

describe("a page turned by /Rotate", () => {
  // Helvetica's WinAnsi has no Vietnamese letters: the words are written without their marks, and
  // fewer than the syllable check counts (pdf-quality.ts), so that check does not judge them.
  const lines = ["1. Dan van tinh.", "2. Tiep xuc cu tri.", "3. Bao cao ket qua."];
  const noOcr = createOcr({ capability: { available: false, missing: "không có tesseract" } });

  it("reads a landscape page, its text drawn turned so it stands upright once the page turns", async () => {
    // /Rotate 90 turns the page clockwise: text drawn going up (0 1 -1 0) reads left to right,
    // and the line at the smallest x is the top one.
    const content = lines
      .map((l, i) => `BT /F1 12 Tf 0 1 -1 0 ${100 + 16 * i} 72 Tm (${l}) Tj ET`)
      .join("\n");
    const pdf = tinyPdf("/MediaBox [0 0 612 792] /Rotate 90", content);
    const read = await extractDocument(pdf, "ngang.pdf", { ocr: noOcr });
    expect(read.text.split("\n").filter(Boolean)).toEqual(lines);
  });

  it("leaves text that stands sideways on the turned page out of the body, as a stamp", async () => {
    // As the reviewer's rot90.pdf: two lines drawn upright on the page, sideways once it turns,
    // and one drawn turned, upright as the page is seen, which alone is the body.
    const content = [
      `BT /F1 12 Tf 72 700 Td 16 TL (${lines[0]}) Tj T* (${lines[1]}) Tj ET`,
      `BT /F1 12 Tf 0 1 -1 0 100 72 Tm (${lines[2]}) Tj ET`,
    ].join("\n");
    const pdf = tinyPdf("/MediaBox [0 0 612 792] /Rotate 90", content);
    const read = await extractDocument(pdf, "ngang.pdf", { ocr: noOcr });
    expect(read.text).toBe(`${lines[2]}\n`);
  });

  it("reads an unturned page as before", async () => {
    const content = `BT /F1 12 Tf 72 700 Td 16 TL ${lines.map((l) => `(${l}) Tj T*`).join(" ")} ET`;
    const read = await extractDocument(tinyPdf("/MediaBox [0 0 612 792]", content), "doc.pdf", {
      ocr: noOcr,
    });
    expect(read.text.split("\n").filter(Boolean)).toEqual(lines);
  });
});

describe("without OCR, a PDF whose every page the syllable check doubts", () => {
  it("keeps its text layer, saying the pages could not be read again", async () => {
    // Vietnamese typed without its marks: words, which the syllable check cannot tell from a
    // broken font mapping.
    const line =
      "Ban dan van tinh uy phoi hop voi uy ban mat tran to chuc hoi nghi doi thoai voi nhan dan xa";
    const noOcr = createOcr({ capability: { available: false, missing: "không có tesseract" } });
    const read = await extractDocument(
      tinyPdf("/MediaBox [0 0 612 792]", `BT /F1 10 Tf 40 700 Td (${line}) Tj ET`),
      "khong-dau.pdf",
      { ocr: noOcr },
    );
    expect(read.text).toBe(`${line}\n`);
    expect(read.warnings).toEqual([`trang 1 chưa đọc được (${OCR_MISSING})`]);
  });
});
