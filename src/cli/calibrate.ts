/**
 * `npm run calibrate`: sets the not-found threshold from the calibration questions
 * (bench/questions/plan-dev.jsonl by default, over KNOWLEDGE_DIR) and writes it to
 * src/search/data/not-found.json. The test questions are never used here.
 */
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKnowledge } from "../knowledge/loader.js";
import { indexInMemory } from "../search/index-store.js";
import { calibrateThreshold, evaluateQuestions, readQuestions } from "../search/question-eval.js";
import { retrieverOf } from "../search/retriever.js";
import { configOrExit, run } from "./common.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

run(async () => {
  const file = process.argv[2] ?? join(root, "bench", "questions", "plan-dev.jsonl");
  const config = configOrExit();
  const { documents } = await loadKnowledge(config.knowledgeDir);
  const loaded = await indexInMemory(documents, config.embedder);
  const questions = await readQuestions(file);
  // Coverage does not depend on the threshold: evaluate once with none, then check the one chosen.
  loaded.index.setPolicy({ minCoverage: 0 });
  const threshold = calibrateThreshold((await evaluateQuestions(retrieverOf(loaded), questions)).outcomes);
  loaded.index.setPolicy({ minCoverage: threshold });
  const check = await evaluateQuestions(retrieverOf(loaded), questions);
  const out = {
    about:
      "Written by npm run calibrate: the not-found threshold on the best passage's coverage of the question.",
    minCoverage: threshold,
    calibratedOn: file.slice(root.length + 1),
    answerableRefused: `${check.confusion.answerRefused}/${check.answerable}`,
    unanswerableRefused: `${check.confusion.refuseRefused}/${check.unanswerable}`,
  };
  await writeFile(join(root, "src", "search", "data", "not-found.json"), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
});
