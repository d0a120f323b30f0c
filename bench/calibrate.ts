/**
 * `npm run calibrate`: sets the two thresholds of the graded not-found rule from the dev questions
 * of several knowledge bases at once, so that neither is fitted to one of them:
 * - the plan alone: bench/questions/plan-dev.jsonl over knowledge/;
 * - the plan with ../shared/knowledge-related: bench/questions/kb-dev.jsonl, kb-dev2.jsonl and
 *   kb-dev3.jsonl (three writers);
 * - ALQAC (../shared/eval/alqac): the odd lines of its questions and alqac-everyday-dev.jsonl,
 *   all answerable (they bound how many answerable questions may be refused).
 * Sets whose data are absent are left out, and the output says so. Writes
 * src/search/data/not-found.json. Held-out sets (plan-test, kb-test, ALQAC even lines, the
 * everyday set) are never read here.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCorpusIndex, readCorpus, readQueries } from "../src/eval/corpus-eval.js";
import {
  type CalibrationSet,
  calibrateGrades,
  evaluateQuestions,
  type QuestionOutcome,
  readQuestions,
  summarise,
} from "../src/eval/question-eval.js";
import { loadKnowledge } from "../src/knowledge/loader.js";
import { indexInMemory } from "../src/search/index-store.js";
import type { KnowledgeIndex } from "../src/search/knowledge-index.js";
import { DEFAULT_POLICY, type NotFoundPolicy } from "../src/search/not-found.js";
import { retrieverOf } from "../src/search/retriever.js";
import { openKbBench, RELATED, readKbQuestions } from "./kb.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ALQAC = join(ROOT, "..", "shared", "eval", "alqac");
const OPEN: NotFoundPolicy = { minCoverage: 0, partialCoverage: 0 };

interface DevSet extends CalibrationSet {
  index: KnowledgeIndex;
  /** Re-evaluates the set under the index's current policy. */
  rerun(): Promise<QuestionOutcome[]>;
}

/** Every dev set whose data are here, with coverages measured under an open policy. */
export async function devSets(): Promise<{ sets: DevSet[]; missing: string[] }> {
  const sets: DevSet[] = [];
  const missing: string[] = [];
  const { documents } = await loadKnowledge(join(ROOT, "knowledge"));
  const plan = await indexInMemory(documents);
  const planQs = await readQuestions(join(ROOT, "bench", "questions", "plan-dev.jsonl"));
  const planRun = async () => (await evaluateQuestions(retrieverOf(plan), planQs)).outcomes;
  plan.index.setPolicy(OPEN);
  sets.push({ name: "plan-dev", index: plan.index, outcomes: await planRun(), rerun: planRun });

  for (const name of ["dev", "dev2", "dev3"] as const) {
    const kbQs = existsSync(RELATED) ? await readKbQuestions(name) : undefined;
    if (!kbQs) {
      missing.push(`kb-${name} (../shared/knowledge-related or bench/questions/kb-${name}.jsonl absent)`);
      continue;
    }
    const kb = await openKbBench();
    const run = async () => (await evaluateQuestions(kb.retriever, kbQs)).outcomes;
    kb.index.setPolicy(OPEN);
    sets.push({ name: `kb-${name}`, index: kb.index, outcomes: await run(), rerun: run });
  }

  if (existsSync(join(ALQAC, "corpus.jsonl"))) {
    const ci = await buildCorpusIndex(await readCorpus(join(ALQAC, "corpus.jsonl")));
    const odd = (await readQueries(join(ALQAC, "queries.jsonl"))).filter((_, i) => i % 2 === 1);
    const everyday = await readQueries(join(ROOT, "bench", "questions", "alqac-everyday-dev.jsonl"));
    const run = async (): Promise<QuestionOutcome[]> =>
      [...odd, ...everyday].map((q) => {
        const vector = ci.embedder?.embedSync(q.text, true);
        const r = ci.index.search(q.text, 5, vector);
        return {
          id: q.qid,
          expect: "answer",
          grade: r.grade,
          answered: r.answered,
          coverage: r.coverage,
          typeOk: r.typeOk,
          phrase: r.phrase,
          hitRank: 0,
          articleRank: 0,
          excerptChars: [],
          ms: 0,
        };
      });
    ci.index.setPolicy(OPEN);
    sets.push({
      name: "alqac-dev (odd lines + everyday dev)",
      index: ci.index,
      outcomes: await run(),
      rerun: run,
    });
  } else missing.push("alqac-dev (../shared/eval/alqac absent)");
  return { sets, missing };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { sets, missing } = await devSets();
  const chosen = calibrateGrades(sets);
  const check: Record<string, string> = {};
  for (const s of sets) {
    s.index.setPolicy(chosen);
    const r = summarise(await s.rerun());
    const g = r.grades;
    check[s.name] =
      `answerable ${r.answerable}: answered ${g.answerable.answered}, partial ${g.answerable.partial}, not found ${g.answerable.not_found}` +
      (r.unanswerable > 0
        ? `; unanswerable ${r.unanswerable}: answered ${g.unanswerable.answered}, partial ${g.unanswerable.partial}, not found ${g.unanswerable.not_found}`
        : "");
  }
  const out = {
    about:
      "Written by npm run calibrate: the thresholds on the best passage's coverage of the question (answered at minCoverage and above, the closest passages as a partial answer from partialCoverage, not found below). Each keeps its own rule over every dev set: at most 5% of answerable questions not found, at most 10% of unanswerable ones answered with confidence.",
    ...chosen,
    calibratedOn: sets.map((s) => s.name),
    leftOut: missing,
    previous: { minCoverage: DEFAULT_POLICY.minCoverage, partialCoverage: DEFAULT_POLICY.partialCoverage },
    check,
  };
  const path = join(ROOT, "src", "search", "data", "not-found.json");
  await writeFile(path, `${JSON.stringify(out, null, 2)}\n`);
  // Formatted as the linter wants it (short arrays on one line), so `npm run lint` stays clean.
  spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "@biomejs", "biome", "bin", "biome"), "format", "--write", path],
    {
      stdio: "ignore",
    },
  );
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
