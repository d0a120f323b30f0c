import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manyPages } from "../../../scripts/make-pdf-fixtures.js";
import { characterAccuracy } from "../../../src/eval/char-accuracy.js";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import { encodeTcvn3 } from "../../../src/knowledge/formats/legacy-encoding.js";
import {
  type CommandRunner,
  createOcr,
  OCR_INSTALL,
  type OcrEngine,
} from "../../../src/knowledge/formats/ocr.js";
import { linesOf } from "../../../src/knowledge/formats/pdf-layout.js";
import { textLayerProblem } from "../../../src/knowledge/formats/pdf-quality.js";
import { UnreadableDocumentError } from "../../../src/knowledge/formats/types.js";
import { loadKnowledge } from "../../../src/knowledge/loader.js";
import { chunkDocument } from "../../../src/knowledge/structure.js";
import { tempDir } from "../../helpers.js";
import { hasOcr } from "./ocr-available.js";

const FIXTURES = new URL("../../fixtures/formats/", import.meta.url).pathname;
const fixture = (name: string) => readFile(join(FIXTURES, name));
interface Source {
  header: [string, string][];
  title: string[];
  runningHeader?: string;
  paragraphs: string[];
  brokenParagraphs?: string[];
}
const sources = JSON.parse(await readFile(join(FIXTURES, "pdf-sources.json"), "utf8")) as Record<
  string,
  Source
>;
const plan = sources.plan as Source;
const decision = sources.decision as Source;

/** An OCR engine that fails the test if it is ever asked to read anything. */
const noOcrExpected: OcrEngine = createOcr({
  capability: { available: true },
  runner: () => Promise.reject(new Error("OCR was run on a PDF with a good text layer")),
});
/** A machine without Tesseract: the real detection, through a runner that finds no program. */
const missingRunner: CommandRunner = () =>
  Promise.reject(Object.assign(new Error("spawn tesseract ENOENT"), { code: "ENOENT" }));
const withoutOcr = () => createOcr({ runner: missingRunner });

describe("a PDF with a text layer", () => {
  it("comes out as the document's paragraphs, each whole on one line, page numbers and running header gone", async () => {
    const pages: number[] = [];
    const read = await extractDocument(await fixture("ke-hoach-12.pdf"), "ke-hoach-12.pdf", {
      ocr: noOcrExpected,
      onProgress: (done, _total, stage) => stage === "pages" && pages.push(done),
    });
    expect(read).toMatchObject({ format: "pdf", label: "PDF", pages: 3, warnings: [] });
    expect(pages).toEqual([1, 2, 3]);
    const lines = read.text.split("\n").filter(Boolean);
    // Every paragraph of the source, the one broken over pages 1 and 2 included, is one line.
    for (const p of plan.paragraphs) expect(lines).toContain(p);
    expect(read.text).not.toMatch(/Trang \d\/3/);
    expect(read.text).not.toContain(plan.runningHeader);
    // The header table's two columns stay apart, as the metadata reader expects them.
    expect(lines[0]).toBe("TỈNH ỦY BẮC NINH\tĐẢNG CỘNG SẢN VIỆT NAM");
    expect(read.text).toBe(read.text.normalize("NFC"));
  });

  it("is cited by its sections: II.2 of the plan, Điều 2 of the decision", async () => {
    const kh = await extractDocument(await fixture("ke-hoach-12.pdf"), "ke-hoach-12.pdf", {
      ocr: noOcrExpected,
    });
    const item = chunkDocument("kh", "Kế hoạch 12", kh.text).find((p) => p.id === "kh:II.2");
    expect(item?.sectionPath).toEqual(["II. NHIỆM VỤ, GIẢI PHÁP", "2"]);
    expect(item?.text).toContain("đối thoại với Nhân dân ít nhất mỗi quý một lần");
    const qd = await extractDocument(await fixture("quyet-dinh-245.pdf"), "quyet-dinh-245.pdf", {
      ocr: withoutOcr(),
    });
    const article = chunkDocument("qd", "Quyết định 245", qd.text).find((p) => p.sectionPath[0] === "Điều 2");
    expect(article?.text).toContain("trước ngày 15 tháng 12");
  });

  it("gives its header's kind, number, date and issuer to the document, through the loader", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "ke-hoach-12.pdf"), await fixture("ke-hoach-12.pdf"));
    const { documents, skipped } = await loadKnowledge(dir, { extract: { ocr: noOcrExpected } });
    expect(skipped).toEqual([]);
    expect(documents[0]).toMatchObject({
      format: "pdf",
      shortTitle: "Kế hoạch 12-KH/TU",
      meta: { kind: "Kế hoạch", number: "12-KH/TU", date: "2024-03-15", issuer: "Tỉnh ủy Bắc Ninh" },
    });
  });
});

describe("a PDF whose text was typed in an old Vietnamese font (.VnTime, TCVN3)", () => {
  it("is read as Unicode, saying it was converted", async () => {
    const said = "Uỷ ban nhân dân xã có trách nhiệm công khai thông tin cho Nhân dân biết.";
    // What a .VnTime font's text layer holds: TCVN3 bytes read as Windows-1252 letters.
    const drawn = Buffer.from(encodeTcvn3(said)).toString("latin1");
    const pdf = await manyPages(1, () => drawn);
    const r = await extractDocument(pdf, "cong-khai.pdf");
    expect(r.text.replace(/\s+/g, " ").trim()).toContain(said);
    expect(r.warnings).toContain("đã chuyển từ mã TCVN3 sang Unicode");
    expect(r.encoding).toBe("TCVN3");
  });

  it("converts a short item too (the number line), the encoding being the whole document's", async () => {
    const number = "Số: 15-KH/BDVTU";
    const said = "Uỷ ban nhân dân xã có trách nhiệm công khai thông tin cho Nhân dân biết.";
    // The number on a line of its own: an item that alone reads as well in Windows-1252.
    const drawn = Buffer.from(encodeTcvn3(`${number}\n${said}`)).toString("latin1");
    const r = await extractDocument(await manyPages(1, () => drawn), "ke-hoach.pdf", { ocr: noOcrExpected });
    expect(r.text).toContain(number);
    expect(r.text.replace(/\s+/g, " ")).toContain(said);
    expect(r.encoding).toBe("TCVN3");
  });
});

describe("a PDF that cannot be read", () => {
  const reason = async (bytes: Uint8Array, options: Parameters<typeof extractDocument>[2] = {}) => {
    try {
      await extractDocument(bytes, "x.pdf", { ocr: noOcrExpected, ...options });
    } catch (err) {
      expect(err).toBeInstanceOf(UnreadableDocumentError);
      return (err as Error).message;
    }
    throw new Error("the PDF was read");
  };

  it("is refused with the reason: a password, a corrupt file", async () => {
    expect(await reason(await fixture("mat-khau.pdf"))).toBe("tệp PDF có mật khẩu");
    expect(await reason(Buffer.from("%PDF-1.7\n1 0 obj <<<< garbage ]]] endobj\n%%EOF"))).toBe(
      "tệp PDF hỏng",
    );
    const good = await fixture("ke-hoach-12.pdf");
    expect(await reason(good.subarray(0, 400))).toBe("tệp PDF hỏng");
  });

  it("is refused quickly by its page count when it has more pages than allowed", async () => {
    const bytes = await manyPages(500, (n) => `Trang ${n} cua mot tai lieu rat dai.`);
    const t0 = performance.now();
    expect(await reason(bytes)).toBe("tệp PDF có 500 trang, quá giới hạn 300 trang (MAX_DOCUMENT_PAGES)");
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(await reason(await fixture("ke-hoach-12.pdf"), { maxPages: 2 })).toBe(
      "tệp PDF có 3 trang, quá giới hạn 2 trang (MAX_DOCUMENT_PAGES)",
    );
  });

  it("stops at its time bound", async () => {
    expect(await reason(await fixture("ke-hoach-12.pdf"), { timeoutMs: 1 })).toBe(
      "đọc tệp quá 1 giây, đã dừng",
    );
  });

  it("gives a long scan time by its pages to OCR, not one bound for any file", async () => {
    const said = ["Mục đích của kế hoạch", "Tăng cường công tác dân vận", "Tổ chức thực hiện nghiêm túc"];
    // Three scanned pages (no text layer), each taking 400 ms to recognise, under a 1-second
    // bound: the bound grows to OCR_MS_PER_PAGE a page, so the scan is read, not refused.
    const bytes = await manyPages(3, () => "");
    const slowOcr: OcrEngine = {
      capability: async () => ({ available: true }),
      pdfPage: async (_path, n) => {
        await new Promise((r) => setTimeout(r, 400));
        return {
          width: 1748,
          height: 2480,
          lines: linesOf([{ text: said[n - 1] as string, x: 200, y: 1200, width: 900, size: 40 }]),
        };
      },
      image: async () => [],
    };
    const read = await extractDocument(bytes, "ban-quet.pdf", { ocr: slowOcr, timeoutMs: 1000 });
    expect(read.warnings).toEqual(["trang 1–3 đọc bằng OCR"]);
    for (const line of said) expect(read.text).toContain(line);
  });
});

describe("without OCR on the machine", () => {
  it("refuses a scan by name with the command that installs OCR, and indexes the other files", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "quyet-dinh-scan.pdf"), await fixture("quyet-dinh-scan.pdf"));
    await writeFile(join(dir, "trang-anh.png"), await fixture("trang-anh.png"));
    await writeFile(join(dir, "ke-hoach-12.pdf"), await fixture("ke-hoach-12.pdf"));
    const { documents, skipped } = await loadKnowledge(dir, { extract: { ocr: withoutOcr() } });
    expect(documents.map((d) => d.source)).toEqual(["ke-hoach-12.pdf"]);
    expect(skipped).toEqual([
      { source: "quyet-dinh-scan.pdf", reason: `tệp PDF là bản quét, cần cài OCR: ${OCR_INSTALL}` },
      { source: "trang-anh.png", reason: `ảnh PNG là bản quét, cần cài OCR: ${OCR_INSTALL}` },
    ]);
    expect(OCR_INSTALL).toBe("apt-get install -y tesseract-ocr tesseract-ocr-vie poppler-utils");
  });

  it("keeps a broken page's text, saying which page could not be read again and why", async () => {
    const read = await extractDocument(await fixture("quyet-dinh-245.pdf"), "quyet-dinh-245.pdf", {
      ocr: withoutOcr(),
    });
    expect(read.warnings).toEqual([`trang 2 chưa đọc được (cần cài OCR: ${OCR_INSTALL})`]);
    expect(read.ocrPages).toBeUndefined();
    // What the broken layer says: marks split from their letters, đ unmapped.
    expect(read.text).toContain("Điều 1.");
    expect(read.text).toMatch(/iề u 3|ĐIỀ U|\uE011/u);
  });
});

describe("an image too large to decode safely", () => {
  it("is refused by its size before any OCR", async () => {
    const png = Buffer.from(await fixture("trang-anh.png"));
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    await expect(extractDocument(png, "to.png", { ocr: noOcrExpected })).rejects.toThrow(
      "ảnh quá lớn (20000×20000 điểm ảnh; tối đa 100 triệu)",
    );
  });
});

describe("the broken text layer detector", () => {
  it("passes Vietnamese prose and catches split letters, private-use glyphs and an empty layer", () => {
    const prose = plan.paragraphs.join("\n");
    expect(textLayerProblem(prose)).toBeUndefined();
    const split = prose.replace(/([^\s\x21-\x7e])/gu, "$1 ");
    expect(textLayerProblem(split)).toBe("broken");
    expect(textLayerProblem(prose.replace(/[đĐ]/gu, "\uE011"))).toBe("broken");
    expect(textLayerProblem("   \n 3 \n")).toBe("no-text");
    // Abbreviations, numbers and a few foreign words do not make a page broken.
    expect(
      textLayerProblem(`${prose}\nKL 43-KL/TW, NQ 25-NQ/TW, UBND, HĐND, COVID-19, online, website.`),
    ).toBeUndefined();
  });
});

describe.skipIf(!hasOcr)("OCR with Tesseract (tesseract-ocr, tesseract-ocr-vie, poppler-utils)", () => {
  const sourceOf = (s: Source, paragraphs: string[]) =>
    [...s.header.flat(), ...s.title, ...paragraphs].filter((t) => t && t !== "*").join("\n");

  it("reads a scanned PDF, says the page was read by OCR, and finds its header and articles", async () => {
    const progress: string[] = [];
    const read = await extractDocument(await fixture("quyet-dinh-scan.pdf"), "quyet-dinh-scan.pdf", {
      onProgress: (done, total, stage) => progress.push(`${stage} ${done}/${total}`),
    });
    expect(read).toMatchObject({
      format: "pdf",
      pages: 1,
      ocrPages: [1],
      warnings: ["trang 1 đọc bằng OCR"],
    });
    expect(progress).toEqual(["pages 1/1", "ocr 1/1"]);
    expect(characterAccuracy(read.text, sourceOf(decision, decision.paragraphs))).toBeGreaterThan(0.95);
    const passages = chunkDocument("qd", "Quyết định 245", read.text);
    expect(passages.find((p) => p.sectionPath[0] === "Điều 2")?.text).toContain("Chủ tịch Ủy ban nhân dân");
  }, 120_000);

  it("reads the page whose text layer is broken again by OCR, and only that page", async () => {
    const pages: number[] = [];
    const runner: CommandRunner = async (file, args, options) => {
      if (file === "pdftoppm" && args.includes("-f")) pages.push(Number(args[args.indexOf("-f") + 1]));
      const { execRunner } = await import("../../../src/knowledge/formats/ocr.js");
      return execRunner(file, args, options);
    };
    const read = await extractDocument(await fixture("quyet-dinh-245.pdf"), "quyet-dinh-245.pdf", {
      ocr: createOcr({ runner }),
    });
    expect(pages).toEqual([2]);
    expect(read.warnings).toEqual(["trang 2 đọc bằng OCR"]);
    expect(read.ocrPages).toEqual([2]);
    const lines = read.text.split("\n").filter(Boolean);
    // Page 1 from its text layer, exactly; page 2 from OCR, nearly so, with no split letters.
    for (const p of decision.paragraphs) expect(lines).toContain(p);
    const page2 = lines.slice(lines.findIndex((l) => l.startsWith("Điều 3"))).join("\n");
    expect(characterAccuracy(page2, (decision.brokenParagraphs ?? []).join("\n"))).toBeGreaterThan(0.95);
    expect(read.text).not.toMatch(/\uE011|iề u/u);
  }, 120_000);

  it("reads an image of a page", async () => {
    const read = await extractDocument(await fixture("trang-anh.png"), "trang-anh.png");
    expect(read).toMatchObject({ format: "image", label: "ảnh PNG", warnings: ["ảnh đọc bằng OCR"] });
    expect(characterAccuracy(read.text, (sources.image as Source).paragraphs.join("\n"))).toBeGreaterThan(
      0.95,
    );
  }, 60_000);
});
