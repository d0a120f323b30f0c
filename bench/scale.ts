/**
 * One size of the scale benchmark, in its own process so peak memory is this size's alone:
 * `node --import tsx bench/scale.ts <copies>` indexes ALQAC repeated `copies` times with
 * perturbations (words dropped and sentences rotated per copy, so no two copies are identical),
 * then times questions. Prints one JSON line. Called by bench/run.ts.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { entryTitle, readCorpus, readQueries } from "../src/eval/corpus-eval.js";
import { percentile } from "../src/eval/metrics.js";
import type { KnowledgeDocument } from "../src/knowledge/types.js";
import { indexInMemory } from "../src/search/index-store.js";
import { retrieverOf } from "../src/search/retriever.js";

const ALQAC = join(fileURLToPath(new URL("..", import.meta.url)), "..", "shared", "eval", "alqac");
const copies = Number(process.argv[2] ?? 1);

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);

const corpus = await readCorpus(join(ALQAC, "corpus.jsonl"));
const queries = await readQueries(join(ALQAC, "queries.jsonl"));
const documents: KnowledgeDocument[] = [];
for (let c = 0; c < copies; c++) {
  for (const entry of corpus) {
    const { title, body } = entryTitle(entry);
    const text = c === 0 ? body : perturb(body, c);
    documents.push({
      id: `${entry.id}#${c}`,
      title,
      shortTitle: title,
      source: "",
      hash: "",
      meta: {},
      text,
    });
  }
}

const t0 = performance.now();
const loaded = await indexInMemory(documents);
const buildMs = performance.now() - t0;
sample();
const retriever = retrieverOf(loaded);
const times: number[] = [];
for (const q of queries) {
  const t = performance.now();
  await retriever.search(q.text, 10);
  times.push(performance.now() - t);
}
sample();
clearInterval(timer);
process.stdout.write(
  `${JSON.stringify({
    copies,
    documents: documents.length,
    passages: loaded.index.passages.length,
    buildMs: Math.round(buildMs),
    peakRssMiB: Math.round(peak / 2 ** 20),
    queryP50: percentile(times, 50),
    queryP95: percentile(times, 95),
  })}\n`,
);

/** Drops every 7th word (offset by the copy) and rotates the paragraphs. */
function perturb(text: string, c: number): string {
  const paras = text.split("\n\n");
  const rotated = [...paras.slice(c % paras.length), ...paras.slice(0, c % paras.length)];
  return rotated
    .map((p) =>
      p
        .split(" ")
        .filter((_, i) => (i + c) % 7 !== 0)
        .join(" "),
    )
    .join("\n\n");
}
