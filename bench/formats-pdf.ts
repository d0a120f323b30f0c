/**
 * The "formats-pdf" benchmark (`npm run bench -- --only formats-pdf`): the plan
 * (knowledge/000_3cba0417107b8cbb.txt) laid out as a text PDF (A4, 13 pt, page numbers, as an
 * office prints it) and as a scan of that PDF (each page rasterised at 300 dpi, gray, put back as
 * an image; and a poorer one at 150 dpi), each read by the bot's readers; the plan's dev questions (bench/questions/plan-dev.jsonl)
 * answered from each beside the .txt; OCR quality on the scan (1 − CER against the text layer's
 * reading and against the .txt); ingest time per page; peak memory for a 100-page PDF, in a fresh
 * process (`bench/formats-pdf.ts rss <file>`). Prints one JSON line. Needs tesseract, its `vie`
 * data and pdftoppm, and the DejaVu fonts.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { manyPages, rasterise, SERIF, scanPdf, textPdf } from "../scripts/make-pdf-fixtures.js";
import { characterAccuracy } from "../src/eval/char-accuracy.js";
import { percentile } from "../src/eval/metrics.js";
import { evaluateQuestions, readQuestions } from "../src/eval/question-eval.js";
import { stripMarkdown } from "../src/knowledge/clean.js";
import { extractDocument } from "../src/knowledge/formats/extract.js";
import { detectOcr, OCR_INSTALL } from "../src/knowledge/formats/ocr.js";
import type { Extracted } from "../src/knowledge/formats/types.js";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { indexInMemory } from "../src/search/index-store.js";
import { retrieverOf } from "../src/search/retriever.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PLAN = join(ROOT, "knowledge", "000_3cba0417107b8cbb");
const A4: [number, number] = [595.28, 841.89];
const RUNS = 5;

async function rss(path: string): Promise<void> {
  const bytes = await readFile(path);
  await import("pdfjs-dist/legacy/build/pdf.mjs");
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const read = await extractDocument(bytes, "many.pdf", { maxPages: 1000 });
  const ms = performance.now() - t0;
  const peakKb = process.resourceUsage().maxRSS;
  console.log(
    JSON.stringify({
      pages: read.pages,
      chars: read.text.length,
      ms,
      beforeMb: before / 2 ** 20,
      peakMb: peakKb / 1024,
    }),
  );
}

/** The plan as the .txt holds it: paragraphs, emphasis markers gone. */
function planParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => stripMarkdown(p.replace(/\s+/g, " ").trim()))
    .filter(Boolean);
}

async function answers(dir: string) {
  const { documents, skipped } = await loadKnowledge(dir);
  if (skipped.length > 0) throw new Error(`not read: ${JSON.stringify(skipped)}`);
  const retriever = retrieverOf(await indexInMemory(documents));
  const r = await evaluateQuestions(
    retriever,
    await readQuestions(join(ROOT, "bench", "questions", "plan-dev.jsonl")),
  );
  return {
    hit1: r.hit1,
    hit3: r.hit3,
    hit5: r.hit5,
    answerable: r.answerable,
    passages: retriever.index.passages.length,
  };
}

/** A knowledge folder holding only `file` (bytes) named `name`, with the plan's metadata beside it. */
async function folderWith(root: string, name: string, bytes: Buffer): Promise<string> {
  const dir = join(root, name.replace(/\W/g, "-"));
  await mkdir(dir);
  await writeFile(join(dir, name), bytes);
  await copyFile(`${PLAN}.meta.yaml`, join(dir, `${name.replace(/\.\w+$/, "")}.meta.yaml`));
  return dir;
}

async function main(): Promise<void> {
  const capability = await detectOcr();
  if (!capability.available) throw new Error(`OCR is missing (${capability.missing}): ${OCR_INSTALL}`);
  const root = await mkdtemp(join(tmpdir(), "bench-pdf-"));
  try {
    const txt = await readFile(`${PLAN}.txt`, "utf8");
    const [title, subtitle, ...paragraphs] = planParagraphs(txt);
    const pdf = await textPdf(
      { title: [title ?? "", subtitle ?? ""], paragraphs },
      { pageSize: A4, size: 13 },
    );
    // Reading the text PDF: RUNS times for the time per page.
    const textTimes: number[] = [];
    let textRead: Extracted | undefined;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      textRead = await extractDocument(pdf, "ke-hoach.pdf");
      textTimes.push(performance.now() - t0);
    }
    const pages = textRead?.pages ?? 0;
    const pngs: Buffer[] = [];
    for (let p = 1; p <= pages; p++) pngs.push(rasterise(pdf, p, 300));
    const scan = await scanPdf(pngs, A4);
    // A poorer scan: 150 dpi (a fax, a phone's photo of a page), still read at 300 dpi.
    const coarse = await scanPdf(
      Array.from({ length: pages }, (_, i) => rasterise(pdf, i + 1, 150)),
      A4,
    );
    // The scan, read once (OCR is deterministic): each page's time from the progress reports.
    const pageTimes: number[] = [];
    let last = performance.now();
    const t0 = performance.now();
    const scanRead = await extractDocument(scan, "ke-hoach-scan.pdf", {
      onProgress: (_done, _total, stage) => {
        const now = performance.now();
        if (stage === "ocr") pageTimes.push(now - last);
        last = now;
      },
    });
    const scanMs = performance.now() - t0;
    const coarseRead = await extractDocument(coarse, "ke-hoach-150dpi.pdf");
    const reference = [title, subtitle, ...paragraphs].join("\n");
    const linesOf = (e: Extracted | undefined) => (e?.text ?? "").split("\n").filter(Boolean);
    const textLines = new Set(linesOf(textRead));
    // The scan's lines that differ from the text layer's: where OCR went wrong, shortened.
    const misread = linesOf(scanRead)
      .filter((l) => !textLines.has(l))
      .map((l) => (l.length > 90 ? `${l.slice(0, 90)}…` : l));
    const quality = {
      scanVsTextLayer: characterAccuracy(scanRead.text, textRead?.text ?? ""),
      scanVsTxt: characterAccuracy(scanRead.text, reference),
      textLayerVsTxt: characterAccuracy(textRead?.text ?? "", reference),
      coarseVsTextLayer: characterAccuracy(coarseRead.text, textRead?.text ?? ""),
    };
    const sets = {
      txt: await answers(await folderWith(root, "ke-hoach.txt", Buffer.from(txt))),
      pdf: await answers(await folderWith(root, "ke-hoach.pdf", pdf)),
      scan: await answers(await folderWith(root, "ke-hoach-scan.pdf", scan)),
      coarse: await answers(await folderWith(root, "ke-hoach-150dpi.pdf", coarse)),
    };
    // Peak memory for a 100-page PDF of the plan's paragraphs, in a process of its own.
    const many = await manyPages(100, (n) => paragraphs.slice(0, 3 + (n % 4)).join("\n\n"), SERIF);
    await writeFile(join(root, "many.pdf"), many);
    const { spawnSync } = await import("node:child_process");
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "bench/formats-pdf.ts", "rss", join(root, "many.pdf")],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    if (child.status !== 0) throw new Error(`rss run failed: ${child.stderr}`);
    const memory = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}");
    console.log(
      JSON.stringify({
        pages,
        pdfBytes: pdf.length,
        scanBytes: scan.length,
        textMsPerPage: percentile(textTimes, 50) / pages,
        ocrMsPerPage: percentile(pageTimes, 50),
        scanMs,
        ocrPages: scanRead.ocrPages?.length ?? 0,
        warnings: scanRead.warnings,
        misread,
        quality,
        sets,
        memory: { ...memory, bytes: many.length },
      }),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === "rss") await rss(process.argv[3] ?? "");
else await main();
