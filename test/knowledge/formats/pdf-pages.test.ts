import { describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import {
  type CommandRunner,
  createOcr,
  MAX_IMAGE_PIXELS,
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
    expect(((5000 / 72) * dpi) ** 2).toBeLessThanOrEqual(MAX_IMAGE_PIXELS);
  });

  it("is not rendered at all when even 50 dpi would pass the bound; a usual page keeps 300 dpi", async () => {
    expect(renderDpi(595, 842)).toBe(300);
    expect(renderDpi(5000, 5000)).toBe(144);
    expect(renderDpi(20_000, 20_000)).toBeUndefined();
    const { dpis, ocr } = recordingOcr();
    const huge = tinyPdf("/MediaBox [0 0 20000 20000]", "0 0 m 100 100 l S");
    await expect(extractDocument(huge, "qua-lon.pdf", { ocr })).rejects.toThrow("không có chữ nào");
    expect(dpis).toEqual([]);
  });
});
