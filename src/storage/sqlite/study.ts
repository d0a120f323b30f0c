/**
 * Study series and quizzes on SQLite (tables `study_series`, `study_members`, `study_lessons`,
 * `quizzes`, `quiz_polls`, `quiz_answers`). A scheduled send of a series is one transaction:
 * the lesson notices (rows of `broadcasts`, queued, created by `study:<id>`), their deliveries,
 * every member's progress and the series' last run, so a crash leaves either all of it or none,
 * and the broadcast worker delivers it like any notice.
 */
import type {
  LessonQuestion,
  QueuedLesson,
  Quiz,
  QuizAnswer,
  QuizChatFigures,
  QuizFilter,
  QuizPersonFigures,
  QuizQuestion,
  QuizQuestionFigures,
  QuizStatus,
  QuizStore,
  SeriesStatus,
  StudyMember,
  StudySeries,
  StudyStore,
} from "../ports.js";
import type { Db } from "./database.js";

type Row = Record<string, unknown>;
const list = (values: readonly unknown[]) => values.map(() => "?").join(",") || "NULL";

function toSeries(r: Row | undefined): StudySeries | undefined {
  if (!r) return undefined;
  return {
    id: r.id as number,
    title: r.title as string,
    documentId: r.document_id as string,
    passages: JSON.parse(r.passages as string) as string[],
    schedule: r.schedule as string,
    status: r.status as SeriesStatus,
    createdBy: r.created_by as string,
    createdAt: r.created_at as string,
    lastRunAt: (r.last_run_at as string | null) ?? null,
  };
}

function toMember(r: Row | undefined): StudyMember | undefined {
  if (!r) return undefined;
  return {
    seriesId: r.series_id as number,
    channel: r.channel as string,
    chatId: r.chat_id as string,
    chatType: r.chat_type as "private" | "group",
    title: (r.title as string | null) ?? null,
    active: r.active === 1,
    done: r.done as number,
    joinedAt: r.joined_at as string,
    updatedAt: r.updated_at as string,
  };
}

export function createSqliteStudy(db: Db): StudyStore {
  const getSeries = db.prepare("SELECT * FROM study_series WHERE id = ?");
  const getMember = db.prepare(
    "SELECT * FROM study_members WHERE series_id = ? AND channel = ? AND chat_id = ?",
  );

  const queueRun = db.transaction(
    (
      seriesId: number,
      runAt: string,
      lessons: readonly QueuedLesson[],
      channels: readonly string[],
      at: string,
    ) => {
      const s = toSeries(getSeries.get(seriesId) as Row | undefined);
      // A pause or stop made after the series was listed as active wins.
      if (s?.status !== "active" || (s.lastRunAt !== null && s.lastRunAt >= runAt)) return [];
      const members = (
        db
          .prepare(
            `SELECT * FROM study_members WHERE series_id = ? AND active = 1 AND channel IN (${list(channels)}) ORDER BY rowid`,
          )
          .all(seriesId, ...channels) as Row[]
      ).map((r) => toMember(r) as StudyMember);
      const byLesson = new Map<number, StudyMember[]>();
      for (const m of members) {
        const lesson = m.done + 1;
        if (lesson > lessons.length) continue;
        byLesson.set(lesson, [...(byLesson.get(lesson) ?? []), m]);
      }
      const deliver = db.prepare(
        "INSERT INTO deliveries (broadcast_id, channel, chat_id, chat_type, status, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)",
      );
      // Only the chats still at the progress read move on (the same rule as advance).
      const advance = db.prepare(
        "UPDATE study_members SET done = done + 1, updated_at = ? WHERE series_id = ? AND channel = ? AND chat_id = ? AND done = ?",
      );
      const queued: { broadcastId: number; lesson: number; chats: number }[] = [];
      for (const [lesson, chats] of [...byLesson].sort((a, b) => a[0] - b[0])) {
        const moved = chats.filter((m) => advance.run(at, seriesId, m.channel, m.chatId, m.done).changes > 0);
        if (moved.length === 0) continue;
        const id = Number(
          db
            .prepare(
              "INSERT INTO broadcasts (text, created_by, created_at, status) VALUES (?, ?, ?, 'queued')",
            )
            .run(lessons[lesson - 1]?.text, `study:${seriesId}`, at).lastInsertRowid,
        );
        const question = lessons[lesson - 1]?.question;
        db.prepare(
          "INSERT INTO study_lessons (broadcast_id, series_id, lesson, question) VALUES (?, ?, ?, ?)",
        ).run(id, seriesId, lesson, question ? JSON.stringify(question) : null);
        for (const m of moved) deliver.run(id, m.channel, m.chatId, m.chatType, at);
        queued.push({ broadcastId: id, lesson, chats: moved.length });
      }
      db.prepare("UPDATE study_series SET last_run_at = ? WHERE id = ?").run(runAt, seriesId);
      return queued;
    },
  );

  return {
    async createSeries(s, at) {
      return Number(
        db
          .prepare(
            "INSERT INTO study_series (title, document_id, passages, schedule, status, created_by, created_at) VALUES (?, ?, ?, ?, 'draft', ?, ?)",
          )
          .run(s.title, s.documentId, JSON.stringify(s.passages), s.schedule, s.createdBy, at)
          .lastInsertRowid,
      );
    },
    getSeries: async (id) => toSeries(getSeries.get(id) as Row | undefined),
    async listSeries(statuses) {
      const rows = statuses
        ? db
            .prepare(`SELECT * FROM study_series WHERE status IN (${list(statuses)}) ORDER BY id`)
            .all(...statuses)
        : db.prepare("SELECT * FROM study_series ORDER BY id").all();
      return (rows as Row[]).map((r) => toSeries(r) as StudySeries);
    },
    async setStatus(id, to, from, at) {
      return (
        db
          .prepare(
            `UPDATE study_series SET status = @to,
               last_run_at = CASE WHEN @to = 'active' AND (last_run_at IS NULL OR last_run_at < @at) THEN @at ELSE last_run_at END
             WHERE id = @id AND status IN (${from.map((_, i) => `@f${i}`).join(",") || "NULL"})`,
          )
          .run({ to, id, at, ...Object.fromEntries(from.map((f, i) => [`f${i}`, f])) }).changes > 0
      );
    },
    async join(seriesId, chat, at) {
      const existing = toMember(getMember.get(seriesId, chat.channel, chat.chatId) as Row | undefined);
      if (!existing) {
        db.prepare(
          "INSERT INTO study_members (series_id, channel, chat_id, chat_type, title, joined_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(seriesId, chat.channel, chat.chatId, chat.chatType, chat.title ?? null, at, at);
        return "new";
      }
      if (existing.active) return "already";
      db.prepare(
        "UPDATE study_members SET active = 1, updated_at = ?, title = coalesce(?, title) WHERE series_id = ? AND channel = ? AND chat_id = ?",
      ).run(at, chat.title ?? null, seriesId, chat.channel, chat.chatId);
      return "again";
    },
    async leave(seriesId, channel, chatId, at) {
      return (
        db
          .prepare(
            "UPDATE study_members SET active = 0, updated_at = ? WHERE series_id = ? AND channel = ? AND chat_id = ? AND active = 1",
          )
          .run(at, seriesId, channel, chatId).changes > 0
      );
    },
    member: async (seriesId, channel, chatId) =>
      toMember(getMember.get(seriesId, channel, chatId) as Row | undefined),
    async membershipsOf(channel, chatId) {
      return (
        db
          .prepare(
            "SELECT * FROM study_members WHERE channel = ? AND chat_id = ? AND active = 1 ORDER BY updated_at DESC, series_id DESC",
          )
          .all(channel, chatId) as Row[]
      ).map((r) => toMember(r) as StudyMember);
    },
    async members(seriesId) {
      return (
        db
          .prepare("SELECT * FROM study_members WHERE series_id = ? AND active = 1 ORDER BY rowid")
          .all(seriesId) as Row[]
      ).map((r) => toMember(r) as StudyMember);
    },
    async deactivateChat(channel, chatId, at) {
      return db
        .prepare(
          "UPDATE study_members SET active = 0, updated_at = ? WHERE channel = ? AND chat_id = ? AND active = 1",
        )
        .run(at, channel, chatId).changes;
    },
    async advance(seriesId, channel, chatId, done, at) {
      return (
        db
          .prepare(
            "UPDATE study_members SET done = done + 1, updated_at = ? WHERE series_id = ? AND channel = ? AND chat_id = ? AND done = ?",
          )
          .run(at, seriesId, channel, chatId, done).changes > 0
      );
    },
    async migrateChat(channel, from, to, at) {
      return db.transaction(() => {
        const moved = db
          .prepare(
            `UPDATE study_members SET chat_id = @to, updated_at = @at
             WHERE channel = @channel AND chat_id = @from AND NOT EXISTS (
               SELECT 1 FROM study_members t WHERE t.series_id = study_members.series_id AND t.channel = @channel AND t.chat_id = @to)`,
          )
          .run({ channel, from, to, at }).changes;
        // What is left under the old id is a series the new id already follows: it ends.
        db.prepare(
          "UPDATE study_members SET active = 0, updated_at = ? WHERE channel = ? AND chat_id = ? AND active = 1",
        ).run(at, channel, from);
        return moved;
      })();
    },
    queueRun: async (seriesId, runAt, lessons, channels, at) =>
      queueRun(seriesId, runAt, lessons, channels, at),
    async lessonOf(broadcastId) {
      const r = db
        .prepare("SELECT series_id AS seriesId, lesson, question FROM study_lessons WHERE broadcast_id = ?")
        .get(broadcastId) as { seriesId: number; lesson: number; question: string | null } | undefined;
      if (!r) return undefined;
      return {
        seriesId: r.seriesId,
        lesson: r.lesson,
        ...(r.question ? { question: JSON.parse(r.question) as LessonQuestion } : {}),
      };
    },
  };
}

function toQuiz(r: Row | undefined): Quiz | undefined {
  if (!r) return undefined;
  return {
    id: r.id as number,
    channel: r.channel as string,
    chatId: r.chat_id as string,
    chatType: r.chat_type as "private" | "group",
    createdBy: r.created_by as string,
    status: r.status as QuizStatus,
    questions: JSON.parse(r.questions as string) as QuizQuestion[],
    seconds: r.seconds as number,
    current: r.current as number,
    nextAtMs: r.next_at as number,
    scheduledFor: (r.scheduled_for as string | null) ?? null,
    repeat: (r.repeat as string | null) ?? null,
    createdAt: r.created_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
  };
}

function toAnswer(r: Row): QuizAnswer {
  return {
    quizId: r.quiz_id as number,
    question: r.question as number,
    channel: r.channel as string,
    chatId: r.chat_id as string,
    userId: r.user_id as string,
    userName: (r.user_name as string | null) ?? null,
    option: r.option as number,
    correct: r.correct === 1,
    answeredAt: r.answered_at as string,
  };
}

/** Quizzes that ran, counted per chat (a filter and GROUP BY follow). */
const RAN_PER_CHAT =
  "SELECT channel, chat_id, count(*) AS n FROM quizzes WHERE status IN ('running', 'done')";

/** A figures filter as named parameters (@channel, @chatId), on columns of a table alias when given. */
function figuresFilter(f: QuizFilter) {
  const params: Record<string, string> = {};
  if (f.channel !== undefined) params.channel = f.channel;
  if (f.chatId !== undefined) params.chatId = f.chatId;
  const sqlOf = (prefix: string) =>
    `${f.channel !== undefined ? ` AND ${prefix}channel = @channel` : ""}${f.chatId !== undefined ? ` AND ${prefix}chat_id = @chatId` : ""}`;
  return { sql: sqlOf(""), sqlOf, params };
}

export function createSqliteQuizzes(db: Db): QuizStore {
  const get = db.prepare("SELECT * FROM quizzes WHERE id = ?");
  const quizzes = (sql: string, ...params: unknown[]) =>
    (db.prepare(sql).all(...params) as Row[]).map((r) => toQuiz(r) as Quiz);
  const where = (f: { channel?: string; chatId?: string; quizId?: number } = {}, prefix = "") => {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      clauses.push(clause);
      params.push(value);
    };
    if (f.channel !== undefined) add(`${prefix}channel = ?`, f.channel);
    if (f.chatId !== undefined) add(`${prefix}chat_id = ?`, f.chatId);
    if (f.quizId !== undefined) add("quiz_id = ?", f.quizId);
    return { sql: clauses.length > 0 ? ` AND ${clauses.join(" AND ")}` : "", params };
  };
  return {
    async create(q, at) {
      return Number(
        db
          .prepare(
            `INSERT INTO quizzes (channel, chat_id, chat_type, created_by, status, questions, seconds, scheduled_for, repeat, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            q.channel,
            q.chatId,
            q.chatType,
            q.createdBy,
            q.scheduledFor ? "scheduled" : "draft",
            JSON.stringify(q.questions),
            q.seconds,
            q.scheduledFor ?? null,
            q.repeat ?? null,
            at,
          ).lastInsertRowid,
      );
    },
    get: async (id) => toQuiz(get.get(id) as Row | undefined),
    ofChat: async (channel, chatId, statuses) =>
      quizzes(
        `SELECT * FROM quizzes WHERE channel = ? AND chat_id = ? AND status IN (${list(statuses)}) ORDER BY id`,
        channel,
        chatId,
        ...statuses,
      ),
    async setQuestions(id, questions) {
      return (
        db
          .prepare("UPDATE quizzes SET questions = ? WHERE id = ? AND status IN ('draft', 'scheduled')")
          .run(JSON.stringify(questions), id).changes > 0
      );
    },
    async start(id, nowMs) {
      return (
        db
          .prepare(
            "UPDATE quizzes SET status = 'running', current = -1, next_at = ? WHERE id = ? AND status IN ('draft', 'scheduled')",
          )
          .run(nowMs, id).changes > 0
      );
    },
    due: async (nowMs) =>
      quizzes("SELECT * FROM quizzes WHERE status = 'running' AND next_at <= ? ORDER BY next_at", nowMs),
    dueScheduled: async (at) =>
      quizzes(
        "SELECT * FROM quizzes WHERE status = 'scheduled' AND scheduled_for <= ? ORDER BY scheduled_for",
        at,
      ),
    async step(id, from, nextAtMs) {
      return (
        db
          .prepare(
            "UPDATE quizzes SET current = current + 1, next_at = ? WHERE id = ? AND status = 'running' AND current = ?",
          )
          .run(nextAtMs, id, from).changes > 0
      );
    },
    async finish(id, at) {
      return (
        db
          .prepare("UPDATE quizzes SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'")
          .run(at, id).changes > 0
      );
    },
    async cancel(id, at) {
      return (
        db
          .prepare(
            "UPDATE quizzes SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('draft', 'scheduled', 'running')",
          )
          .run(at, id).changes > 0
      );
    },
    async migrateChat(channel, from, to) {
      return db.transaction(() => {
        db.prepare("UPDATE quiz_answers SET chat_id = ? WHERE channel = ? AND chat_id = ?").run(
          to,
          channel,
          from,
        );
        return db
          .prepare("UPDATE quizzes SET chat_id = ? WHERE channel = ? AND chat_id = ?")
          .run(to, channel, from).changes;
      })();
    },
    async recordPoll(pollId, quizId, question) {
      db.prepare("INSERT OR REPLACE INTO quiz_polls (poll_id, quiz_id, question) VALUES (?, ?, ?)").run(
        pollId,
        quizId,
        question,
      );
    },
    async pollOf(pollId) {
      const r = db
        .prepare("SELECT quiz_id AS quizId, question FROM quiz_polls WHERE poll_id = ?")
        .get(pollId) as { quizId: number; question: number } | undefined;
      return r ? { quizId: r.quizId, question: r.question } : undefined;
    },
    async answer(a, at) {
      return (
        db
          .prepare(
            `INSERT OR IGNORE INTO quiz_answers (quiz_id, question, channel, chat_id, user_id, user_name, option, correct, answered_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            a.quizId,
            a.question,
            a.channel,
            a.chatId,
            a.userId,
            a.userName,
            a.option,
            a.correct ? 1 : 0,
            at,
          ).changes > 0
      );
    },
    async answers(filter) {
      const w = where(filter);
      return (
        db
          .prepare(`SELECT * FROM quiz_answers WHERE 1 = 1${w.sql} ORDER BY answered_at, rowid`)
          .all(...w.params) as Row[]
      ).map(toAnswer);
    },
    async ran(filter) {
      const w = where({ channel: filter?.channel, chatId: filter?.chatId });
      return quizzes(
        `SELECT * FROM quizzes WHERE status IN ('running', 'done')${w.sql} ORDER BY id`,
        ...w.params,
      );
    },
    async totals(filter = {}) {
      const f = figuresFilter(filter);
      const ran = db
        .prepare(`SELECT count(*) AS n FROM quizzes WHERE status IN ('running', 'done')${f.sql}`)
        .get(f.params) as { n: number };
      const a = db
        .prepare(
          `SELECT count(*) AS answers, coalesce(sum(correct), 0) AS correct FROM quiz_answers WHERE 1 = 1${f.sql}`,
        )
        .get(f.params) as { answers: number; correct: number };
      return { quizzes: ran.n, answers: a.answers, correct: a.correct };
    },
    async chatFigures(filter = {}) {
      const f = figuresFilter(filter);
      return db
        .prepare(
          `WITH ran AS (${RAN_PER_CHAT}${f.sql} GROUP BY channel, chat_id)
           SELECT a.channel, a.chat_id AS chatId, coalesce(max(ran.n), 0) AS quizzes,
             count(DISTINCT a.user_id) AS people, count(*) AS answers, sum(a.correct) AS correct
           FROM quiz_answers a LEFT JOIN ran ON ran.channel = a.channel AND ran.chat_id = a.chat_id
           WHERE 1 = 1${f.sqlOf("a.")}
           GROUP BY a.channel, a.chat_id
           ORDER BY count(*) DESC, a.channel, a.chat_id`,
        )
        .all(f.params) as QuizChatFigures[];
    },
    async topPeople(filter, limit) {
      const f = figuresFilter(filter);
      return db
        .prepare(
          `WITH a AS (SELECT rowid AS seq, * FROM quiz_answers WHERE 1 = 1${f.sql}),
             ran AS (${RAN_PER_CHAT}${f.sql} GROUP BY channel, chat_id),
             chats AS (SELECT DISTINCT channel, user_id, chat_id FROM a),
             runs AS (
               SELECT c.channel, c.user_id, sum(coalesce(ran.n, 0)) AS run
               FROM chats c LEFT JOIN ran ON ran.channel = c.channel AND ran.chat_id = c.chat_id
               GROUP BY c.channel, c.user_id)
           SELECT a.channel, a.user_id AS userId,
             (SELECT x.user_name FROM a x WHERE x.channel = a.channel AND x.user_id = a.user_id AND x.user_name IS NOT NULL
              ORDER BY x.answered_at DESC, x.seq DESC LIMIT 1) AS name,
             count(*) AS answered, sum(a.correct) AS correct, count(DISTINCT a.quiz_id) AS quizzes,
             coalesce(max(runs.run), 0) AS run
           FROM a LEFT JOIN runs ON runs.channel = a.channel AND runs.user_id = a.user_id
           GROUP BY a.channel, a.user_id
           ORDER BY sum(a.correct) DESC, sum(a.correct) * 1.0 / count(*) DESC, a.channel, a.user_id
           LIMIT @limit`,
        )
        .all({ ...f.params, limit }) as QuizPersonFigures[];
    },
    async hardestQuestions(filter, limit) {
      const f = figuresFilter(filter);
      return (
        db
          .prepare(
            `SELECT a.quiz_id AS quizId, a.question, count(*) AS answers, sum(a.correct) AS correct,
               json_extract(q.questions, '$[' || a.question || '].question') AS text
             FROM quiz_answers a JOIN quizzes q ON q.id = a.quiz_id
             WHERE 1 = 1${f.sqlOf("a.")}
             GROUP BY a.quiz_id, a.question
             ORDER BY sum(a.correct) * 1.0 / count(*), count(*) DESC, a.quiz_id, a.question
             LIMIT @limit`,
          )
          .all({ ...f.params, limit }) as (QuizQuestionFigures & { text: string | null })[]
      ).map((x) => ({ ...x, text: x.text ?? "" }));
    },
    async prune(before) {
      return db.prepare("DELETE FROM quiz_answers WHERE answered_at < ?").run(before).changes;
    },
  };
}
