/**
 * `npm run bench -- --only formats-word`: the plan as an office would send it — a .docx typed with
 * Word's automatic lists (generated here with the docx package: roman sections, numbered items
 * restarting under each section, bullets) and the same saved as .doc by LibreOffice (skipped with
 * a message when `soffice` is absent) — answered from each beside the .txt on the plan's dev
 * questions (plan-dev.jsonl; never the held-out set), with the time to read each file.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, TextRun } from "docx";
import { docxToDoc } from "../scripts/make-word-fixtures.js";
import { evaluateQuestions, type QuestionReport, readQuestions } from "../src/eval/question-eval.js";
import { extractDocument } from "../src/knowledge/formats/extract.js";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { indexInMemory } from "../src/search/index-store.js";
import { retrieverOf } from "../src/search/retriever.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PLAN = "000_3cba0417107b8cbb";
const RUNS = 5;

const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);

/** A paragraph's text with the plan's Markdown italics ("*…*") as italic runs. */
function runs(text: string): TextRun[] {
  return text
    .split(/(\*[^*]+\*)/)
    .filter(Boolean)
    .map((part) =>
      part.startsWith("*") && part.endsWith("*")
        ? new TextRun({ text: part.slice(1, -1), italics: true })
        : new TextRun(part),
    );
}

/**
 * The plan typed in Word with automatic numbering: "I-" sections, "1." items (a new list instance,
 * restarting at 1, wherever the text starts again at 1), "-" bullets. Numbers that are not what
 * Word would count are kept typed. Returns the file and how many numbers Word generates.
 */
export async function planAsDocx(text: string): Promise<{ docx: Buffer; automatic: number; typed: number }> {
  const levels = (format: (typeof LevelFormat)[keyof typeof LevelFormat], lvlText: string) => [
    { level: 0, format, text: lvlText, alignment: AlignmentType.START },
  ];
  let roman = 0;
  let item = 0;
  let instance = 0;
  let automatic = 0;
  let typed = 0;
  const children: Paragraph[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const para = block.replace(/\s*\n\s*/g, " ").trim();
    if (!para) continue;
    const section = /^([IVXLC]+)-\s+(.*)$/u.exec(para);
    const numbered = /^(\d+)\.\s+(.*)$/u.exec(para);
    const bullet = /^-\s+(.*)$/u.exec(para);
    if (section && romanValue(section[1] ?? "") === roman + 1) {
      roman += 1;
      item = 0;
      instance += 1;
      automatic += 1;
      children.push(
        new Paragraph({ children: runs(section[2] ?? ""), numbering: { reference: "roman", level: 0 } }),
      );
    } else if (numbered && (Number(numbered[1]) === item + 1 || Number(numbered[1]) === 1)) {
      if (Number(numbered[1]) === 1 && item !== 0) instance += 1;
      item = Number(numbered[1]);
      automatic += 1;
      children.push(
        new Paragraph({
          children: runs(numbered[2] ?? ""),
          numbering: { reference: "items", level: 0, instance },
        }),
      );
    } else if (bullet) {
      automatic += 1;
      children.push(
        new Paragraph({ children: runs(bullet[1] ?? ""), numbering: { reference: "bullets", level: 0 } }),
      );
    } else {
      if (section || numbered) typed += 1;
      children.push(new Paragraph({ children: runs(para) }));
    }
  }
  const doc = new Document({
    numbering: {
      config: [
        { reference: "roman", levels: levels(LevelFormat.UPPER_ROMAN, "%1-") },
        { reference: "items", levels: levels(LevelFormat.DECIMAL, "%1.") },
        { reference: "bullets", levels: levels(LevelFormat.BULLET, "-") },
      ],
    },
    sections: [{ children }],
  });
  return { docx: await Packer.toBuffer(doc), automatic, typed };
}

function romanValue(s: string): number {
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const cur = v[s[i] ?? ""] ?? 0;
    const next = v[s[i + 1] ?? ""] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return total;
}

function hasSoffice(): boolean {
  try {
    execFileSync("soffice", ["--version"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

interface FormatRow {
  name: string;
  bytes: number;
  extractMs: number;
  passages: number;
  sameSections: number;
  report: QuestionReport;
}

/** Writes the section: one row per format of the plan. */
export async function formatsWordSection(lines: string[]): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), "bench-word-"));
  try {
    const txtPath = join(ROOT, "knowledge", `${PLAN}.txt`);
    const sidecar = join(ROOT, "knowledge", `${PLAN}.meta.yaml`);
    const text = await readFile(txtPath, "utf8");
    const { docx, automatic, typed } = await planAsDocx(text);
    const files: { name: string; ext: string; bytes: Buffer }[] = [
      { name: ".txt (as shipped)", ext: ".txt", bytes: await readFile(txtPath) },
      { name: ".docx (automatic lists)", ext: ".docx", bytes: docx },
    ];
    let docNote = "";
    if (hasSoffice()) {
      const docxPath = join(tmp, `${PLAN}.docx`);
      await writeFile(docxPath, docx);
      files.push({
        name: ".doc (LibreOffice from the .docx)",
        ext: ".doc",
        bytes: await readFile(docxToDoc(docxPath, tmp)),
      });
    } else {
      docNote =
        "The .doc row is missing: LibreOffice is not installed (`apt-get install -y --no-install-recommends libreoffice-writer-nogui`).";
      console.log(`formats-word: ${docNote}`);
    }
    const questions = await readQuestions(join(ROOT, "bench", "questions", "plan-dev.jsonl"));
    const rows: FormatRow[] = [];
    let txtSections: string[] = [];
    for (const f of files) {
      const times: number[] = [];
      await extractDocument(f.bytes, `${PLAN}${f.ext}`); // warm-up: the reader's code compiled
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await extractDocument(f.bytes, `${PLAN}${f.ext}`);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const dir = join(tmp, f.ext.slice(1));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${PLAN}${f.ext}`), f.bytes);
      await copyFile(sidecar, join(dir, `${PLAN}.meta.yaml`));
      const { documents, skipped } = await loadKnowledge(dir);
      if (skipped.length > 0) throw new Error(`${f.name}: ${skipped.map((s) => s.reason).join("; ")}`);
      const loaded = await indexInMemory(documents);
      const sections = loaded.index.passages.map((p) => p.sectionPath.join(" › "));
      if (f.ext === ".txt") txtSections = sections;
      // Multiset intersection: a path counts as often as both files have it.
      const left = new Map<string, number>();
      for (const k of txtSections) left.set(k, (left.get(k) ?? 0) + 1);
      let same = 0;
      for (const k of sections) {
        const n = left.get(k) ?? 0;
        if (n > 0) {
          same += 1;
          left.set(k, n - 1);
        }
      }
      rows.push({
        name: f.name,
        bytes: f.bytes.length,
        extractMs: times[Math.floor(RUNS / 2)] ?? 0,
        passages: loaded.index.passages.length,
        sameSections: same,
        report: await evaluateQuestions(retrieverOf(loaded), questions),
      });
    }
    for (const r of rows)
      console.log(`formats-word: ${r.name} hit@3 ${f3(r.report.hit3)}, ${f1(r.extractMs)} ms to read`);
    const txt = rows[0];
    lines.push(
      "## The plan as Word files",
      "",
      "`npm run bench -- --only formats-word` (bench/formats-word.ts). The plan (knowledge/000_3cba0417107b8cbb.txt, with its",
      `sidecar) typed as a .docx with Word's automatic lists (${automatic} numbers and bullets generated by Word, ${typed} kept typed),`,
      "the way an office sends it (made here with the docx package), and that .docx saved as .doc by LibreOffice. Each is",
      `indexed alone and asked the plan's dev questions (bench/questions/plan-dev.jsonl, ${questions.length} questions; never the held-out set).`,
      "Read: median of 5 readings of the file (extractDocument, after one warm-up) on this machine. Sections as .txt: passages whose section path",
      '("II- NHIỆM VỤ, GIẢI PHÁP › 2") the .txt\'s passages also have, counted as often as both have it.',
      "",
      "| file | bytes | read ms | passages | sections as .txt | hit@1 | hit@3 | hit@3 − .txt |",
      "|---|---|---|---|---|---|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.bytes} | ${f1(r.extractMs)} | ${r.passages} | ${r.sameSections} / ${r.passages} | ${f3(r.report.hit1)} | ${f3(r.report.hit3)} | ${f3(r.report.hit3 - (txt?.report.hit3 ?? 0))} |`,
      ),
      "",
      "The .doc's automatic numbers are read from its list tables (word-extractor alone drops them); LibreOffice saves the",
      "first paragraph of each restarted list as a list of its own, which the reader joins back (src/knowledge/formats/doc-lists.ts).",
      "",
      ...(docNote ? [docNote, ""] : []),
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lines: string[] = [];
  await formatsWordSection(lines);
  console.log(lines.join("\n"));
}
