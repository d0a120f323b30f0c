/**
 * Quiz item quality: items generated from the plan alone, and from the plan with
 * ../shared/knowledge-related, checked by src/study/quiz-check.ts (one right option, distinct
 * same-type options, no wrong option true elsewhere in the documents, fits a Telegram poll).
 * Prints the figures as Markdown; `--sample 30` also prints 30 items drawn with a fixed seed from
 * the larger corpus, for reading by a person (their verdicts are in BENCHMARKS.md).
 *
 *   npx tsx bench/quiz.ts [--sample 30]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { KnowledgeIndex } from "../src/search/knowledge-index.js";
import { generateItems, type QuizItem } from "../src/study/quiz.js";
import { checkerCorpus, checkItem } from "../src/study/quiz-check.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RELATED = join(ROOT, "..", "shared", "knowledge-related");

interface Run {
  name: string;
  passages: number;
  items: QuizItem[];
  accepted: number;
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
  const problems = new Map<string, number>();
  let accepted = 0;
  for (const item of items) {
    const c = checkItem(item, byId, all);
    if (c.ok) accepted += 1;
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
      `| ${r.name} | ${r.passages} | ${r.withItem} (${pct(r.withItem, r.passages)}) | ${r.items.length} | ${n("cloze")} | ${n("choice")} | ${n("truefalse")} | ${r.accepted} (${pct(r.accepted, r.items.length)}) | ${Math.round(r.ms)} |`,
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

const runs = [await run("the plan", [join(ROOT, "knowledge")])];
if (existsSync(RELATED))
  runs.push(await run("plan + related (7 documents)", [join(ROOT, "knowledge"), RELATED]));
else console.error(`${RELATED} is missing: only the plan is measured`);
console.log(table(runs));

const sampleAt = process.argv.indexOf("--sample");
if (sampleAt > 0) {
  const n = Number(process.argv[sampleAt + 1] ?? 30);
  const last = runs[runs.length - 1] as Run;
  let s = 20261201;
  const pool = [...last.items];
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
