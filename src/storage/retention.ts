/**
 * Retention: the question log keeps questions QUESTION_LOG_RETENTION_DAYS days, then deletes
 * them, and so do the chats' conversations (the last question of each chat) and the quizzes'
 * answers (each holds a user id and the name they answered under); used or expired
 * sign-in links and ended sessions of the web page go too. Runs at start-up
 * and every few hours, through the ports; an error is logged and tried again at the next run.
 */
import { errorSummary, type Logger } from "../logger.js";
import type {
  QuestionInsights,
  QuizStore,
  RateLimitStore,
  SessionRetention,
  WebSignInStore,
} from "./ports.js";

const EVERY_MS = 6 * 3600_000;

export interface Retention {
  /** One pruning pass; what it deleted. */
  prune(): Promise<{
    questions: number;
    conversations: number;
    quizAnswers: number;
    signIn: number;
    rateLimits: number;
  }>;
  /** Prunes now and every six hours until `stop`. */
  start(): void;
  stop(): void;
}

export function createRetention(deps: {
  questionInsights: QuestionInsights;
  sessionRetention: SessionRetention;
  quizzes: Pick<QuizStore, "prune">;
  /** The shared rate limits: a key idle for a day is forgotten. */
  rateLimits?: Pick<RateLimitStore, "prune">;
  webSignIn: WebSignInStore;
  retentionDays: number;
  /** Sessions idle longer than this are dropped. */
  sessionIdleMinutes: number;
  logger: Logger;
  now?: () => Date;
  everyMs?: number;
}): Retention {
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  const prune = async () => {
    const t = now().getTime();
    const before = new Date(t - deps.retentionDays * 86_400_000).toISOString();
    const questions = await deps.questionInsights.prune(before);
    const conversations = await deps.sessionRetention.prune(before);
    const quizAnswers = await deps.quizzes.prune(before);
    const rateLimits = (await deps.rateLimits?.prune(t - 86_400_000)) ?? 0;
    const signIn = await deps.webSignIn.prune(
      new Date(t).toISOString(),
      new Date(t - deps.sessionIdleMinutes * 60_000).toISOString(),
    );
    if (questions + conversations + quizAnswers > 0)
      deps.logger.info(
        { questions, conversations, quizAnswers, days: deps.retentionDays },
        "đã xoá các câu hỏi quá thời hạn lưu",
      );
    return { questions, conversations, quizAnswers, signIn, rateLimits };
  };
  const run = () =>
    prune().catch((err: unknown) =>
      deps.logger.error({ err: errorSummary(err) }, "không xoá được các câu hỏi quá thời hạn lưu"),
    );
  return {
    prune,
    start() {
      void run();
      timer = setInterval(run, deps.everyMs ?? EVERY_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
