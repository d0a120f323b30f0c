/**
 * `npm run --silent eval -- --corpus C.jsonl --queries Q.jsonl [--details] [--fold]`:
 *   a throw-away index over a JSONL corpus, R@1/5/10, MRR@10 and ms per query; `--details` adds one
 *   line per query `{"qid", "ranked": [top 10 ids]}`; `--fold` strips the questions' diacritics.
 * `npm run --silent eval -- --questions F.jsonl`: questions over KNOWLEDGE_DIR, hit@1/3/5 and the
 *   refusal confusion matrix.
 */
import { parseArgs } from "node:util";
import { buildCorpusIndex, evaluateCorpus, readCorpus, readQueries } from "../eval/corpus-eval.js";
import { evaluateQuestions, readQuestions } from "../eval/question-eval.js";
import { loadKnowledge } from "../knowledge/loader.js";
import { indexInMemory } from "../search/index-store.js";
import { retrieverOf } from "../search/retriever.js";
import { fold } from "../text/vietnamese.js";
import { configOrExit, run } from "./common.js";

const USAGE = `Cách dùng:
  npm run --silent eval -- --corpus C.jsonl --queries Q.jsonl [--details] [--fold]
  npm run --silent eval -- --questions F.jsonl [--details]`;

const r3 = (x: number) => Math.round(x * 1000) / 1000;

run(async () => {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string" },
      queries: { type: "string" },
      questions: { type: "string" },
      details: { type: "boolean", default: false },
      fold: { type: "boolean", default: false },
    },
  });
  const out = process.stdout;
  if (values.corpus && values.queries) {
    const [corpus, queries] = await Promise.all([readCorpus(values.corpus), readQueries(values.queries)]);
    const ci = await buildCorpusIndex(corpus);
    const result = evaluateCorpus(ci, queries, values.fold ? fold : undefined);
    const m = result.metrics;
    out.write(
      `${JSON.stringify({
        corpus: corpus.length,
        queries: m.queries,
        "R@1": r3(m.r1),
        "R@5": r3(m.r5),
        "R@10": r3(m.r10),
        "MRR@10": r3(m.mrr10),
        msPerQuery: r3(result.msPerQuery.mean),
        msP50: r3(result.msPerQuery.p50),
        msP95: r3(result.msPerQuery.p95),
        buildMs: Math.round(result.buildMs),
      })}\n`,
    );
    if (values.details) for (const d of result.details) out.write(`${JSON.stringify(d)}\n`);
    return 0;
  }
  if (values.questions) {
    const config = configOrExit();
    const { documents } = await loadKnowledge(config.knowledgeDir);
    const loaded = await indexInMemory(documents, config.embedder);
    const report = await evaluateQuestions(
      retrieverOf(loaded, config.vectorWeights),
      await readQuestions(values.questions),
    );
    const { outcomes, ...summary } = report;
    out.write(
      `${JSON.stringify({
        ...summary,
        hit1: r3(summary.hit1),
        hit3: r3(summary.hit3),
        hit5: r3(summary.hit5),
        wrongRefusalRate: r3(summary.wrongRefusalRate),
        wrongAnswerRate: r3(summary.wrongAnswerRate),
        refusedOffTopic: r3(summary.refusedOffTopic),
        refusedNearTopic: r3(summary.refusedNearTopic),
        ms: { p50: r3(summary.ms.p50), p95: r3(summary.ms.p95) },
      })}\n`,
    );
    if (values.details)
      for (const o of outcomes)
        out.write(`${JSON.stringify({ ...o, coverage: r3(o.coverage), ms: r3(o.ms) })}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
});
