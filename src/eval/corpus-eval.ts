/**
 * Evaluation over a JSONL corpus (`{id, text, title?}`, one entry one document) and JSONL queries
 * (`{qid, text, gold}`): a throw-away index, ranked document ids per query, the usual metrics.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { KnowledgeDocument } from "../knowledge/types.js";
import { CorpusEmbeddings } from "../search/embeddings/corpus.js";
import { indexInMemory } from "../search/index-store.js";
import type { KnowledgeIndex } from "../search/knowledge-index.js";
import { percentile, type RetrievalMetrics, retrievalMetrics } from "./metrics.js";

const CorpusLine = z.object({ id: z.string().min(1), text: z.string(), title: z.string().optional() });
const QueryLine = z.object({
  qid: z.string().min(1),
  text: z.string().min(1),
  gold: z.array(z.string()).min(1),
});
export type CorpusEntry = z.infer<typeof CorpusLine>;
export type EvalQuery = z.infer<typeof QueryLine>;

/** Reads a JSONL file, validating each line; a bad line is an error naming the file and line. */
export async function readJsonl<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(path, "utf8");
  const out: T[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    out.push(parsed.data);
  });
  return out;
}

export const readCorpus = (path: string) => readJsonl(path, CorpusLine);
export const readQueries = (path: string) => readJsonl(path, QueryLine);

/** Splits an entry into title and body: an explicit title, else a short first line before a blank one. */
export function entryTitle(entry: CorpusEntry): { title: string; body: string } {
  const text = entry.text.normalize("NFC").replace(/\r\n?/g, "\n");
  if (entry.title) return { title: entry.title.normalize("NFC"), body: text };
  const m = /^([^\n]{1,300})\n\s*\n/.exec(text);
  if (m?.[1]) return { title: m[1].trim(), body: text.slice(m[0].length) };
  return { title: "", body: text };
}

export interface CorpusIndex {
  index: KnowledgeIndex;
  /** The corpus-learned embedder, when vectors are used. */
  embedder?: CorpusEmbeddings;
  buildMs: number;
}

/** Indexes each corpus entry as a knowledge document, chunked into passages like any other. */
export async function buildCorpusIndex(
  corpus: readonly CorpusEntry[],
  options: { vectors?: boolean } = {},
): Promise<CorpusIndex> {
  const t0 = performance.now();
  const documents: KnowledgeDocument[] = corpus.map((entry) => {
    const { title, body } = entryTitle(entry);
    return { id: entry.id, title, shortTitle: title, source: entry.id, hash: "", meta: {}, text: body };
  });
  // The same in-memory build the knowledge base uses, with the corpus embedder or none.
  const { index, embedder } = await indexInMemory(documents, {
    kind: options.vectors === false ? "none" : "corpus",
  });
  const corpusEmbedder = embedder instanceof CorpusEmbeddings ? embedder : undefined;
  return { index, embedder: corpusEmbedder, buildMs: performance.now() - t0 };
}

/** The top `k` corpus ids for a question, each once (ranked by its best passage), best first. */
export function rankDocuments(ci: CorpusIndex, question: string, k = 10): string[] {
  const out: string[] = [];
  const vector = ci.embedder?.embedSync(question, true);
  for (const h of ci.index.search(question, k * 8, vector).hits) {
    if (!out.includes(h.document.id)) out.push(h.document.id);
    if (out.length === k) break;
  }
  return out;
}

export interface CorpusEvalResult {
  metrics: RetrievalMetrics;
  msPerQuery: { mean: number; p50: number; p95: number };
  buildMs: number;
  details: { qid: string; ranked: string[] }[];
}

export function evaluateCorpus(
  ci: CorpusIndex,
  queries: readonly EvalQuery[],
  transform: (q: string) => string = (q) => q,
): CorpusEvalResult {
  const details: { qid: string; ranked: string[] }[] = [];
  const times: number[] = [];
  const results = queries.map((q) => {
    const t0 = performance.now();
    const ranked = rankDocuments(ci, transform(q.text), 10);
    times.push(performance.now() - t0);
    details.push({ qid: q.qid, ranked });
    return { ranked, gold: q.gold };
  });
  const mean = times.reduce((a, b) => a + b, 0) / (times.length || 1);
  return {
    metrics: retrievalMetrics(results),
    msPerQuery: { mean, p50: percentile(times, 50), p95: percentile(times, 95) },
    buildMs: ci.buildMs,
    details,
  };
}
