/**
 * The "formats-pdf" section of BENCHMARKS.md: runs bench/formats-pdf.ts in its own process
 * (`npm run bench -- --only formats-pdf`) and formats its JSON line. Without OCR on the machine the
 * section says so, with the command that installs it.
 */
import { cpus, loadavg } from "node:os";
import { detectOcr, OCR_INSTALL } from "../src/knowledge/formats/ocr.js";

interface Hits {
  hit1: number;
  hit3: number;
  hit5: number;
  answerable: number;
  passages: number;
}
interface Report {
  pages: number;
  pdfBytes: number;
  scanBytes: number;
  textMsPerPage: number;
  ocrMsPerPage: number;
  scanMs: number;
  warnings: string[];
  misread: string[];
  quality: { scanVsTextLayer: number; scanVsTxt: number; textLayerVsTxt: number; coarseVsTextLayer: number };
  sets: { txt: Hits; pdf: Hits; scan: Hits; coarse: Hits };
  memory: { pages: number; chars: number; ms: number; beforeMb: number; peakMb: number; bytes: number };
}

const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const f4 = (x: number) => x.toFixed(4);

/** Runs the benchmark and appends its section to `lines`. */
export async function formatsPdfSection(
  lines: string[],
  runScript: (script: string, args: string[]) => Promise<string>,
): Promise<void> {
  lines.push("## Documents as PDF and as a scan", "");
  const capability = await detectOcr();
  if (!capability.available) {
    const msg = `Skipped: OCR is missing (${capability.missing}); install it with \`${OCR_INSTALL}\`.`;
    console.log(`formats-pdf: ${msg}`);
    lines.push(msg, "");
    return;
  }
  const load = loadavg()[0] ?? 0;
  const r = JSON.parse(
    (await runScript("bench/formats-pdf.ts", [])).trim().split("\n").pop() ?? "{}",
  ) as Report;
  const q = r.quality;
  const row = (name: string, h: Hits) =>
    `| ${name} | ${h.passages} | ${h.answerable} | ${f3(h.hit1)} | ${f3(h.hit3)} | ${f3(h.hit5)} | ${f3(h.hit3 - r.sets.txt.hit3)} |`;
  console.log(
    `formats-pdf: hit@3 txt ${f3(r.sets.txt.hit3)}, pdf ${f3(r.sets.pdf.hit3)}, scan ${f3(r.sets.scan.hit3)}; OCR 1−CER ${f4(q.scanVsTextLayer)}; ${f1(r.ocrMsPerPage / 1000)} s/page`,
  );
  lines.push(
    "`npm run bench -- --only formats-pdf` (bench/formats-pdf.ts): the plan (knowledge/000_3cba0417107b8cbb.txt) laid out",
    `as a text PDF the way an office prints it (A4, DejaVu Serif 13 pt, justified, page numbers; ${r.pages} pages, ${Math.round(r.pdfBytes / 1000)} KB), and as a scan of`,
    `that PDF (each page rasterised by pdftoppm at 300 dpi, gray, put back as an image; ${Math.round(r.scanBytes / 1000)} KB), and as a poorer scan at 150 dpi.`,
    "Each is read by the bot's readers (pdf.js for the text layer; Tesseract `-l vie` for the scans, pages rendered at 300 dpi)",
    "with the plan's metadata file beside it, indexed alone, and asked the plan's dev questions (bench/questions/plan-dev.jsonl).",
    "",
    "| read from | passages | answerable | hit@1 | hit@3 | hit@5 | hit@3 − .txt |",
    "|---|---|---|---|---|---|---|",
    row(".txt (as shipped)", r.sets.txt),
    row("text PDF", r.sets.pdf),
    row("scan, 300 dpi (OCR)", r.sets.scan),
    row("scan, 150 dpi (OCR)", r.sets.coarse),
    "",
    "OCR quality, characters right (1 − CER, Levenshtein distance over the reference's length, whitespace collapsed, NFC):",
    "",
    "| reading | against | 1 − CER |",
    "|---|---|---|",
    `| scan, 300 dpi | the text PDF's reading | ${f4(q.scanVsTextLayer)} |`,
    `| scan, 300 dpi | the .txt's paragraphs | ${f4(q.scanVsTxt)} |`,
    `| scan, 150 dpi | the text PDF's reading | ${f4(q.coarseVsTextLayer)} |`,
    `| text PDF | the .txt's paragraphs | ${f4(q.textLayerVsTxt)} |`,
    "",
    `Lines of the 300 dpi scan's reading that differ from the text PDF's (${r.misread.length}): ${r.misread.map((l) => `"${l}"`).join("; ") || "none"}.`,
    "",
    "These scans are clean: made from the PDF itself, straight, without noise, stamps, handwriting or a second column.",
    "A scan from paper does worse; the gap to the .txt above is the best case, not the usual one.",
    "",
    `Ingest time on this machine (${cpus().length} cores shared with other work; load average ${f1(load)} at the start): text PDF`,
    `${f1(r.textMsPerPage)} ms a page (median of 5 readings of the whole file, per page); OCR ${f1(r.ocrMsPerPage / 1000)} s a page`,
    `(median over the scan's pages: pdftoppm at 300 dpi, then Tesseract), ${f1(r.scanMs / 1000)} s for the whole scan. The reading is`,
    "cached by content (`<DATA_DIR>/extracted/`), so a scan is read by OCR once, not at every rebuild.",
    "",
    `Peak memory reading a ${r.memory.pages}-page text PDF (${Math.round(r.memory.bytes / 1000)} KB, ${r.memory.chars} characters) in a fresh process: RSS ${f1(r.memory.beforeMb)} MB`,
    `before reading (Node, tsx and the modules loaded), peak ${f1(r.memory.peakMb)} MB; ${f1(r.memory.ms / 1000)} s.`,
    "",
  );
}
