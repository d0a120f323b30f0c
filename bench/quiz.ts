/**
 * Quiz item quality: items generated from the plan alone, and from the plan with
 * ../shared/knowledge-related, checked by src/study/quiz-check.ts (one right option, distinct
 * same-type options, no wrong option true elsewhere in the documents, fits a Telegram poll); the
 * bot asks only the items the checker accepts. Prints the figures as Markdown; `--sample 30` also
 * prints 30 accepted items drawn with a fixed seed from the larger corpus, for reading by a
 * person (their verdicts are in BENCHMARKS.md).
 *
 *   npx tsx bench/quiz.ts [--sample 30]     (npm run bench -- --only quiz writes BENCHMARKS.md)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { loadReplies } from "../src/prompts.js";
import { KnowledgeIndex } from "../src/search/knowledge-index.js";
import { generateItems, type QuizItem } from "../src/study/quiz.js";
import { checkerCorpus, checkItem } from "../src/study/quiz-check.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RELATED = join(ROOT, "..", "shared", "knowledge-related");

interface Run {
  name: string;
  passages: number;
  items: QuizItem[];
  accepted: QuizItem[];
  problems: Map<string, number>;
  withItem: number;
  ms: number;
}

async function run(name: string, dirs: string[]): Promise<Run> {
  const documents = (await Promise.all(dirs.map((d) => loadKnowledge(d)))).flatMap((r) => r.documents);
  const index = KnowledgeIndex.build(documents);
  const t0 = performance.now();
  const items = generateItems(index.passages, index.documents);
  const ms = performance.now() - t0;
  const { byId, all } = checkerCorpus(index.passages);
  // The questions measured as the bot words them (prompts/replies.yaml).
  const texts = await loadReplies();
  const problems = new Map<string, number>();
  const accepted: QuizItem[] = [];
  for (const item of items) {
    const c = checkItem(item, byId, all, texts);
    if (c.ok) accepted.push(item);
    for (const p of c.problems) problems.set(p, (problems.get(p) ?? 0) + 1);
  }
  const withItem = new Set(items.map((i) => i.source.passageId)).size;
  return { name, passages: index.passages.length, items, accepted, problems, withItem, ms };
}

const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)}%`);

function table(runs: Run[]): string {
  const lines = [
    "| corpus | passages | passages with an item | items | cloze | multiple choice | true/false | accepted by the checker | ms |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of runs) {
    const n = (f: string) => r.items.filter((i) => i.form === f).length;
    lines.push(
      `| ${r.name} | ${r.passages} | ${r.withItem} (${pct(r.withItem, r.passages)}) | ${r.items.length} | ${n("cloze")} | ${n("choice")} | ${n("truefalse")} | ${r.accepted.length} (${pct(r.accepted.length, r.items.length)}) | ${Math.round(r.ms)} |`,
    );
  }
  lines.push(
    "",
    "| corpus | date | number | body | document number | motto word |",
    "|---|---|---|---|---|---|",
  );
  for (const r of runs) {
    const n = (s: string) => r.items.filter((i) => i.slot === s).length;
    lines.push(
      `| ${r.name} | ${n("date")} | ${n("number")} | ${n("body")} | ${n("document")} | ${n("term")} |`,
    );
  }
  for (const r of runs) {
    if (r.problems.size === 0) continue;
    lines.push("", `Rejected on ${r.name}: ${[...r.problems].map(([p, c]) => `${p} ${c}`).join(", ")}.`);
  }
  return lines.join("\n");
}

async function measure(): Promise<Run[]> {
  const out = [await run("the plan", [join(ROOT, "knowledge")])];
  if (existsSync(RELATED))
    out.push(await run("plan + related (7 documents)", [join(ROOT, "knowledge"), RELATED]));
  else console.error(`${RELATED} is missing: only the plan is measured`);
  return out;
}

/**
 * The verdicts on 30 accepted items of the larger corpus drawn with the fixed seed (`--sample
 * 30`), read one by one: sound (one option agrees with the documents, every other is false there,
 * answerable from what is shown), of which easy (a wrong option reads wrong on grammar alone, or
 * the answer is shown elsewhere in the question), and defective.
 */
const JUDGED = [
  "Read by hand (`npx tsx bench/quiz.ts --sample 30`: 30 accepted items of the larger corpus drawn with a fixed seed, judged on 2026-12-01): **29 of 30 sound** (exactly one option agrees with the documents, every other is false there, and the item can be answered from what it shows), **3 of those easy** (a wrong option reads wrong on sense alone: «kiến nghị của Quốc hội ở xã, phường»), **1 defective**: «Phối hợp với ___ chỉ đạo, hướng dẫn, kiểm tra và tổ chức thực hiện Nghị quyết này» (Nghị quyết liên tịch 403, Điều 20) cannot be answered without the article's title, which says whose duty it is, and «Chính phủ», one of the resolution's three signatories, reads as right; the questions now open with the article's title when it does not name the answer («Điều 20. Trách nhiệm của Ủy ban Thường vụ Quốc hội, Chính phủ — Điền vào chỗ trống: …»), which gives that item its context. No item had a wrong answer key. Five of the 30 blank a word of the plan's two mottos (one sentence gives 18 items).",
  "Earlier rounds of the same reading (three samples of 30 before this one) found, and the generator now avoids: a day and month («ngày 18 tháng 11») read as a number of months; true/false and multiple choice on bounds («không ít hơn 05 người», «chậm nhất 15 ngày»), where a smaller number is true too (only the cloze, what the document says, is asked there); statements cut from mid-sentence without their subject; wrong options of the same family of bodies («Ủy ban Mặt trận Tổ quốc Việt Nam» and «Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam»); a document number cut before «&BĐG»; sub-headings taken for statements; the answer repeated elsewhere in the same sentence; a body blanked inside a longer name («Đoàn Chủ tịch Ủy ban trung ương ___»). The last three rules cut the items by a third (663 → 446) for fewer easy ones (6 of 30 → 3).",
  "The checker is stricter than the generator (it also refuses a wrong option whose one word on each side is said elsewhere, e.g. «của Tỉnh ủy về»), so about a quarter of the generated items are dropped; the bot asks only the accepted ones. Bodies make two thirds of the items because the laws name a few bodies over and over. The plan alone gives few items (it states few facts); a lesson whose passage holds none gets a question on where the passage stands in the document instead.",
];

/** The BENCHMARKS.md section (`npm run bench -- --only quiz`). */
export async function quizSection(lines: string[]): Promise<void> {
  lines.push(
    "## Quiz items (study series and quizzes)",
    "",
    "Items generated from the passages (cloze, multiple choice, true/false over one fact: a date, a number with its unit, a body, a document number, a word of a motto), each checked by `src/study/quiz-check.ts`, written apart from the generator: one right option, distinct options of the fact's type, no wrong option said in the fact's place anywhere in the documents, texts within Telegram's poll limits. `npx tsx bench/quiz.ts` prints the same tables.",
    "",
    table(await measure()),
    "",
    ...JUDGED.flatMap((p) => [p, ""]),
  );
}

/** Prints `n` accepted items of the last corpus, drawn with a fixed seed, for reading. */
function sample(runs: Run[], n: number): void {
  const last = runs[runs.length - 1] as Run;
  let s = 20261201;
  // The items the bot uses: those the checker accepts.
  const pool = [...last.accepted];
  const chosen: QuizItem[] = [];
  while (chosen.length < n && pool.length > 0) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    chosen.push(pool.splice(s % pool.length, 1)[0] as QuizItem);
  }
  chosen.forEach((i, k) => {
    console.log(`\n#${k + 1} ${i.form}/${i.slot} — ${i.source.title} · ${i.source.label}`);
    if (i.text) console.log(`  ${i.text}`);
    for (const [j, o] of i.options.entries()) console.log(`  ${j === i.correct ? "*" : " "} ${j + 1}. ${o}`);
    if (i.form === "truefalse")
      console.log(`  → ${i.correct === 0 ? "Đúng" : `Sai (tài liệu: ${i.answer})`}`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const measured = await measure();
  console.log(table(measured));
  const at = process.argv.indexOf("--sample");
  if (at > 0) sample(measured, Number(process.argv[at + 1] ?? 30));
}
