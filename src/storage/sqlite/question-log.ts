/** The question log and its feedback on SQLite (table `questions`). */
import type { FeedbackStore, LoggedQuestion, QuestionLog, QuestionRecord } from "../ports.js";
import type { Db } from "./database.js";

export function createSqliteQuestionLog(db: Db, now: () => Date = () => new Date()): QuestionLog {
  const insert = db.prepare(
    `INSERT INTO questions (asked_at, channel, chat_id, user_id, question, status, top_score, coverage, latency_ms, citations)
     VALUES (@askedAt, @channel, @chatId, @userId, @question, @status, @topScore, @coverage, @latencyMs, @citations)`,
  );
  const recent = db.prepare("SELECT * FROM questions ORDER BY id DESC LIMIT ?");
  const byId = db.prepare("SELECT * FROM questions WHERE id = ?");
  const count = db.prepare("SELECT count(*) AS n FROM questions");
  const unanswered = db.prepare(
    `SELECT lower(trim(question)) AS q, min(question) AS question, count(*) AS count, max(asked_at) AS lastAskedAt
     FROM questions WHERE status IN ('not_found', 'partial') AND asked_at >= ? GROUP BY q ORDER BY count DESC, lastAskedAt DESC LIMIT ?`,
  );
  return {
    async record(q) {
      const r = insert.run({
        ...q,
        askedAt: now().toISOString(),
        latencyMs: Math.round(q.latencyMs),
        citations: JSON.stringify(q.citations),
      });
      return Number(r.lastInsertRowid);
    },
    async get(id) {
      const row = byId.get(id) as Record<string, unknown> | undefined;
      return row ? toLogged(row) : undefined;
    },
    async recent(limit) {
      return (recent.all(limit) as Record<string, unknown>[]).map(toLogged);
    },
    async count() {
      return (count.get() as { n: number }).n;
    },
    async topUnanswered(limit, since = "1970-01-01") {
      return (unanswered.all(since, limit) as { question: string; count: number; lastAskedAt: string }[]).map(
        (r) => ({
          question: r.question,
          count: r.count,
          lastAskedAt: r.lastAskedAt,
        }),
      );
    },
  };
}

/** 👍/👎 kept with the logged question. */
export function createSqliteFeedback(db: Db): FeedbackStore {
  const feedback = db.prepare("UPDATE questions SET feedback = ? WHERE id = ?");
  return {
    async set(id, value) {
      return feedback.run(value, id).changes > 0;
    },
  };
}

/** A row of `questions` as the ports return it. */
export function toLogged(r: Record<string, unknown>): LoggedQuestion {
  return {
    id: r.id as number,
    askedAt: r.asked_at as string,
    channel: r.channel as string,
    chatId: r.chat_id as string,
    userId: r.user_id as string,
    question: r.question as string,
    status: r.status as QuestionRecord["status"],
    topScore: r.top_score as number,
    coverage: r.coverage as number,
    latencyMs: r.latency_ms as number,
    citations: JSON.parse(r.citations as string) as string[],
    feedback: (r.feedback as -1 | 1 | null) ?? null,
  };
}
