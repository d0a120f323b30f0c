/**
 * The tuning dashboard: every dev set on every knowledge base in one run, so a change is judged on
 * more than one document (a rule fitted to one is not a rule). Never reads a held-out set.
 *
 *   tsx bench/tune.ts [--only plan,kb,alqac] [--set name=value …] [--open]
 *
 * `--set` changes a switchable weight of the knowledge index (articleWeight, perArticle,
 * definitionWeight, quotedWeight, namedWeight, feedbackWeight…) on every index before the run.
 * `--open` ranks without the not-found rule (ranking alone) on the kb sets.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCorpusIndex, rankDocuments, readCorpus, readQueries } from "../src/eval/corpus-eval.js";
import { retrievalMetrics } from "../src/eval/metrics.js";
import { evaluateQuestions, readQuestions } from "../src/eval/question-eval.js";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { indexInMemory } from "../src/search/index-store.js";
import type { KnowledgeIndex } from "../src/search/knowledge-index.js";
import { retrieverOf } from "../src/search/retriever.js";
import { botReport, byStyle, openKbBench, peerReport } from "./kb.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const QUESTIONS = join(ROOT, "bench", "questions");
const ALQAC = join(ROOT, "..", "shared", "eval", "alqac");
const f3 = (x: number) => x.toFixed(3);

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = new Set((arg("--only") ?? "plan,kb,alqac").split(","));
const settings: [string, number][] = [];
process.argv.forEach((a, i) => {
  if (a !== "--set") return;
  const [name, value] = (process.argv[i + 1] ?? "").split("=");
  if (!name || value === undefined || Number.isNaN(Number(value)))
    throw new Error(`bad --set ${process.argv[i + 1]}`);
  settings.push([name, Number(value)]);
});

function tune(index: KnowledgeIndex): void {
  for (const [name, value] of settings) {
    if (!(name in index)) throw new Error(`the index has no setting ${name}`);
    (index as unknown as Record<string, number>)[name] = value;
  }
}

if (only.has("plan")) {
  const { documents } = await loadKnowledge(join(ROOT, "knowledge"));
  const loaded = await indexInMemory(documents);
  tune(loaded.index);
  const r = await evaluateQuestions(
    retrieverOf(loaded),
    await readQuestions(join(QUESTIONS, "plan-dev.jsonl")),
  );
  console.log(
    `plan-dev      hit@1 ${f3(r.hit1)} hit@3 ${f3(r.hit3)}  refused answerable ${r.confusion.answerRefused}/${r.answerable}, unanswerable answered ${r.grades.unanswerable.answered}/${r.unanswerable}`,
  );
}

if (only.has("kb")) {
  const b = await openKbBench();
  tune(b.index);
  if (process.argv.includes("--open")) b.index.setPolicy({ minCoverage: 0, partialCoverage: 0 });
  for (const set of ["kb-dev", "kb-dev2", "kb-dev3"]) {
    const path = join(QUESTIONS, `${set}.jsonl`);
    if (!existsSync(path)) continue;
    const qs = await readQuestions(path);
    const { report } = await botReport(b, qs);
    const peer = peerReport(b, qs);
    const styles = Object.entries(byStyle(report))
      .map(([s, x]) => `${s} ${f3(x.hit3)}`)
      .join(", ");
    console.log(
      `${set.padEnd(13)} hit@1 ${f3(report.hit1)} hit@3 ${f3(report.hit3)} article ${f3(report.articleHit3)} (peer ${f3(peer.hit3)} / ${f3(peer.articleHit3)})  not found ${report.grades.answerable.not_found}/${report.answerable}, unanswerable answered ${report.grades.unanswerable.answered}/${report.unanswerable}  [${styles}]`,
    );
  }
}

if (only.has("alqac") && existsSync(join(ALQAC, "corpus.jsonl"))) {
  const ci = await buildCorpusIndex(await readCorpus(join(ALQAC, "corpus.jsonl")));
  tune(ci.index);
  const odd = (await readQueries(join(ALQAC, "queries.jsonl"))).filter((_, i) => i % 2 === 1);
  const everyday = await readQueries(join(QUESTIONS, "alqac-everyday-dev.jsonl"));
  for (const [name, qs] of [
    ["alqac-odd", odd],
    ["alqac-ev-dev", everyday],
  ] as const) {
    const m = retrievalMetrics(qs.map((q) => ({ ranked: rankDocuments(ci, q.text, 10), gold: q.gold })));
    console.log(`${name.padEnd(13)} MRR@10 ${f3(m.mrr10)} R@1 ${f3(m.r1)} R@5 ${f3(m.r5)}`);
  }
}
