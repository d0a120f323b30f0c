/**
 * The administrators' web page on SQLite: one-time sign-in links and sessions (tables
 * `web_links`, `web_sessions`, hashes of the secrets only), the audit log (`audit_log`), and the
 * pages' queries over the question log, the subscriptions and the deliveries.
 */
import type {
  AuditLog,
  NoticeInsights,
  QuestionDay,
  QuestionFilter,
  QuestionInsights,
  SessionRetention,
  SubscriberDirectory,
  Subscription,
  WebSignInStore,
} from "../ports.js";
import type { Db } from "./database.js";
import { toLogged } from "./question-log.js";
import { toSub } from "./subscriptions.js";

/** Migration 6 (database.ts lists it): the tables above and an index of the question log by time. */
export const WEB_MIGRATION_SQL = `
  CREATE TABLE web_links (
    token_hash TEXT PRIMARY KEY,
    admin      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
  );
  CREATE TABLE web_sessions (
    id_hash      TEXT PRIMARY KEY,
    admin        TEXT NOT NULL,
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
  );
  CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX questions_time ON questions (asked_at, status, feedback);
  CREATE INDEX subscriptions_updated ON subscriptions (updated_at);
  -- The words of each question for the Questions page's search: SQLite's own full-text index,
  -- diacritics removed by its tokenizer and đ made d here (the tokenizer keeps it), kept in step
  -- with the log by triggers, so whatever connection writes a question needs nothing of ours.
  CREATE VIRTUAL TABLE questions_words USING fts5 (question, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO questions_words (rowid, question)
    SELECT id, replace(replace(question, 'đ', 'd'), 'Đ', 'D') FROM questions;
  CREATE TRIGGER questions_words_insert AFTER INSERT ON questions BEGIN
    INSERT INTO questions_words (rowid, question) VALUES (new.id, replace(replace(new.question, 'đ', 'd'), 'Đ', 'D'));
  END;
  CREATE TRIGGER questions_words_delete AFTER DELETE ON questions BEGIN
    DELETE FROM questions_words WHERE rowid = old.id;
  END;
`;

export function createSqliteWebSignIn(db: Db): WebSignInStore {
  const insertLink = db.prepare(
    "INSERT INTO web_links (token_hash, admin, created_at, expires_at) VALUES (?, ?, ?, ?)",
  );
  const peek = db.prepare(
    "SELECT admin FROM web_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
  );
  const use = db.prepare(
    "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING admin",
  );
  const insertSession = db.prepare(
    `INSERT INTO web_sessions (id_hash, admin, csrf, created_at, last_seen_at, expires_at)
     VALUES (@idHash, @admin, @csrf, @createdAt, @lastSeenAt, @expiresAt)`,
  );
  const getSession = db.prepare("SELECT * FROM web_sessions WHERE id_hash = ?");
  const touch = db.prepare("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?");
  const end = db.prepare("DELETE FROM web_sessions WHERE id_hash = ?");
  return {
    async createLink(tokenHash, admin, createdAt, expiresAt) {
      insertLink.run(tokenHash, admin, createdAt, expiresAt);
    },
    async peekLink(tokenHash, at) {
      return (peek.get(tokenHash, at) as { admin: string } | undefined)?.admin;
    },
    async useLink(tokenHash, at) {
      return (use.get(at, tokenHash, at) as { admin: string } | undefined)?.admin;
    },
    async createSession(s) {
      insertSession.run(s);
    },
    async getSession(idHash) {
      const r = getSession.get(idHash) as Record<string, string> | undefined;
      return (
        r && {
          idHash: r.id_hash as string,
          admin: r.admin as string,
          csrf: r.csrf as string,
          createdAt: r.created_at as string,
          lastSeenAt: r.last_seen_at as string,
          expiresAt: r.expires_at as string,
        }
      );
    },
    async touchSession(idHash, at) {
      touch.run(at, idHash);
    },
    async endSession(idHash) {
      end.run(idHash);
    },
    async prune(at, idleBefore) {
      return db.transaction(() => {
        const links = db
          .prepare("DELETE FROM web_links WHERE expires_at <= ? OR used_at IS NOT NULL")
          .run(at);
        const sessions = db
          .prepare("DELETE FROM web_sessions WHERE expires_at <= ? OR last_seen_at < ?")
          .run(at, idleBefore);
        return links.changes + sessions.changes;
      })();
    },
  };
}

export function createSqliteAuditLog(db: Db): AuditLog {
  const insert = db.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)");
  const recent = db.prepare("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?");
  return {
    async record(e) {
      insert.run(e.at, e.actor, e.action, e.detail);
    },
    async recent(limit) {
      return recent.all(limit) as Awaited<ReturnType<AuditLog["recent"]>>;
    },
  };
}

/** Lower case without diacritics ("Kết Luận" → "ket luan"), so a search ignores both. */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** LIKE with the filter's words taken literally (`%` and `_` are escaped). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function whereOf(f: QuestionFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const text = f.text?.trim();
  if (text) {
    // Each word typed must begin a word of the question ("ket luan" finds "Kết luận 43").
    const words = foldForSearch(text).match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length > 0) {
      clauses.push("id IN (SELECT rowid FROM questions_words WHERE questions_words MATCH ?)");
      params.push(words.map((w) => `"${w}"*`).join(" AND "));
    } else {
      // Only symbols: taken literally.
      clauses.push("question LIKE ? ESCAPE '\\'");
      params.push(likePattern(text));
    }
  }
  if (f.statuses && f.statuses.length > 0) {
    clauses.push(`status IN (${f.statuses.map(() => "?").join(",")})`);
    params.push(...f.statuses);
  }
  if (f.feedback !== undefined) {
    clauses.push("feedback = ?");
    params.push(f.feedback);
  }
  if (f.channel) {
    clauses.push("channel = ?");
    params.push(f.channel);
  }
  if (f.from) {
    clauses.push("asked_at >= ?");
    params.push(f.from);
  }
  if (f.to) {
    clauses.push("asked_at < ?");
    params.push(f.to);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

export function createSqliteQuestionInsights(db: Db): QuestionInsights {
  // By UTC hour (a cheap prefix of the ISO time, read from the index alone), then folded into
  // days of Vietnam's time (UTC+7, no daylight saving) here.
  const hourly = db.prepare(
    `SELECT substr(asked_at, 1, 13) AS hour,
            sum(status = 'answered') AS answered, sum(status = 'partial') AS partial,
            sum(status = 'not_found') AS notFound,
            sum(coalesce(feedback, 0) = 1) AS liked, sum(coalesce(feedback, 0) = -1) AS disliked
     FROM questions WHERE asked_at >= ? GROUP BY hour ORDER BY hour`,
  );
  const prune = db.prepare("DELETE FROM questions WHERE asked_at < ?");
  return {
    async search(filter, limit, offset) {
      const { sql, params } = whereOf(filter);
      const total = (db.prepare(`SELECT count(*) AS n FROM questions ${sql}`).get(...params) as { n: number })
        .n;
      const rows = db
        .prepare(`SELECT * FROM questions ${sql} ORDER BY id DESC LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as Record<string, unknown>[];
      return { total, rows: rows.map(toLogged) };
    },
    async texts(filter, limit) {
      const { sql, params } = whereOf(filter);
      return db
        .prepare(`SELECT question, asked_at AS askedAt FROM questions ${sql} ORDER BY id DESC LIMIT ?`)
        .all(...params, limit) as { question: string; askedAt: string }[];
    },
    async daily(since) {
      const days = new Map<string, QuestionDay>();
      for (const h of hourly.all(since) as (Omit<QuestionDay, "day"> & { hour: string })[]) {
        const day = new Date(Date.parse(`${h.hour}:00:00Z`) + 7 * 3600_000).toISOString().slice(0, 10);
        const d = days.get(day) ?? { day, answered: 0, partial: 0, notFound: 0, liked: 0, disliked: 0 };
        d.answered += h.answered;
        d.partial += h.partial;
        d.notFound += h.notFound;
        d.liked += h.liked;
        d.disliked += h.disliked;
        days.set(day, d);
      }
      return [...days.values()];
    },
    async prune(before) {
      return prune.run(before).changes;
    },
  };
}

export function createSqliteSubscriberDirectory(db: Db): SubscriberDirectory {
  return {
    async list(filter, limit, offset) {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (filter.channel) {
        clauses.push("channel = ?");
        params.push(filter.channel);
      }
      if (filter.chatType) {
        clauses.push("chat_type = ?");
        params.push(filter.chatType);
      }
      if (filter.active !== undefined) {
        clauses.push("active = ?");
        params.push(filter.active ? 1 : 0);
      }
      const where = clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "";
      const total = (
        db.prepare(`SELECT count(*) AS n FROM subscriptions ${where}`).get(...params) as { n: number }
      ).n;
      const rows = db
        .prepare(
          `SELECT * FROM subscriptions ${where} ORDER BY updated_at DESC, channel, chat_id LIMIT ? OFFSET ?`,
        )
        .all(...params, limit, offset) as Record<string, unknown>[];
      return {
        total,
        rows: rows.map((r) => toSub(r) as Subscription),
      };
    },
  };
}

export function createSqliteNoticeInsights(db: Db): NoticeInsights {
  const byChannel = db.prepare(
    `SELECT channel, count(*) AS total, sum(status IN ('pending', 'sending')) AS pending,
            sum(status = 'sent') AS sent, sum(status = 'failed') AS failed,
            sum(status = 'blocked') AS blocked, sum(status = 'cancelled') AS cancelled
     FROM deliveries WHERE broadcast_id = ? GROUP BY channel ORDER BY channel`,
  );
  return {
    async countsByChannel(id) {
      return byChannel.all(id) as Awaited<ReturnType<NoticeInsights["countsByChannel"]>>;
    },
  };
}

export function createSqliteSessionRetention(db: Db): SessionRetention {
  const prune = db.prepare("DELETE FROM sessions WHERE updated_at < ?");
  return {
    async prune(before) {
      return prune.run(before).changes;
    },
  };
}
