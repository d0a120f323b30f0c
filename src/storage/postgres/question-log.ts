/** The question log and its feedback on PostgreSQL (table `questions`). */
import type { FeedbackStore, LoggedQuestion, QuestionLog, QuestionRecord } from "../ports.js";
import { foldForSearch } from "../sqlite/web.js";
import { iso, type Pg } from "./pool.js";

/** Every question with its outcome, for the administrators' "not answered" view. */
export function createPgQuestionLog(pg: Pg, now: () => Date = () => new Date()): QuestionLog {
  return {
    async record(q) {
      const row = await pg.one<{ id: number }>(
        `INSERT INTO questions (asked_at, channel, chat_id, user_id, question, status, top_score, coverage, latency_ms, citations, question_folded)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          now(),
          q.channel,
          q.chatId,
          q.userId,
          q.question,
          q.status,
          q.topScore,
          q.coverage,
          Math.round(q.latencyMs),
          JSON.stringify(q.citations),
          // Folded once here, for the web page's word search (web.ts).
          foldForSearch(q.question),
        ],
      );
      return (row as { id: number }).id;
    },
    async get(id) {
      const row = await pg.one("SELECT * FROM questions WHERE id = $1", [id]);
      return row ? toLogged(row) : undefined;
    },
    recent: async (limit) =>
      (await pg.rows("SELECT * FROM questions ORDER BY id DESC LIMIT $1", [limit])).map(toLogged),
    count: async () => (await pg.one<{ n: number }>("SELECT count(*) AS n FROM questions"))?.n ?? 0,
    async topUnanswered(limit, since = "1970-01-01") {
      const rows = await pg.rows<{ question: string; count: number; last: Date }>(
        `SELECT min(question) AS question, count(*) AS count, max(asked_at) AS last
         FROM questions WHERE status IN ('not_found', 'partial') AND asked_at >= $1
         GROUP BY lower(trim(question)) ORDER BY count DESC, last DESC LIMIT $2`,
        [since, limit],
      );
      return rows.map((r) => ({ question: r.question, count: r.count, lastAskedAt: iso(r.last) as string }));
    },
  };
}

/** 👍/👎 kept with the logged question. */
export function createPgFeedback(pg: Pg): FeedbackStore {
  return {
    set: async (id, value) =>
      (await pg.run("UPDATE questions SET feedback = $1 WHERE id = $2", [value, id])) > 0,
  };
}

export function toLogged(r: Record<string, unknown>): LoggedQuestion {
  return {
    id: r.id as number,
    askedAt: iso(r.asked_at) as string,
    channel: r.channel as string,
    chatId: r.chat_id as string,
    userId: r.user_id as string,
    question: r.question as string,
    status: r.status as QuestionRecord["status"],
    topScore: r.top_score as number,
    coverage: r.coverage as number,
    latencyMs: r.latency_ms as number,
    citations: r.citations as string[],
    feedback: (r.feedback as -1 | 1 | null) ?? null,
  };
}
