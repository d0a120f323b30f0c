/**
 * The administrators' web page on PostgreSQL (tables `web_links`, `web_sessions`, `audit_log`,
 * migration 3): one-time sign-in links and sessions (hashes of the secrets only), the audit log,
 * and the pages' queries over the question log, the subscriptions and the deliveries. The same
 * rules as ./sqlite/web.ts; a link is used by one UPDATE … RETURNING, so two instances never both
 * accept it.
 */
import type {
  AuditLog,
  NoticeInsights,
  QuestionDay,
  QuestionFilter,
  QuestionInsights,
  SessionRetention,
  SubscriberDirectory,
  WebSignInStore,
} from "../ports.js";
import { foldForSearch } from "../sqlite/web.js";
import { iso, type Pg } from "./pool.js";
import { toLogged } from "./question-log.js";
import { toSub } from "./subscriptions.js";

/**
 * The letters with diacritics (both cases) and what they fold to, for `translate()` in the
 * migration that folds the questions already logged: PostgreSQL has no built-in unaccent without
 * an extension (which needs a superuser to install), and `lower()` of a C-locale database only
 * knows ASCII. Built from foldForSearch itself, so the two backends fold alike. New questions are
 * folded in JavaScript when they are logged (question-log.ts), and searched in that column.
 */
const FOLD_FROM_TO = (() => {
  let from = "";
  let to = "";
  for (const [lo, hi] of [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ] as const) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCodePoint(c);
      const f = foldForSearch(ch);
      if (f !== ch && /^[a-z]$/.test(f)) {
        from += ch;
        to += f;
      }
    }
  }
  return { from, to };
})();

export const WEB_MIGRATION_PG = `
  CREATE TABLE web_links (
    token_hash text        PRIMARY KEY,
    admin      text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
  );
  CREATE TABLE web_sessions (
    id_hash      text        PRIMARY KEY,
    admin        text        NOT NULL,
    csrf         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
  );
  CREATE TABLE audit_log (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL,
    actor  text        NOT NULL,
    action text        NOT NULL,
    detail text        NOT NULL
  );
  CREATE INDEX questions_time ON questions (asked_at, status, feedback);
  -- The question folded (lower case, no diacritics) for the Questions page's word search.
  ALTER TABLE questions ADD COLUMN question_folded text NOT NULL DEFAULT '';
  UPDATE questions SET question_folded = lower(translate(question, '${FOLD_FROM_TO.from}', '${FOLD_FROM_TO.to}'));
  CREATE INDEX subscriptions_updated ON subscriptions (updated_at);
`;

export function createPgWebSignIn(pg: Pg): WebSignInStore {
  return {
    async createLink(tokenHash, admin, createdAt, expiresAt) {
      await pg.run(
        "INSERT INTO web_links (token_hash, admin, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        [tokenHash, admin, createdAt, expiresAt],
      );
    },
    async peekLink(tokenHash, at) {
      return (
        await pg.one<{ admin: string }>(
          "SELECT admin FROM web_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
          [tokenHash, at],
        )
      )?.admin;
    },
    async useLink(tokenHash, at) {
      return (
        await pg.one<{ admin: string }>(
          "UPDATE web_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING admin",
          [at, tokenHash],
        )
      )?.admin;
    },
    async createSession(s) {
      await pg.run(
        `INSERT INTO web_sessions (id_hash, admin, csrf, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [s.idHash, s.admin, s.csrf, s.createdAt, s.lastSeenAt, s.expiresAt],
      );
    },
    async getSession(idHash) {
      const r = await pg.one("SELECT * FROM web_sessions WHERE id_hash = $1", [idHash]);
      return (
        r && {
          idHash: r.id_hash as string,
          admin: r.admin as string,
          csrf: r.csrf as string,
          createdAt: iso(r.created_at) as string,
          lastSeenAt: iso(r.last_seen_at) as string,
          expiresAt: iso(r.expires_at) as string,
        }
      );
    },
    async touchSession(idHash, at) {
      await pg.run("UPDATE web_sessions SET last_seen_at = $1 WHERE id_hash = $2", [at, idHash]);
    },
    async endSession(idHash) {
      await pg.run("DELETE FROM web_sessions WHERE id_hash = $1", [idHash]);
    },
    prune: (at, idleBefore) =>
      pg.tx(async (c) => {
        const links = await pg.run(
          "DELETE FROM web_links WHERE expires_at <= $1 OR used_at IS NOT NULL",
          [at],
          c,
        );
        const sessions = await pg.run(
          "DELETE FROM web_sessions WHERE expires_at <= $1 OR last_seen_at < $2",
          [at, idleBefore],
          c,
        );
        return links + sessions;
      }),
  };
}

export function createPgAuditLog(pg: Pg): AuditLog {
  return {
    async record(e) {
      await pg.run("INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, $3, $4)", [
        e.at,
        e.actor,
        e.action,
        e.detail,
      ]);
    },
    async recent(limit) {
      const rows = await pg.rows(
        "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT $1",
        [limit],
      );
      return rows.map((r) => ({
        id: r.id as number,
        at: iso(r.at) as string,
        actor: r.actor as string,
        action: r.action as string,
        detail: r.detail as string,
      }));
    },
  };
}

/** LIKE with the filter's words taken literally (`%` and `_` are escaped). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function whereOf(f: QuestionFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  const text = f.text?.trim();
  if (text) {
    // Each word typed must begin a word of the question ("ket luan" finds "Kết luận 43"), as the
    // SQLite backend's full-text prefix query does.
    const words = foldForSearch(text).match(/[\p{L}\p{N}]+/gu) ?? [];
    // The cheap substring test first, then the word start.
    if (words.length > 0)
      for (const w of words) {
        add((n) => `question_folded LIKE ${n}`, `%${w}%`);
        add((n) => `question_folded ~ ${n}`, `(^|[^a-z0-9])${w}`);
      }
    // Only symbols: taken literally.
    else add((n) => `question LIKE ${n} ESCAPE '\\'`, likePattern(text));
  }
  if (f.statuses && f.statuses.length > 0) add((n) => `status = ANY(${n}::text[])`, [...f.statuses]);
  if (f.feedback !== undefined) add((n) => `feedback = ${n}`, f.feedback);
  if (f.channel) add((n) => `channel = ${n}`, f.channel);
  if (f.from) add((n) => `asked_at >= ${n}`, f.from);
  if (f.to) add((n) => `asked_at < ${n}`, f.to);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

export function createPgQuestionInsights(pg: Pg): QuestionInsights {
  return {
    async search(filter, limit, offset) {
      const { sql, params } = whereOf(filter);
      const total =
        (await pg.one<{ n: number }>(`SELECT count(*) AS n FROM questions ${sql}`, params))?.n ?? 0;
      const rows = await pg.rows(
        `SELECT * FROM questions ${sql} ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      return { total, rows: rows.map(toLogged) };
    },
    async texts(filter, limit) {
      const { sql, params } = whereOf(filter);
      const rows = await pg.rows<{ question: string; asked_at: unknown }>(
        `SELECT question, asked_at FROM questions ${sql} ORDER BY id DESC LIMIT $${params.length + 1}`,
        [...params, limit],
      );
      return rows.map((r) => ({ question: r.question, askedAt: iso(r.asked_at) as string }));
    },
    async daily(since) {
      // Days in Vietnam's time (UTC+7, no daylight saving), as the SQLite backend counts them.
      return pg.rows<QuestionDay>(
        `SELECT to_char((asked_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD') AS day,
                count(*) FILTER (WHERE status = 'answered') AS answered,
                count(*) FILTER (WHERE status = 'partial') AS partial,
                count(*) FILTER (WHERE status = 'not_found') AS "notFound",
                count(*) FILTER (WHERE feedback = 1) AS liked,
                count(*) FILTER (WHERE feedback = -1) AS disliked
         FROM questions WHERE asked_at >= $1 GROUP BY day ORDER BY day`,
        [since],
      );
    },
    prune: (before) => pg.run("DELETE FROM questions WHERE asked_at < $1", [before]),
  };
}

export function createPgSubscriberDirectory(pg: Pg): SubscriberDirectory {
  return {
    async list(filter, limit, offset) {
      const clauses: string[] = [];
      const params: unknown[] = [];
      const add = (column: string, value: unknown) => {
        params.push(value);
        clauses.push(`${column} = $${params.length}`);
      };
      if (filter.channel) add("channel", filter.channel);
      if (filter.chatType) add("chat_type", filter.chatType);
      if (filter.active !== undefined) add("active", filter.active);
      const where = clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "";
      const total =
        (await pg.one<{ n: number }>(`SELECT count(*) AS n FROM subscriptions ${where}`, params))?.n ?? 0;
      const rows = await pg.rows(
        `SELECT * FROM subscriptions ${where} ORDER BY updated_at DESC, channel, chat_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      return { total, rows: rows.map((r) => toSub(r) as NonNullable<ReturnType<typeof toSub>>) };
    },
  };
}

export function createPgNoticeInsights(pg: Pg): NoticeInsights {
  return {
    countsByChannel: (id) =>
      pg.rows(
        `SELECT channel, count(*) AS total,
                count(*) FILTER (WHERE status IN ('pending', 'sending')) AS pending,
                count(*) FILTER (WHERE status = 'sent') AS sent,
                count(*) FILTER (WHERE status = 'failed') AS failed,
                count(*) FILTER (WHERE status = 'blocked') AS blocked,
                count(*) FILTER (WHERE status = 'cancelled') AS cancelled
         FROM deliveries WHERE broadcast_id = $1 GROUP BY channel ORDER BY channel`,
        [id],
      ),
  };
}

export function createPgSessionRetention(pg: Pg): SessionRetention {
  return { prune: (before) => pg.run("DELETE FROM sessions WHERE updated_at < $1", [before]) };
}
