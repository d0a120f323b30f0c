/**
 * The conversation engine every channel shares: an Incoming message in, Reply objects out.
 * Commands (Vietnamese, with short aliases), questions, follow-ups on the previous question,
 * sources shown in full on request, a per-user rate limit, and the question log. The
 * conversation of each chat (the last question and the citations shown) is kept in the session
 * port, so follow-ups and sources survive a restart and can be shared by several instances.
 */
import type { Citation } from "../answer/citations.js";
import type { Answerer } from "../answer/compose.js";
import { describeDocument } from "../knowledge/metadata.js";
import { errorSummary, type Logger } from "../logger.js";
import { fill, type Replies } from "../prompts.js";
import type { DocumentSummary } from "../search/knowledge-index.js";
import type { FeedbackStore, QuestionLog, RateLimitStore, SessionStore } from "../storage/ports.js";
import type { StudyService } from "../study/service.js";
import { fold } from "../text/vietnamese.js";
import type { Admin } from "./admin.js";
import { type AdminCommand, findCommand, helpText, type StudyCommand } from "./features/index.js";
import { study } from "./features/study.js";
import type { Library } from "./library.js";
import type { LibraryLedger } from "./library-ledger.js";
import { createRateLimiter, createSharedRateLimiter, type RateLimiter } from "./rate-limit.js";
import type { Action, Incoming, Reply } from "./types.js";

export interface EngineOptions {
  /** Longest message processed, in characters. */
  maxQuestionLength: number;
  /** Questions a user may ask per minute. */
  questionsPerMinute: number;
  /**
   * Conversations remembered for follow-ups and sources when no session store is given (in
   * memory, least recently used dropped first).
   */
  maxConversations: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  maxQuestionLength: 1000,
  questionsPerMinute: 12,
  maxConversations: 10_000,
};

export interface EngineDeps {
  answerer: Answerer;
  documents: () => readonly DocumentSummary[];
  /** A passage as a citation, by id, from the index in use (for source buttons). */
  citation?: (passageId: string) => Citation | undefined;
  questionLog: QuestionLog;
  /** Where 👍/👎 are kept; without it (the benchmark, which has no buttons) they are not. */
  feedback?: FeedbackStore;
  /** Where each chat's conversation is kept; without it, in this process's memory only. */
  sessions?: SessionStore;
  /** Questions per user counted in the database (several instances); without it, in memory. */
  rateLimits?: RateLimitStore;
  replies: Replies;
  logger: Logger;
  /** Subscriptions and administrators' commands; without it those commands are unknown. */
  admin?: Admin;
  /** Study series and quizzes; without it those commands are unknown. */
  study?: StudyService;
  /** Documents managed in chat by administrators; without it /quanlytailieu is unknown. */
  library?: Library;
  /** Passages of replaced and removed documents, for source buttons under older answers. */
  ledger?: Pick<LibraryLedger, "retiredPassage">;
  options?: Partial<EngineOptions>;
  now?: () => number;
}

export interface Engine {
  /** Whether the sender is one of the bot's administrators (the admin module decides). */
  isAdmin(m: Incoming): boolean;
  /**
   * A message or a button press (`action`) → the replies. A 👍/👎 press answers with one short
   * text naming the outcome (saved only from the person who asked, in the chat where it was
   * asked); a source press with the source; a notice press with the outcome of ✅ or ❌.
   */
  handle(message: Incoming): Promise<Reply[]>;
}

/** "xem nguồn 2", "nguồn 2", "xem nguon so 2" (folded, lower-case). */
const SOURCE_PHRASE = /^(?:xem |mo |doc )?(?:nguon|trich dan|doan)(?: so)? ?(\d{1,2})\s*[.!?]*$/;
/** "nói rõ hơn", "còn gì nữa không?", "thêm nữa", "chi tiết hơn" (folded). */
const MORE_PHRASE =
  /^(?:(?:hay |ban )?(?:noi|giai thich|trinh bay) (?:ro|ky|chi tiet|cu the)(?: hon)?(?: (?:duoc )?(?:khong|ko|k))?|con (?:gi|nua|gi nua|gi khac|gi them)(?: (?:khong|ko|k))?|(?:them|xem them|them nua|con nua)(?: (?:di|khong|ko|k))?|chi tiet hon|ro hon|cu the hon)\s*[.!?]*$/;

const STUDY_ACTIONS = new Set<string>(study.commands.map((c) => c.action));

interface Conversation {
  question: string;
  /** Every citation shown for the current question, numbered from 1. */
  citations: Citation[];
}

export function createEngine(deps: EngineDeps): Engine {
  const options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  const now = deps.now ?? Date.now;
  const r = deps.replies;
  const limiter: RateLimiter = deps.rateLimits
    ? createSharedRateLimiter(deps.rateLimits, options.questionsPerMinute, 60_000, now, (err, failures) =>
        deps.logger.error(
          { err: errorSummary(err), failures },
          "không đọc được giới hạn câu hỏi, dùng giới hạn trong máy",
        ),
      )
    : createRateLimiter(options.questionsPerMinute, 60_000, now);
  const sessions = deps.sessions ?? memorySessions(options.maxConversations);

  /** The chat's conversation; none when the store cannot be read (answering goes on). */
  const recall = async (m: Incoming): Promise<Conversation | undefined> => {
    try {
      const c = (await sessions.get(conversationKey(m))) as Partial<Conversation> | undefined;
      return typeof c?.question === "string" && Array.isArray(c.citations) ? (c as Conversation) : undefined;
    } catch (err) {
      (m.logger ?? deps.logger).error({ err: errorSummary(err) }, "không đọc được cuộc trò chuyện");
      return undefined;
    }
  };
  /** Keeps the chat's conversation; a store that cannot be written must not stop the answer. */
  const remember = async (m: Incoming, c: Conversation) => {
    try {
      await sessions.set(conversationKey(m), c);
    } catch (err) {
      (m.logger ?? deps.logger).error({ err: errorSummary(err) }, "không ghi được cuộc trò chuyện");
    }
  };

  const isAdmin = (m: Incoming) => deps.admin?.isAdmin(m) ?? false;
  const help = (m: Incoming) => helpText(r, isAdmin(m));

  const welcome = (m: Incoming): Reply[] => [
    {
      kind: "text",
      text: fill(r.welcome, {
        name: m.userName ? ` ${m.userName}` : "",
        documents: deps
          .documents()
          .map((d) => d.shortTitle)
          .join("; "),
      }),
    },
  ];

  async function ask(m: Incoming, question: string): Promise<Reply[]> {
    const wait = await limiter.take(`${m.channel}:${m.userId}`);
    if (wait > 0) return [{ kind: "text", text: fill(r.rate_limited, { seconds: Math.ceil(wait / 1000) }) }];
    const t0 = performance.now();
    const answer = await deps.answerer.answer(question);
    const latencyMs = performance.now() - t0;
    let questionId: number | undefined;
    try {
      questionId = await deps.questionLog.record({
        channel: m.channel,
        chatId: m.chatId,
        userId: m.userId,
        question,
        status: answer.status,
        topScore: answer.topScore,
        coverage: answer.coverage,
        latencyMs,
        citations: answer.citations.map((c) => c.passageId),
      });
    } catch (err) {
      // A full disk must not stop the bot from answering.
      (m.logger ?? deps.logger).error({ err: errorSummary(err) }, "không ghi được câu hỏi vào nhật ký");
    }
    (m.logger ?? deps.logger).info(
      {
        channel: m.channel,
        status: answer.status,
        citations: answer.citations.length,
        ms: Math.round(latencyMs),
      },
      "đã trả lời",
    );
    await remember(m, { question, citations: [...answer.citations] });
    const notFound =
      answer.status === "not_found"
        ? notFoundText(
            r,
            deps.documents().map((d) => d.shortTitle),
          )
        : undefined;
    return [{ kind: "answer", answer, firstNumber: 1, questionId, notFound }];
  }

  async function more(m: Incoming): Promise<Reply[]> {
    const c = await recall(m);
    if (!c) return [{ kind: "text", text: r.no_previous }];
    const answer = await deps.answerer.answer(c.question, { offset: c.citations.length });
    if (answer.citations.length === 0) return [{ kind: "text", text: r.no_more }];
    const firstNumber = c.citations.length + 1;
    await remember(m, { question: c.question, citations: [...c.citations, ...answer.citations] });
    return [{ kind: "answer", answer, firstNumber }];
  }

  async function source(m: Incoming, n: number): Promise<Reply[]> {
    const c = await recall(m);
    if (!c) return [{ kind: "text", text: r.source_none }];
    if (c.citations.length === 0) return [{ kind: "text", text: r.source_no_citations }];
    const citation = c.citations[n - 1];
    if (!citation) return [{ kind: "text", text: fill(r.source_missing, { n, count: c.citations.length }) }];
    return [{ kind: "source", number: n, citation }];
  }

  /** A button press, routed. */
  async function act(m: Incoming, action: Action): Promise<Reply[]> {
    switch (action.kind) {
      case "source":
        return sourceOf(action.questionId, action.n);
      case "feedback":
        return [{ kind: "text", text: await feedback(action.questionId, action.value, m) }];
      case "notice":
        if (!deps.admin) return [];
        return action.send
          ? deps.admin.confirm(action.broadcastId, m, action.report)
          : deps.admin.cancel(action.broadcastId, m);
      case "upload":
      case "library":
        return deps.library ? deps.library.act(m, action) : [];
    }
  }

  /**
   * Source `n` of a logged question (a button under an answer): the passage it quoted — from the
   * old text when its document was replaced or removed since (kept in the ledger), saying so; a
   * kind word when the document is gone and its old text was not kept.
   */
  async function sourceOf(questionId: number, n: number): Promise<Reply[]> {
    const logged = await deps.questionLog.get(questionId);
    const passageId = logged?.citations[n - 1];
    const old =
      passageId && logged ? await deps.ledger?.retiredPassage(passageId, logged.askedAt) : undefined;
    if (old) {
      const { document: d, passage: p } = old;
      const citation: Citation = {
        passageId: p.id,
        documentId: d.docId,
        title: d.title,
        section: p.section,
        label: p.label,
        quote: [{ text: p.text, mark: false }],
        passage: p.text,
        score: 0,
      };
      const action = d.action === "replace" ? r.source_action_replace : r.source_action_remove;
      const when = formatVietnamDate(d.at);
      return [
        {
          kind: "source",
          number: n,
          citation,
          note: fill(r.source_old_version, { title: d.title, when, action }),
        },
      ];
    }
    const citation = passageId ? deps.citation?.(passageId) : undefined;
    if (!citation) {
      // A passage id is "<document id>:<section key>": is its document still one the bot has?
      const docId = passageId?.slice(0, passageId.indexOf(":"));
      if (docId && !deps.documents().some((d) => d.id === docId))
        return [{ kind: "text", text: fill(r.source_document_gone, { n }) }];
      return [{ kind: "text", text: fill(r.source_missing, { n, count: logged?.citations.length ?? 0 }) }];
    }
    return [{ kind: "source", number: n, citation }];
  }

  /** Stores 👍/👎 with a logged question, only from the person who asked it, where it was asked. */
  async function feedback(questionId: number, value: 1 | -1, from: Incoming): Promise<string> {
    const q = deps.feedback && (await deps.questionLog.get(questionId));
    if (!q || !deps.feedback) return r.feedback_not_found;
    if (q.channel !== from.channel || q.chatId !== from.chatId || q.userId !== from.userId)
      return r.feedback_not_yours;
    await deps.feedback.set(questionId, value);
    return r.feedback_thanks;
  }

  return {
    isAdmin,
    async handle(m) {
      if (m.action) return act(m, m.action);
      if (!m.addressed && m.chatType === "group") return [];
      const text = m.text.normalize("NFC").trim();
      if (!/[\p{L}\p{N}]/u.test(text)) return [{ kind: "text", text: help(m) }];
      // Characters as a person counts them (an emoji or a letter with its marks is one).
      const length = text.length > options.maxQuestionLength ? characters(text) : text.length;
      if (length > options.maxQuestionLength) {
        return [{ kind: "text", text: fill(r.too_long, { length, max: options.maxQuestionLength }) }];
      }
      const command = /^\/([\p{L}\d_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/u.exec(text);
      if (command) {
        const key = fold((command[1] ?? "").toLowerCase());
        const spec = findCommand(key);
        const arg = (command[2] ?? "").trim();
        switch (spec?.action) {
          case "start":
            return welcome(m);
          case "help":
            return [{ kind: "text", text: help(m) }];
          case "documents":
            return [
              {
                kind: "documents",
                documents: deps.documents().map((d) => ({
                  title: d.title,
                  shortTitle: d.shortTitle,
                  passages: d.passages,
                  details: describeDocument(d.meta),
                })),
              },
            ];
          case "source": {
            const n = Number.parseInt(arg, 10);
            return Number.isFinite(n) ? source(m, n) : source(m, 1);
          }
          case "more":
            return more(m);
          case "ask":
            return arg.length > 0 ? ask(m, arg) : [{ kind: "text", text: r.ask_empty }];
          case "library":
            if (deps.library) return deps.library.list(m);
            break;
          case undefined:
            break;
          default:
            if (spec && STUDY_ACTIONS.has(spec.action)) {
              if (deps.study) return deps.study.handle(spec.action as StudyCommand, arg, m);
              break;
            }
            // Subscriptions and announcements: the admin module (which refuses non-administrators).
            if (deps.admin && spec) return deps.admin.handle(spec.action as AdminCommand, arg, m);
        }
        return [{ kind: "text", text: fill(r.unknown_command, { command: `/${command[1]}` }) }];
      }
      const folded = fold(text.toLowerCase()).replace(/\s+/g, " ");
      const src = SOURCE_PHRASE.exec(folded);
      if (src) return source(m, Number(src[1]));
      if (MORE_PHRASE.test(folded)) return more(m);
      // A number where a quiz or a lesson's check question waits is an answer, not a question.
      const graded = await deps.study?.answerByNumber(m, text);
      if (graded) return graded;
      return ask(m, text);
    },
  };
}

/**
 * What a person reads when the documents do not answer: that they do not, and which documents
 * the bot knows (or that it knows none yet).
 */
export function notFoundText(r: Replies, documentTitles: readonly string[]): string {
  if (documentTitles.length === 0) return r.no_documents;
  return fill(r.not_found, { documents: documentTitles.join("; ") });
}

const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/** "2026-12-01T08:00:00Z" → "01/12/2026" (Vietnam's date, UTC+7). */
function formatVietnamDate(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  const p = (x: number) => String(x).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** The number of characters a person sees (grapheme clusters), not UTF-16 units. */
function characters(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n += 1;
  return n;
}

function conversationKey(m: Incoming): string {
  return `${m.channel}:${m.chatId}`;
}

/** Sessions in this process's memory, the `max` most recently used kept. */
function memorySessions(max: number): SessionStore {
  const map = new Map<string, unknown>();
  return {
    async get(key) {
      return map.get(key);
    },
    async set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
    },
    async delete(key) {
      map.delete(key);
    },
  };
}
