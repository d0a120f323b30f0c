/**
 * `npm run calibrate`: sets the not-found threshold from the calibration questions
 * (bench/questions/plan-dev.jsonl by default, over KNOWLEDGE_DIR) and writes it to
 * src/search/data/not-found.json. The test questions are never used here.
 */
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKnowledge } from "../knowledge/loader.js";
import { KnowledgeIndex } from "../search/knowledge-index.js";
import { calibrateThreshold, evaluateQuestions, readQuestions } from "../search/question-eval.js";
import { configOrExit, run } from "./common.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

run(async () => {
  const file = process.argv[2] ?? join(root, "bench", "questions", "plan-dev.jsonl");
  const config = configOrExit();
  const { documents } = await loadKnowledge(config.knowledgeDir);
  // Coverage does not depend on the threshold: evaluate once with any policy.
  const index = KnowledgeIndex.build(documents, { policy: { minCoverage: 0 } });
  const questions = await readQuestions(file);
  const threshold = calibrateThreshold(evaluateQuestions(index, questions).outcomes);
  const check = evaluateQuestions(
    KnowledgeIndex.build(documents, { policy: { minCoverage: threshold } }),
    questions,
  );
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
