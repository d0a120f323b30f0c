/**
 * OCR of scans and images: Tesseract with Debian's Vietnamese data (`tesseract … -l vie`), PDF pages
 * rendered one at a time by poppler's `pdftoppm` (300 dpi, gray; lower for a page so large that
 * its image would pass MAX_RENDER_PIXELS). These are system programs, an
 * optional capability: detected once, and when they are missing a scan is refused by name with the
 * command that installs them while every other file is still indexed.
 *
 * Child processes run through execFile (no shell) with a timeout and bounded output; the engine
 * takes a `runner` so tests can count or replace the calls.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linesOf, type PageLines, type Run } from "./pdf-layout.js";

/** The command that installs what OCR needs, as the refusal says it. */
export const OCR_INSTALL = "apt-get install -y tesseract-ocr tesseract-ocr-vie poppler-utils";
/** The reason a scan is refused when OCR is missing. */
export const OCR_MISSING = `cần cài OCR: ${OCR_INSTALL}`;
/** Rendering resolution: Tesseract reads best at 300 dpi. */
export const OCR_DPI = 300;
/** Longest one page's rendering or recognition may take. */
export const OCR_PAGE_TIMEOUT_MS = 180_000;
/**
 * Largest image rendered or decoded for OCR, in pixels (an A4 page at 600 dpi is 35 million):
 * Tesseract needs some 10 bytes a pixel, and a 5000-point PDF page at 300 dpi is 434 million.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;
/**
 * Largest image a PDF page is rendered to, in pixels: an A2 page at 300 dpi is 35 million. Measured
 * on an empty 5000-point page, pdftoppm took 200 MB and Tesseract 1.6 GB at 100 million pixels.
 */
export const MAX_RENDER_PIXELS = 40_000_000;
/** Below this resolution a page's letters are too small to read: the page is not rendered. */
export const MIN_OCR_DPI = 50;
/** Largest output kept from one child process (a page's TSV is ~100 KB). */
const MAX_OUTPUT = 32 * 1024 * 1024;

/** Runs a program with arguments (never through a shell); rejects on a non-zero exit or timeout. */
export type CommandRunner = (
  file: string,
  args: readonly string[],
  options: { timeoutMs: number },
) => Promise<{ stdout: string; stderr: string }>;

/** The default runner: execFile, bounded in time and output. */
export const execRunner: CommandRunner = (file, args, { timeoutMs }) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: timeoutMs, maxBuffer: MAX_OUTPUT, encoding: "utf8", killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });

/** What the machine can do: OCR, or why not. */
export type OcrCapability = { available: true } | { available: false; missing: string };

/** An OCR engine: pages of a PDF and images to text laid out as lines. */
export interface OcrEngine {
  /** Whether OCR can run here (detected once). */
  capability(): Promise<OcrCapability>;
  /**
   * Renders page `page` (1-based) of the PDF at `pdfPath` and recognises it. `size`, the page's
   * width and height in points, lowers the resolution so the rendering stays under
   * MAX_RENDER_PIXELS; a page too large even at MIN_OCR_DPI is refused (rejects).
   */
  pdfPage(pdfPath: string, page: number, size?: { width: number; height: number }): Promise<PageLines>;
  /**
   * Recognises an image file (PNG, JPEG, TIFF; every page of a multi-page TIFF); `pages` (the
   * TIFF's page count) gives Tesseract its time per page.
   */
  image(imagePath: string, pages?: number): Promise<PageLines[]>;
}

/** How the engine runs: the runner (tests count or replace calls), a fixed capability, resolution, time per page. */
export interface OcrOptions {
  runner?: CommandRunner;
  /** Replaces the detection (tests of a machine without Tesseract). */
  capability?: OcrCapability;
  dpi?: number;
  pageTimeoutMs?: number;
}

/**
 * The resolution a page of `width` × `height` points is rendered at: `dpi`, lowered so the image
 * stays under `maxPixels`; undefined when even MIN_OCR_DPI would exceed it.
 */
export function renderDpi(
  width: number,
  height: number,
  dpi: number = OCR_DPI,
  maxPixels: number = MAX_RENDER_PIXELS,
): number | undefined {
  const squareInches = (Math.abs(width) / 72) * (Math.abs(height) / 72);
  if (!(squareInches > 0)) return dpi;
  const fits = Math.floor(Math.sqrt(maxPixels / squareInches));
  if (fits >= dpi) return dpi;
  return fits >= MIN_OCR_DPI ? fits : undefined;
}

/** Asks the machine whether tesseract (with `vie`) and pdftoppm are there. */
export async function detectOcr(runner: CommandRunner = execRunner): Promise<OcrCapability> {
  let langs: string;
  try {
    const out = await runner("tesseract", ["--list-langs"], { timeoutMs: 15_000 });
    langs = `${out.stdout}\n${out.stderr}`;
  } catch {
    return { available: false, missing: "không có tesseract" };
  }
  if (!/^vie$/m.test(langs)) return { available: false, missing: "tesseract thiếu dữ liệu tiếng Việt (vie)" };
  try {
    await runner("pdftoppm", ["-v"], { timeoutMs: 15_000 });
  } catch {
    return { available: false, missing: "không có pdftoppm" };
  }
  return { available: true };
}

/** Creates an OCR engine; the capability is detected at the first use, once. */
export function createOcr(options: OcrOptions = {}): OcrEngine {
  const runner = options.runner ?? execRunner;
  const dpi = options.dpi ?? OCR_DPI;
  const timeoutMs = options.pageTimeoutMs ?? OCR_PAGE_TIMEOUT_MS;
  let detected: Promise<OcrCapability> | undefined = options.capability
    ? Promise.resolve(options.capability)
    : undefined;
  const capability = () => {
    detected ??= detectOcr(runner);
    return detected;
  };
  const recognise = async (imagePath: string, pages = 1): Promise<PageLines[]> => {
    // --psm 3: automatic page segmentation, the default, said so the TSV layout is what we parse.
    const { stdout } = await runner("tesseract", [imagePath, "stdout", "-l", "vie", "--psm", "3", "tsv"], {
      timeoutMs: timeoutMs * Math.max(1, pages),
    });
    return pagesFromTsv(stdout);
  };
  return {
    capability,
    async pdfPage(pdfPath, page, size) {
      const pageDpi = size ? renderDpi(size.width, size.height, dpi) : dpi;
      if (pageDpi === undefined)
        throw new Error(`page ${page} is too large to render under ${MAX_RENDER_PIXELS} pixels`);
      const dir = await mkdtemp(join(tmpdir(), "danvan-ocr-"));
      try {
        const root = join(dir, "page");
        await runner(
          "pdftoppm",
          [
            "-r",
            String(pageDpi),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            String(page),
            "-l",
            String(page),
            pdfPath,
            root,
          ],
          { timeoutMs },
        );
        const pages = await recognise(`${root}.png`);
        return pages[0] ?? { width: 1, height: 1, lines: [] };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    image: recognise,
  };
}

let shared: OcrEngine | undefined;
/** The engine the readers use unless told otherwise (one detection per process). */
export function defaultOcr(): OcrEngine {
  shared ??= createOcr();
  return shared;
}

/** Writes bytes to a temporary file for a program to read, and removes it after `use`. */
export async function withTempFile<T>(
  bytes: Uint8Array,
  ext: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "danvan-doc-"));
  try {
    const path = join(dir, `input${ext}`);
    await writeFile(path, bytes);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height, conf,
 * text) as lines laid out on pages: each word a run at its box's bottom, the line's height as size.
 */
export function pagesFromTsv(tsv: string): PageLines[] {
  const pages = new Map<number, { width: number; height: number; lines: Map<string, Run[]> }>();
  for (const row of tsv.split("\n")) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] === "level") continue;
    const [level, page, block, par, line, , left, top, width, height, conf] = f.slice(0, 11).map(Number);
    const text = f.slice(11).join("\t").trim();
    if (!page) continue;
    let p = pages.get(page);
    if (!p) {
      p = { width: 1, height: 1, lines: new Map() };
      pages.set(page, p);
    }
    if (level === 1) {
      p.width = width ?? 1;
      p.height = height ?? 1;
      continue;
    }
    // A rule under a motto or a table border read as "__", "|": layout, not words.
    if (level !== 5 || !text || (conf ?? 0) < 0 || /^[_|~—–=]+$/u.test(text)) continue;
    const key = `${block}.${par}.${line}`;
    const runs = p.lines.get(key) ?? [];
    runs.push({ text, x: left ?? 0, y: (top ?? 0) + (height ?? 0), width: width ?? 0, size: height ?? 0 });
    p.lines.set(key, runs);
  }
  return [...pages.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, p]) => {
      // Tesseract already knows its lines: each is laid out on one baseline with one height,
      // measured on its words that reach below the baseline nowhere (no g, p, q, y, no dot below)
      // when it has any. A line within 35% of the page's usual height takes that height (word boxes
      // vary with marks), a heading keeps its own.
      const lines = [...p.lines.values()].map((words) => {
        const flat = words.filter((w) => !DESCENDS.test(w.text));
        if (flat.length > 0)
          return { words, bottom: median(flat.map((w) => w.y)), size: median(flat.map((w) => w.size)) };
        // Every word descends ("pháp luật."): the descender is about a quarter of the box.
        const height = median(words.map((w) => w.size));
        return { words, bottom: median(words.map((w) => w.y)) - 0.25 * height, size: 0.75 * height };
      });
      const usual = median(lines.map((l) => l.size));
      const runs: Run[] = [];
      for (const l of lines) {
        const size = Math.abs(l.size - usual) <= 0.35 * usual ? usual : l.size;
        for (const w of l.words) runs.push({ ...w, y: l.bottom, size });
      }
      return { width: p.width, height: p.height, lines: linesOf(runs) };
    });
}

/** Letters that reach below the baseline: descenders and the nặng dot. */
const DESCENDS = /[gpqyjạặậẹệịọộợụựỵ,;]/iu;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
