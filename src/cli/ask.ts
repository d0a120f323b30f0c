/**
 * `npm run ask -- "câu hỏi"`: the cited excerpts that answer a question, best first.
 * `npm run --silent ask -- --jsonl`: one question per line on standard input, one JSON object per
 * line out: {question, status, citations: [{passageId, documentId, title, section, excerpt, score}]},
 * where `excerpt` is the quoted sentence(s) a user is shown.
 */
import { createInterface } from "node:readline";
import { excerptOf } from "../answer/citations.js";
import { createAnswerer } from "../answer/compose.js";
import type { Answer } from "../answer/types.js";
import { notFoundText } from "../bot/engine.js";
import { renderAnswerText } from "../channels/plain-text.js";
import { loadPrompts } from "../prompts.js";
import { retrieverOf } from "../search/retriever.js";
import { cliLogger, configOrExit, openIndex, run } from "./common.js";

/** The machine-readable form of an answer (a stable format other tools rely on). */
export function answerJson(a: Answer) {
  return {
    question: a.question,
    status: a.status,
    citations: a.citations.map((c) => ({
      passageId: c.passageId,
      documentId: c.documentId,
      title: c.title,
      section: c.section,
      excerpt: excerptOf(c),
      score: c.score,
    })),
  };
}

run(async () => {
  const args = process.argv.slice(2);
  const jsonl = args.includes("--jsonl");
  const question = args
    .filter((a) => a !== "--jsonl")
    .join(" ")
    .trim();
  const prompts = await loadPrompts();
  if (!jsonl && question.length === 0) {
    process.stderr.write(`${prompts.replies.ask_usage}\n`);
    return 2;
  }
  const config = configOrExit();
  const logger = cliLogger(config);
  const loaded = await openIndex(config, logger);
  const index = loaded.index;
  const retriever = retrieverOf(loaded, config.vectorWeights);
  const answerer = createAnswerer({ retriever: () => retriever, prompts, logger });
  if (!jsonl) {
    const answer = await answerer.answer(question);
    const notFound = notFoundText(
      prompts.replies,
      index.documents.map((d) => d.shortTitle),
    );
    process.stdout.write(`${renderAnswerText(answer, prompts.replies, { color: false }, 1, notFound)}\n`);
    return 0;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const q = line.trim();
    if (q.length === 0) continue;
    process.stdout.write(`${JSON.stringify(answerJson(await answerer.answer(q)))}\n`);
  }
  return 0;
});
