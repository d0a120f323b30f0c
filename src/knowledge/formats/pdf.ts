/**
 * PDF: the text layer read with pdf.js (the 5.x legacy build, the last that runs on Node 20), its
 * items rebuilt into lines and paragraphs (pdf-layout.ts) without page numbers and running headers.
 * Pages with no text layer (a scan) or a broken one (split or unmapped letters, judged by the share
 * of valid Vietnamese syllables, pdf-quality.ts) are read again by OCR, and the warning says which.
 * Encrypted, corrupt and over-long files are refused by name; reading is bounded in time.
 */
import { detectLegacyDocument } from "./legacy-encoding.js";
import { defaultOcr, OCR_MISSING, withTempFile } from "./ocr.js";
import { linesOf, type PageLines, paragraphsOf, type Run } from "./pdf-layout.js";
import { textLayerProblem } from "./pdf-quality.js";
import { normaliseText } from "./text.js";
import { type Extracted, type ExtractOptions, UnreadableDocumentError } from "./types.js";

/** Pages read from one PDF unless MAX_DOCUMENT_PAGES says otherwise. */
export const DEFAULT_MAX_PAGES = 300;
/** Time allowed for one file (text layer and OCR together) unless the caller says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;
/** The bound grows with the pages to OCR (a 300-page scan is not refused at 30 minutes). */
export const OCR_MS_PER_PAGE = 60_000;

interface TextItemLike {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}

/** Reads a PDF's bytes. */
export async function extractPdf(bytes: Uint8Array, options: ExtractOptions = {}): Promise<Extracted> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const start = Date.now();
  let deadline = start + timeoutMs;
  const ocr = options.ocr ?? defaultOcr();
  // Loaded at the first PDF: start-up and text-only folders never pay for pdf.js.
  const { getDocument, Util } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // pdf.js may take the buffer over: it gets a copy, the caller keeps its bytes.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  // Destroyed at a time bound while still loading, the task rejects; that is not an error here.
  task.promise.catch(() => undefined);
  const pages: PageLines[] = [];
  const problems = new Map<number, "no-text" | "broken">();
  const converted = new Set<string>();
  const textLayer: { width: number; height: number; runs: Run[] }[] = [];
  let total: number;
  try {
    const pdf = await within(task.promise, deadline).catch((err: unknown) => {
      throw translate(err, timeoutMs);
    });
    total = pdf.numPages;
    if (total > maxPages)
      throw new UnreadableDocumentError(
        `tệp PDF có ${total} trang, quá giới hạn ${maxPages} trang (MAX_DOCUMENT_PAGES)`,
      );
    for (let n = 1; n <= total; n++) {
      const page = await within(pdf.getPage(n), deadline).catch((err: unknown) => {
        throw translate(err, timeoutMs);
      });
      const viewport = page.getViewport({ scale: 1 });
      const content = await within(page.getTextContent(), deadline).catch((err: unknown) => {
        throw translate(err, timeoutMs);
      });
      const runs: Run[] = [];
      for (const item of content.items as TextItemLike[]) {
        const t = item.transform;
        if (!t || typeof item.str !== "string" || !item.str.trim()) continue;
        // The item as the page is seen, turned by its /Rotate: a landscape page drawn turned is
        // upright there, and its positions are the seen page's.
        const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = Util.transform(viewport.transform, t);
        // Text turned on the page as seen (a stamp, a margin note) is not the body.
        if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d)) continue;
        const size = Math.hypot(c, d) || item.height || 0;
        runs.push({ text: item.str, x, y, width: item.width ?? 0, size });
      }
      textLayer.push({ width: viewport.width, height: viewport.height, runs });
      page.cleanup();
      options.onProgress?.(n, total, "pages");
    }
  } finally {
    await task.destroy();
  }
  // Text drawn in an old Vietnamese font (.VnTime: TCVN3, VNI-Times) reads as Windows-1252
  // letters ("Uû ban nh©n d©n"): the encoding is decided once from every item of the document.
  const legacy = detectLegacyDocument(textLayer.flatMap((p) => p.runs.map((r) => r.text)));
  for (const [i, { width, height, runs }] of textLayer.entries()) {
    for (const run of runs) {
      const found = legacy.convert(run.text);
      if (found) converted.add(found.encoding);
      run.text = found?.text ?? run.text;
    }
    const lines = linesOf(runs);
    pages.push({ width, height, lines });
    const problem = textLayerProblem(lines.map((l) => l.text).join("\n"));
    if (problem) problems.set(i + 1, problem);
  }
  const warnings: string[] = [...converted].map((e) => `đã chuyển từ mã ${e} sang Unicode`);
  const ocrPages: number[] = [];
  if (problems.size > 0) {
    const capability = await ocr.capability();
    const numbers = [...problems.keys()];
    if (!capability.available) {
      const readable = pages.some((p, i) => !problems.has(i + 1) && p.lines.length > 0);
      const broken = numbers.filter((n) => problems.get(n) === "broken");
      if (!readable && broken.length === 0)
        throw new UnreadableDocumentError(`tệp PDF là bản quét, ${OCR_MISSING}`);
      warnings.push(`trang ${pageList(numbers)} chưa đọc được (${OCR_MISSING})`);
      // A scanned page has nothing to keep; a broken one keeps what it has, better than nothing,
      // even when every page is: a text layer the syllable check doubts (English, Vietnamese typed
      // without its marks) may be right, and OCR would have been only a second opinion.
    } else {
      const failed: number[] = [];
      timeoutMs = Math.max(timeoutMs, OCR_MS_PER_PAGE * numbers.length);
      deadline = start + timeoutMs;
      await withTempFile(bytes, ".pdf", async (path) => {
        let done = 0;
        for (const n of numbers) {
          if (Date.now() > deadline)
            throw new UnreadableDocumentError(`đọc tệp quá ${duration(timeoutMs)}, đã dừng`);
          const target = pages[n - 1] as PageLines;
          try {
            // Its size in points: a huge page is rendered at a lower resolution, or not at all.
            const read = await ocr.pdfPage(path, n, { width: target.width, height: target.height });
            pages[n - 1] = scaled(read, target);
            ocrPages.push(n);
          } catch {
            failed.push(n);
          }
          done += 1;
          options.onProgress?.(done, numbers.length, "ocr");
        }
      });
      if (ocrPages.length > 0) warnings.push(`trang ${pageList(ocrPages)} đọc bằng OCR`);
      if (failed.length > 0) warnings.push(`trang ${pageList(failed)} không đọc được bằng OCR`);
    }
  }
  const text = normaliseText(paragraphsOf(pages));
  if (!/\p{L}/u.test(text)) throw new UnreadableDocumentError("tệp PDF không có chữ nào đọc được");
  return {
    text: `${text}\n`,
    format: "pdf",
    label: "PDF",
    warnings,
    pages: total,
    ...(ocrPages.length > 0 ? { ocrPages } : {}),
    ...(converted.size > 0 ? { encoding: [...converted].join(", ") } : {}),
  };
}

/** An OCR'd page in the units of the PDF page it replaces (pixels at 300 dpi → points). */
function scaled(read: PageLines, target: PageLines): PageLines {
  const k = read.width > 1 ? target.width / read.width : 1;
  return {
    width: target.width,
    height: target.height,
    lines: read.lines.map((l) => ({
      ...l,
      left: l.left * k,
      right: l.right * k,
      y: l.y * k,
      size: l.size * k,
    })),
  };
}

/** "3, 4", "1–12", "2, 5–7". */
export function pageList(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(", "));
    i = j + 1;
  }
  return parts.join(", ");
}

/** "2 phút", "30 giây". */
export function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} phút` : `${Math.max(1, Math.round(ms / 1000))} giây`;
}

class Timeout extends Error {}

function within<T>(promise: Promise<T>, deadline: number): Promise<T> {
  // Left behind at a time bound, pdf.js's promise rejects when the task is destroyed.
  promise.catch(() => undefined);
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(new Timeout());
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Timeout()), left);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** pdf.js's errors as reasons a person understands. */
function translate(err: unknown, timeoutMs: number): Error {
  if (err instanceof UnreadableDocumentError) return err;
  if (err instanceof Timeout)
    return new UnreadableDocumentError(`đọc tệp quá ${duration(timeoutMs)}, đã dừng`, { cause: err });
  const name = (err as { name?: string } | undefined)?.name;
  if (name === "PasswordException") return new UnreadableDocumentError("tệp PDF có mật khẩu", { cause: err });
  return new UnreadableDocumentError("tệp PDF hỏng", { cause: err });
}
