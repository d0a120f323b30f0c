/**
 * The answer composer: retrieved passages → an Answer with citations. Extractive by default; when a
 * language model is configured it writes a short answer only from the cited passages, and that
 * answer is checked (every [n] must point at a citation, at least one must be there) or dropped
 * in favour of the extractive one, as it is on timeouts and server errors.
 */
import type { Logger } from "../logger.js";
import { fill, type Prompts } from "../prompts.js";
import type { KnowledgeIndex, SearchResult } from "../search/knowledge-index.js";
import type { Retriever } from "../search/retriever.js";
import { fold } from "../text/vietnamese.js";
import { type Citation, citationOf, excerptOf } from "./citations.js";
import { bestSentences, highlight, questionKeywords } from "./extract.js";
import type { Llm, LlmError } from "./llm.js";
import type { Answer } from "./types.js";

export interface Answerer {
  /** Answers a question; `offset` skips the citations already shown (for "còn gì nữa không?"). */
  answer(question: string, options?: { offset?: number }): Promise<Answer>;
}

export interface AnswererDeps {
  /** The current retriever (a getter, so a reloaded index is used from the next question on). */
  retriever: () => Retriever;
  prompts: Prompts;
  logger: Logger;
  llm?: Llm;
  maxCitations?: number;
}

/** A secondary citation must score at least this share of the best one. */
const SECONDARY_MIN = 0.25;
const NOT_ENOUGH = "KHÔNG ĐỦ THÔNG TIN";

export function createAnswerer(deps: AnswererDeps): Answerer {
  const max = deps.maxCitations ?? 3;
  return {
    async answer(question, { offset = 0 } = {}) {
      const retriever = deps.retriever();
      const index = retriever.index;
      const result = await retriever.search(question, offset + max * 3);
      const base = { question, coverage: result.coverage, topScore: result.topScore };
      if (result.grade === "not_found") return { ...base, status: "not_found", citations: [] };
      const citations = extractCitations(index, result);
      const shown = citations.slice(offset, offset + max);
      const answer: Answer = { ...base, status: result.grade, citations: shown };
      // A model writes prose only from passages that answer: the closest ones are quoted as they are.
      if (deps.llm && result.grade === "answered" && offset === 0 && shown.length > 0) {
        const text = await writeAnswer(deps, question, shown);
        if (text) answer.text = text;
      }
      return answer;
    },
  };
}

/**
 * Every hit of a search as a citation quoting its best sentence(s), best first, without two
 * citations quoting the same text and without hits far below the best one.
 */
export function extractCitations(index: KnowledgeIndex, result: SearchResult): Citation[] {
  const keywords = questionKeywords(result.question);
  const idf = (k: string) => Math.max(0.1, index.idf(k));
  const top = result.hits[0]?.score ?? 0;
  const citations: Citation[] = [];
  const seen = new Set<string>();
  for (const hit of result.hits) {
    if (hit.score < SECONDARY_MIN * top) break;
    const best = bestSentences(hit.passage.text, keywords, idf);
    const quote = highlight(best, keywords);
    // A list item quoted alone hides what the list is about: its lead-in comes first.
    const leadIn = hit.passage.leadIn;
    if (leadIn && !best.includes(leadIn.trim()))
      quote.unshift(...highlight(leadIn.trim(), keywords), { text: " … ", mark: false });
    const c = citationOf(hit, quote);
    // No two citations quoting the same text (the same sentence can sit in two passages).
    const key = fold(excerptOf(c).toLowerCase()).replace(/\W+/g, "");
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push(c);
  }
  return citations;
}

async function writeAnswer(
  deps: AnswererDeps,
  question: string,
  citations: Citation[],
): Promise<string | undefined> {
  const llm = deps.llm as Llm;
  const passages = citations.map((c, i) => `[${i + 1}] (${c.title} · ${c.label}) ${c.passage}`).join("\n\n");
  try {
    const raw = await llm.complete([
      { role: "system", content: deps.prompts.answerSystem },
      { role: "user", content: fill(deps.prompts.answerUser, { question, passages }) },
    ]);
    const text = raw.trim();
    const problem = checkWritten(text, citations.length);
    if (problem) {
      deps.logger.warn({ model: llm.model, problem }, "câu trả lời của mô hình bị loại, dùng trích dẫn");
      return undefined;
    }
    return text;
  } catch (err) {
    const e = err as LlmError;
    deps.logger.warn(
      { model: llm.model, url: e.url, status: e.status, err: e.message },
      "mô hình ngôn ngữ lỗi, dùng trích dẫn",
    );
    return undefined;
  }
}

/** Why a written answer cannot be shown, or undefined when it can. */
export function checkWritten(text: string, citations: number): string | undefined {
  if (text.length === 0) return "empty";
  if (text.toUpperCase().includes(NOT_ENOUGH)) return "model found the passages insufficient";
  const markers = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (markers.length === 0) return "no [n] marker";
  const bad = markers.filter((n) => n < 1 || n > citations);
  if (bad.length > 0) return `marker [${bad[0]}] points at no passage`;
  return undefined;
}
