/**
 * Study series and quizzes on PostgreSQL (migration 4): the same rules as ./sqlite/study.ts. A
 * scheduled send of a series is one transaction with the series' row and its members' rows
 * locked (FOR UPDATE), so two instances running the same schedule queue it once (the second
 * finds the last run done), and an /baihoc on another instance never gets the same lesson.
 */
import type {
  LessonQuestion,
  Quiz,
  QuizAnswer,
  QuizChatFigures,
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
import { iso, type Pg } from "./pool.js";

type Row = Record<string, unknown>;

export const STUDY_MIGRATION_PG = `
  CREATE TABLE study_series (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text        NOT NULL,
    document_id text        NOT NULL,
    passages    jsonb       NOT NULL,
    schedule    text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'stopped')),
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    last_run_at timestamptz
  );
  CREATE TABLE study_members (
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    series_id  bigint      NOT NULL REFERENCES study_series (id),
    channel    text        NOT NULL,
    chat_id    text        NOT NULL,
    chat_type  text        NOT NULL CHECK (chat_type IN ('private', 'group')),
    title      text,
    active     boolean     NOT NULL DEFAULT true,
    done       integer     NOT NULL DEFAULT 0,
    joined_at  timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (series_id, channel, chat_id)
  );
  CREATE INDEX study_members_chat ON study_members (channel, chat_id);
  CREATE TABLE study_lessons (
    broadcast_id bigint  PRIMARY KEY REFERENCES broadcasts (id),
    series_id    bigint  NOT NULL REFERENCES study_series (id),
    lesson       integer NOT NULL,
    question     jsonb
  );
  CREATE TABLE quizzes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel       text        NOT NULL,
    chat_id       text        NOT NULL,
    chat_type     text        NOT NULL,
    created_by    text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('draft', 'scheduled', 'running', 'done', 'cancelled')),
    questions     jsonb       NOT NULL,
    seconds       integer     NOT NULL,
    current       integer     NOT NULL DEFAULT -1,
    next_at       bigint      NOT NULL DEFAULT 0,
    scheduled_for timestamptz,
    repeat        text,
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz
  );
  CREATE INDEX quizzes_status ON quizzes (status);
  CREATE TABLE quiz_polls (
    poll_id  text    PRIMARY KEY,
    quiz_id  bigint  NOT NULL REFERENCES quizzes (id),
    question integer NOT NULL
  );
  CREATE TABLE quiz_answers (
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    quiz_id     bigint      NOT NULL REFERENCES quizzes (id),
    question    integer     NOT NULL,
    channel     text        NOT NULL,
    chat_id     text        NOT NULL,
    user_id     text        NOT NULL,
    user_name   text,
    option      integer     NOT NULL,
    correct     boolean     NOT NULL,
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (quiz_id, question, user_id)
  );
`;

function toSeries(r: Row | undefined): StudySeries | undefined {
  if (!r) return undefined;
  return {
    id: r.id as number,
    title: r.title as string,
    documentId: r.document_id as string,
    passages: r.passages as string[],
    schedule: r.schedule as string,
    status: r.status as SeriesStatus,
    createdBy: r.created_by as string,
    createdAt: iso(r.created_at) as string,
    lastRunAt: iso(r.last_run_at),
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
    active: r.active as boolean,
    done: r.done as number,
    joinedAt: iso(r.joined_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}

const members = (rows: Row[]) => rows.map((r) => toMember(r) as StudyMember);

export function createPgStudy(pg: Pg): StudyStore {
  const getMember = async (seriesId: number, channel: string, chatId: string) =>
    toMember(
      await pg.one("SELECT * FROM study_members WHERE series_id = $1 AND channel = $2 AND chat_id = $3", [
        seriesId,
        channel,
        chatId,
      ]),
    );
  return {
    async createSeries(s, at) {
      const row = await pg.one<{ id: number }>(
        `INSERT INTO study_series (title, document_id, passages, schedule, status, created_by, created_at)
         VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING id`,
        [s.title, s.documentId, JSON.stringify(s.passages), s.schedule, s.createdBy, at],
      );
      return (row as { id: number }).id;
    },
    getSeries: async (id) => toSeries(await pg.one("SELECT * FROM study_series WHERE id = $1", [id])),
    async listSeries(statuses) {
      const rows = statuses
        ? await pg.rows("SELECT * FROM study_series WHERE status = ANY($1::text[]) ORDER BY id", [
            [...statuses],
          ])
        : await pg.rows("SELECT * FROM study_series ORDER BY id");
      return rows.map((r) => toSeries(r) as StudySeries);
    },
    // One that becomes active counts its runs from `at`: a send missed while paused is not made.
    setStatus: async (id, to, from, at) =>
      (await pg.run(
        `UPDATE study_series SET status = $1,
           last_run_at = CASE WHEN $1 = 'active' AND (last_run_at IS NULL OR last_run_at < $4) THEN $4 ELSE last_run_at END
         WHERE id = $2 AND status = ANY($3::text[])`,
        [to, id, [...from], at],
      )) > 0,
    async join(seriesId, chat, at) {
      const inserted = await pg.run(
        `INSERT INTO study_members (series_id, channel, chat_id, chat_type, title, joined_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING`,
        [seriesId, chat.channel, chat.chatId, chat.chatType, chat.title ?? null, at],
      );
      if (inserted > 0) return "new";
      const again = await pg.run(
        `UPDATE study_members SET active = true, updated_at = $1, title = coalesce($2, title)
         WHERE series_id = $3 AND channel = $4 AND chat_id = $5 AND NOT active`,
        [at, chat.title ?? null, seriesId, chat.channel, chat.chatId],
      );
      return again > 0 ? "again" : "already";
    },
    leave: async (seriesId, channel, chatId, at) =>
      (await pg.run(
        "UPDATE study_members SET active = false, updated_at = $1 WHERE series_id = $2 AND channel = $3 AND chat_id = $4 AND active",
        [at, seriesId, channel, chatId],
      )) > 0,
    member: getMember,
    membershipsOf: async (channel, chatId) =>
      members(
        await pg.rows(
          "SELECT * FROM study_members WHERE channel = $1 AND chat_id = $2 AND active ORDER BY updated_at DESC, series_id DESC",
          [channel, chatId],
        ),
      ),
    members: async (seriesId) =>
      members(
        await pg.rows("SELECT * FROM study_members WHERE series_id = $1 AND active ORDER BY seq", [seriesId]),
      ),
    deactivateChat: (channel, chatId, at) =>
      pg.run(
        "UPDATE study_members SET active = false, updated_at = $1 WHERE channel = $2 AND chat_id = $3 AND active",
        [at, channel, chatId],
      ),
    advance: async (seriesId, channel, chatId, done, at) =>
      (await pg.run(
        "UPDATE study_members SET done = done + 1, updated_at = $1 WHERE series_id = $2 AND channel = $3 AND chat_id = $4 AND done = $5",
        [at, seriesId, channel, chatId, done],
      )) > 0,
    migrateChat: (channel, from, to, at) =>
      pg.tx(async (c) => {
        const moved = await pg.run(
          `UPDATE study_members m SET chat_id = $3, updated_at = $4
           WHERE m.channel = $1 AND m.chat_id = $2 AND NOT EXISTS (
             SELECT 1 FROM study_members t WHERE t.series_id = m.series_id AND t.channel = $1 AND t.chat_id = $3)`,
          [channel, from, to, at],
          c,
        );
        // What is left under the old id is a series the new id already follows: it ends.
        await pg.run(
          "UPDATE study_members SET active = false, updated_at = $1 WHERE channel = $2 AND chat_id = $3 AND active",
          [at, channel, from],
          c,
        );
        return moved;
      }),
    queueRun: (seriesId, runAt, lessons, channels, at) =>
      pg.tx(async (c) => {
        const s = toSeries(
          await pg.one("SELECT * FROM study_series WHERE id = $1 FOR UPDATE", [seriesId], c),
        );
        // A pause or stop made after the series was listed as active wins (the row is locked).
        if (s?.status !== "active" || (s.lastRunAt !== null && Date.parse(s.lastRunAt) >= Date.parse(runAt)))
          return [];
        // The members' rows are locked: an /baihoc of another instance (advance) waits for this
        // send, or this send reads the progress it committed; each chat gets each lesson once.
        const due = members(
          await pg.rows(
            "SELECT * FROM study_members WHERE series_id = $1 AND active AND channel = ANY($2::text[]) ORDER BY seq FOR UPDATE",
            [seriesId, [...channels]],
            c,
          ),
        );
        const byLesson = new Map<number, StudyMember[]>();
        for (const m of due) {
          const lesson = m.done + 1;
          if (lesson > lessons.length) continue;
          byLesson.set(lesson, [...(byLesson.get(lesson) ?? []), m]);
        }
        const queued: { broadcastId: number; lesson: number; chats: number }[] = [];
        for (const [lesson, chats] of [...byLesson].sort((a, b) => a[0] - b[0])) {
          // Only the chats still at the progress read move on (the same rule as advance).
          const moved: StudyMember[] = [];
          for (const m of chats) {
            const changed = await pg.run(
              "UPDATE study_members SET done = done + 1, updated_at = $1 WHERE series_id = $2 AND channel = $3 AND chat_id = $4 AND done = $5",
              [at, seriesId, m.channel, m.chatId, m.done],
              c,
            );
            if (changed > 0) moved.push(m);
          }
          if (moved.length === 0) continue;
          const row = await pg.one<{ id: number }>(
            "INSERT INTO broadcasts (text, created_by, created_at, status) VALUES ($1, $2, $3, 'queued') RETURNING id",
            [lessons[lesson - 1]?.text, `study:${seriesId}`, at],
            c,
          );
          const id = (row as { id: number }).id;
          const question = lessons[lesson - 1]?.question;
          await pg.run(
            "INSERT INTO study_lessons (broadcast_id, series_id, lesson, question) VALUES ($1, $2, $3, $4)",
            [id, seriesId, lesson, question ? JSON.stringify(question) : null],
            c,
          );
          for (const m of moved)
            await pg.run(
              "INSERT INTO deliveries (broadcast_id, channel, chat_id, chat_type, status, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5)",
              [id, m.channel, m.chatId, m.chatType, at],
              c,
            );
          queued.push({ broadcastId: id, lesson, chats: moved.length });
        }
        await pg.run("UPDATE study_series SET last_run_at = $1 WHERE id = $2", [runAt, seriesId], c);
        return queued;
      }),
    async lessonOf(broadcastId) {
      const r = await pg.one<{ series_id: number; lesson: number; question: LessonQuestion | null }>(
        "SELECT series_id, lesson, question FROM study_lessons WHERE broadcast_id = $1",
        [broadcastId],
      );
      if (!r) return undefined;
      return { seriesId: r.series_id, lesson: r.lesson, ...(r.question ? { question: r.question } : {}) };
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
    questions: r.questions as QuizQuestion[],
    seconds: r.seconds as number,
    current: r.current as number,
    nextAtMs: r.next_at as number,
    scheduledFor: iso(r.scheduled_for),
    repeat: (r.repeat as string | null) ?? null,
    createdAt: iso(r.created_at) as string,
    finishedAt: iso(r.finished_at),
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
    correct: r.correct as boolean,
    answeredAt: iso(r.answered_at) as string,
  };
}

/** Quizzes that ran, counted per chat (a filter and GROUP BY follow). */
const RAN_PER_CHAT =
  "SELECT channel, chat_id, count(*) AS n FROM quizzes WHERE status IN ('running', 'done')";

export function createPgQuizzes(pg: Pg): QuizStore {
  const quizzes = async (sql: string, params: unknown[] = []) =>
    (await pg.rows(sql, params)).map((r) => toQuiz(r) as Quiz);
  const where = (f: { channel?: string; chatId?: string; quizId?: number } = {}) => {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, value: unknown) => {
      params.push(value);
      clauses.push(`${column} = $${params.length}`);
    };
    if (f.channel !== undefined) add("channel", f.channel);
    if (f.chatId !== undefined) add("chat_id", f.chatId);
    if (f.quizId !== undefined) add("quiz_id", f.quizId);
    return { sql: clauses.length > 0 ? ` AND ${clauses.join(" AND ")}` : "", params };
  };
  return {
    async create(q, at) {
      const row = await pg.one<{ id: number }>(
        `INSERT INTO quizzes (channel, chat_id, chat_type, created_by, status, questions, seconds, scheduled_for, repeat, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
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
        ],
      );
      return (row as { id: number }).id;
    },
    get: async (id) => toQuiz(await pg.one("SELECT * FROM quizzes WHERE id = $1", [id])),
    ofChat: (channel, chatId, statuses) =>
      quizzes(
        "SELECT * FROM quizzes WHERE channel = $1 AND chat_id = $2 AND status = ANY($3::text[]) ORDER BY id",
        [channel, chatId, [...statuses]],
      ),
    setQuestions: async (id, questions) =>
      (await pg.run("UPDATE quizzes SET questions = $1 WHERE id = $2 AND status IN ('draft', 'scheduled')", [
        JSON.stringify(questions),
        id,
      ])) > 0,
    start: async (id, nowMs) =>
      (await pg.run(
        "UPDATE quizzes SET status = 'running', current = -1, next_at = $1 WHERE id = $2 AND status IN ('draft', 'scheduled')",
        [nowMs, id],
      )) > 0,
    due: (nowMs) =>
      quizzes("SELECT * FROM quizzes WHERE status = 'running' AND next_at <= $1 ORDER BY next_at", [nowMs]),
    dueScheduled: (at) =>
      quizzes(
        "SELECT * FROM quizzes WHERE status = 'scheduled' AND scheduled_for <= $1 ORDER BY scheduled_for",
        [at],
      ),
    step: async (id, from, nextAtMs) =>
      (await pg.run(
        "UPDATE quizzes SET current = current + 1, next_at = $1 WHERE id = $2 AND status = 'running' AND current = $3",
        [nextAtMs, id, from],
      )) > 0,
    finish: async (id, at) =>
      (await pg.run(
        "UPDATE quizzes SET status = 'done', finished_at = $1 WHERE id = $2 AND status = 'running'",
        [at, id],
      )) > 0,
    cancel: async (id, at) =>
      (await pg.run(
        "UPDATE quizzes SET status = 'cancelled', finished_at = $1 WHERE id = $2 AND status IN ('draft', 'scheduled', 'running')",
        [at, id],
      )) > 0,
    migrateChat: (channel, from, to) =>
      pg.tx(async (c) => {
        await pg.run(
          "UPDATE quiz_answers SET chat_id = $1 WHERE channel = $2 AND chat_id = $3",
          [to, channel, from],
          c,
        );
        return pg.run(
          "UPDATE quizzes SET chat_id = $1 WHERE channel = $2 AND chat_id = $3",
          [to, channel, from],
          c,
        );
      }),
    async recordPoll(pollId, quizId, question) {
      await pg.run(
        `INSERT INTO quiz_polls (poll_id, quiz_id, question) VALUES ($1, $2, $3)
         ON CONFLICT (poll_id) DO UPDATE SET quiz_id = excluded.quiz_id, question = excluded.question`,
        [pollId, quizId, question],
      );
    },
    async pollOf(pollId) {
      const r = await pg.one<{ quiz_id: number; question: number }>(
        "SELECT quiz_id, question FROM quiz_polls WHERE poll_id = $1",
        [pollId],
      );
      return r ? { quizId: r.quiz_id, question: r.question } : undefined;
    },
    answer: async (a, at) =>
      (await pg.run(
        `INSERT INTO quiz_answers (quiz_id, question, channel, chat_id, user_id, user_name, option, correct, answered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [a.quizId, a.question, a.channel, a.chatId, a.userId, a.userName, a.option, a.correct, at],
      )) > 0,
    async answers(filter) {
      const w = where(filter);
      return (
        await pg.rows(`SELECT * FROM quiz_answers WHERE true${w.sql} ORDER BY answered_at, seq`, w.params)
      ).map(toAnswer);
    },
    ran(filter) {
      const w = where({ channel: filter?.channel, chatId: filter?.chatId });
      return quizzes(
        `SELECT * FROM quizzes WHERE status IN ('running', 'done')${w.sql} ORDER BY id`,
        w.params,
      );
    },
    async totals(filter = {}) {
      const w = where(filter);
      const ran = await pg.one<{ n: number }>(
        `SELECT count(*) AS n FROM quizzes WHERE status IN ('running', 'done')${w.sql}`,
        w.params,
      );
      const a = await pg.one<{ answers: number; correct: number }>(
        `SELECT count(*) AS answers, coalesce(sum(correct::int), 0) AS correct FROM quiz_answers WHERE true${w.sql}`,
        w.params,
      );
      return { quizzes: ran?.n ?? 0, answers: a?.answers ?? 0, correct: a?.correct ?? 0 };
    },
    async chatFigures(filter = {}) {
      const w = where(filter);
      return pg.rows<QuizChatFigures>(
        `WITH ran AS (${RAN_PER_CHAT}${w.sql} GROUP BY channel, chat_id),
           a AS (SELECT * FROM quiz_answers WHERE true${w.sql})
         SELECT a.channel, a.chat_id AS "chatId", coalesce(max(ran.n), 0) AS quizzes,
           count(DISTINCT a.user_id) AS people, count(*) AS answers, sum(a.correct::int) AS correct
         FROM a LEFT JOIN ran ON ran.channel = a.channel AND ran.chat_id = a.chat_id
         GROUP BY a.channel, a.chat_id
         ORDER BY count(*) DESC, a.channel, a.chat_id`,
        w.params,
      );
    },
    async topPeople(filter, limit) {
      const w = where(filter);
      return pg.rows<QuizPersonFigures>(
        `WITH a AS (SELECT * FROM quiz_answers WHERE true${w.sql}),
           ran AS (${RAN_PER_CHAT}${w.sql} GROUP BY channel, chat_id),
           chats AS (SELECT DISTINCT channel, user_id, chat_id FROM a),
           runs AS (
             SELECT c.channel, c.user_id, sum(coalesce(ran.n, 0)) AS run
             FROM chats c LEFT JOIN ran ON ran.channel = c.channel AND ran.chat_id = c.chat_id
             GROUP BY c.channel, c.user_id)
         SELECT a.channel, a.user_id AS "userId",
           (SELECT x.user_name FROM a x WHERE x.channel = a.channel AND x.user_id = a.user_id AND x.user_name IS NOT NULL
            ORDER BY x.answered_at DESC, x.seq DESC LIMIT 1) AS name,
           count(*) AS answered, sum(a.correct::int) AS correct, count(DISTINCT a.quiz_id) AS quizzes,
           coalesce(max(runs.run), 0) AS run
         FROM a LEFT JOIN runs ON runs.channel = a.channel AND runs.user_id = a.user_id
         GROUP BY a.channel, a.user_id
         ORDER BY sum(a.correct::int) DESC, sum(a.correct::int)::float8 / count(*) DESC, a.channel, a.user_id
         LIMIT $${w.params.length + 1}`,
        [...w.params, limit],
      );
    },
    async hardestQuestions(filter, limit) {
      const w = where(filter);
      const rows = await pg.rows<QuizQuestionFigures & { text: string | null }>(
        `WITH a AS (SELECT * FROM quiz_answers WHERE true${w.sql})
         SELECT a.quiz_id AS "quizId", a.question, count(*) AS answers, sum(a.correct::int) AS correct,
           q.questions -> a.question ->> 'question' AS text
         FROM a JOIN quizzes q ON q.id = a.quiz_id
         GROUP BY a.quiz_id, a.question, q.id
         ORDER BY sum(a.correct::int)::float8 / count(*), count(*) DESC, a.quiz_id, a.question
         LIMIT $${w.params.length + 1}`,
        [...w.params, limit],
      );
      return rows.map((x) => ({ ...x, text: x.text ?? "" }));
    },
    prune: (before) => pg.run("DELETE FROM quiz_answers WHERE answered_at < $1", [before]),
  };
}
