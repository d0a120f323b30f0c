/**
 * A real engine over the shipped knowledge folder, answered from an in-memory index and an
 * in-memory database, for tests of the engine and of the channels that carry it.
 */
import { citationOfPassage } from "../../src/answer/citations.js";
import { createAnswerer } from "../../src/answer/compose.js";
import type { Admin } from "../../src/bot/admin.js";
import { createEngine, type Engine, type EngineDeps } from "../../src/bot/engine.js";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import type { Logger } from "../../src/logger.js";
import { loadPrompts } from "../../src/prompts.js";
import { indexInMemory } from "../../src/search/index-store.js";
import { retrieverOf } from "../../src/search/retriever.js";
import type { QuestionLog, SessionStore } from "../../src/storage/ports.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { KNOWLEDGE } from "../helpers.js";

const { documents } = await loadKnowledge(KNOWLEDGE);
const loaded = await indexInMemory(documents);
/** The in-memory index of the shipped knowledge folder. */
export const index = loaded.index;
/** A retriever over it. */
export const retriever = retrieverOf(loaded);
/** The project's prompts. */
export const prompts = await loadPrompts();

/** An engine with a fresh database; `log` keeps what it logged (unless a logger is given). */
export function testEngine(
  o: {
    options?: EngineDeps["options"];
    now?: () => number;
    logger?: Logger;
    admin?: Admin;
    questionLog?: QuestionLog;
    sessions?: SessionStore;
  } = {},
): { engine: Engine; questionLog: QuestionLog; log: ReturnType<typeof memoryLogger> } {
  const storage = openSqliteStorage(":memory:");
  const questionLog = o.questionLog ?? storage.questions;
  const log = memoryLogger();
  const logger = o.logger ?? log.logger;
  const engine = createEngine({
    answerer: createAnswerer({ retriever: () => retriever, prompts, logger }),
    documents: () => index.documents,
    citation: (passageId) => citationOfPassage(index, passageId),
    questionLog,
    feedback: storage.feedback,
    sessions: o.sessions ?? storage.sessions,
    replies: prompts.replies,
    logger,
    admin: o.admin,
    options: o.options,
    now: o.now,
  });
  return { engine, questionLog, log };
}
