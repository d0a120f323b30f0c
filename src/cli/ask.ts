/**
 * `npm run ask -- "câu hỏi"`: the cited excerpts that answer a question, best first.
 * `npm run --silent ask -- --jsonl`: one question per line on standard input, one JSON object per
 * line out: {question, status, citations: [{passageId, documentId, title, section, excerpt, score}]}.
 */
import { createInterface } from "node:readline";
import { type Citation, citationsOf } from "../answer/citations.js";
import { fill, loadReplies, type Replies } from "../prompts.js";
import type { KnowledgeIndex } from "../search/knowledge-index.js";
import { cliLogger, configOrExit, openIndex, run } from "./common.js";

/** The machine-readable answer of one question. */
export interface AskResult {
  question: string;
  status: "answered" | "not_found";
  citations: Citation[];
}

export function ask(index: KnowledgeIndex, question: string): AskResult {
  const result = index.search(question, 5);
  const citations = citationsOf(result, 3);
  return { question, status: citations.length > 0 ? "answered" : "not_found", citations };
}

function render(r: AskResult, replies: Replies, index: KnowledgeIndex): string {
  if (r.status === "not_found") {
    const documents = index.documents.map((d) => d.shortTitle).join("; ");
    return `${index.documents.length === 0 ? replies.no_documents : fill(replies.not_found, { documents })}\n`;
  }
  const lines = [replies.answer_intro, ""];
  r.citations.forEach((c, i) => {
    lines.push(`[${i + 1}] «${c.excerpt}»`);
    lines.push(`    — ${fill(replies.citation, { title: c.title, section: c.section })}`, "");
  });
  return `${lines.join("\n")}`;
}

run(async () => {
  const args = process.argv.slice(2);
  const jsonl = args.includes("--jsonl");
  const question = args
    .filter((a) => a !== "--jsonl")
    .join(" ")
    .trim();
  const replies = await loadReplies();
  if (!jsonl && question.length === 0) {
    process.stderr.write(`${replies.ask_usage}\n`);
    return 2;
  }
  const config = configOrExit();
  const index = await openIndex(config, cliLogger(config));
  if (!jsonl) {
    process.stdout.write(render(ask(index, question), replies, index));
    return 0;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const q = line.trim();
    if (q.length === 0) continue;
    process.stdout.write(`${JSON.stringify(ask(index, q))}\n`);
  }
  return 0;
});
