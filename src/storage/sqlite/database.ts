/**
 * The SQLite database: better-sqlite3, one file under DATA_DIR, WAL mode, versioned migrations
 * applied at start-up in one transaction each. The adapters beside this file implement the
 * storage ports (../ports.ts) on it.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { WEB_MIGRATION_SQL } from "./web.js";

export type Db = Database.Database;

/** Schema changes, in order. Never edit a released one: add a new one. */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "question log",
    sql: `
      CREATE TABLE questions (
        id          INTEGER PRIMARY KEY,
        asked_at    TEXT    NOT NULL,
        channel     TEXT    NOT NULL,
        chat_id     TEXT    NOT NULL,
        user_id     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('answered', 'not_found', 'error')),
        top_score   REAL    NOT NULL,
        coverage    REAL    NOT NULL,
        latency_ms  INTEGER NOT NULL,
        citations   TEXT    NOT NULL DEFAULT '[]',
        feedback    INTEGER CHECK (feedback IN (-1, 1))
      );
      CREATE INDEX questions_status_time ON questions (status, asked_at);
    `,
  },
  {
    version: 2,
    name: "subscriptions, broadcasts, deliveries",
    sql: `
      CREATE TABLE subscriptions (
        channel         TEXT    NOT NULL,
        chat_id         TEXT    NOT NULL,
        chat_type       TEXT    NOT NULL CHECK (chat_type IN ('private', 'group')),
        title           TEXT,
        active          INTEGER NOT NULL DEFAULT 1,
        subscribed_at   TEXT    NOT NULL,
        updated_at      TEXT    NOT NULL,
        inactive_reason TEXT,
        PRIMARY KEY (channel, chat_id)
      );
      CREATE TABLE broadcasts (
        id            INTEGER PRIMARY KEY,
        text          TEXT    NOT NULL,
        html          TEXT,
        created_by    TEXT    NOT NULL,
        created_at    TEXT    NOT NULL,
        status        TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'queued', 'running', 'done', 'cancelled')),
        scheduled_for TEXT,
        started_at    TEXT,
        finished_at   TEXT,
        report_chat   TEXT,
        report_message TEXT
      );
      CREATE TABLE deliveries (
        broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
        channel      TEXT    NOT NULL,
        chat_id      TEXT    NOT NULL,
        chat_type    TEXT    NOT NULL,
        status       TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_at      INTEGER NOT NULL DEFAULT 0,
        error        TEXT,
        updated_at   TEXT    NOT NULL,
        PRIMARY KEY (broadcast_id, channel, chat_id)
      );
      CREATE INDEX deliveries_pending ON deliveries (status, next_at);
      CREATE TABLE leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT    NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "messages sent per channel per month (quotas)",
    sql: `
      CREATE TABLE usage (
        channel TEXT    NOT NULL,
        month   TEXT    NOT NULL,
        sent    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (channel, month)
      );
    `,
  },
  {
    version: 4,
    name: "question log: the partial grade (closest passages shown, not an exact answer)",
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.
    sql: `
      CREATE TABLE questions_v4 (
        id          INTEGER PRIMARY KEY,
        asked_at    TEXT    NOT NULL,
        channel     TEXT    NOT NULL,
        chat_id     TEXT    NOT NULL,
        user_id     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('answered', 'partial', 'not_found', 'error')),
        top_score   REAL    NOT NULL,
        coverage    REAL    NOT NULL,
        latency_ms  INTEGER NOT NULL,
        citations   TEXT    NOT NULL DEFAULT '[]',
        feedback    INTEGER CHECK (feedback IN (-1, 1))
      );
      INSERT INTO questions_v4 SELECT id, asked_at, channel, chat_id, user_id, question, status, top_score,
        coverage, latency_ms, citations, feedback FROM questions;
      DROP TABLE questions;
      ALTER TABLE questions_v4 RENAME TO questions;
      CREATE INDEX questions_status_time ON questions (status, asked_at);
    `,
  },
  {
    version: 5,
    name: "per-chat sessions (the conversation kept between messages and restarts)",
    sql: `
      CREATE TABLE sessions (
        key        TEXT PRIMARY KEY,
        data       TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: "administrators' web page: sign-in links, sessions, audit log; question log by time",
    sql: WEB_MIGRATION_SQL,
  },
  {
    version: 7,
    name: "study series, their members and lessons; quizzes, polls and answers (issue 15)",
    sql: `
      CREATE TABLE study_series (
        id          INTEGER PRIMARY KEY,
        title       TEXT    NOT NULL,
        document_id TEXT    NOT NULL,
        passages    TEXT    NOT NULL,
        schedule    TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'stopped')),
        created_by  TEXT    NOT NULL,
        created_at  TEXT    NOT NULL,
        last_run_at TEXT
      );
      CREATE TABLE study_members (
        series_id  INTEGER NOT NULL REFERENCES study_series (id),
        channel    TEXT    NOT NULL,
        chat_id    TEXT    NOT NULL,
        chat_type  TEXT    NOT NULL CHECK (chat_type IN ('private', 'group')),
        title      TEXT,
        active     INTEGER NOT NULL DEFAULT 1,
        done       INTEGER NOT NULL DEFAULT 0,
        joined_at  TEXT    NOT NULL,
        updated_at TEXT    NOT NULL,
        PRIMARY KEY (series_id, channel, chat_id)
      );
      CREATE TABLE study_lessons (
        broadcast_id INTEGER PRIMARY KEY REFERENCES broadcasts (id),
        series_id    INTEGER NOT NULL REFERENCES study_series (id),
        lesson       INTEGER NOT NULL,
        question     TEXT
      );
      CREATE TABLE quizzes (
        id            INTEGER PRIMARY KEY,
        channel       TEXT    NOT NULL,
        chat_id       TEXT    NOT NULL,
        chat_type     TEXT    NOT NULL,
        created_by    TEXT    NOT NULL,
        status        TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'running', 'done', 'cancelled')),
        questions     TEXT    NOT NULL,
        seconds       INTEGER NOT NULL,
        current       INTEGER NOT NULL DEFAULT -1,
        next_at       INTEGER NOT NULL DEFAULT 0,
        scheduled_for TEXT,
        repeat        TEXT,
        created_at    TEXT    NOT NULL,
        finished_at   TEXT
      );
      CREATE INDEX quizzes_chat ON quizzes (channel, chat_id, status);
      CREATE TABLE quiz_polls (
        poll_id  TEXT    PRIMARY KEY,
        quiz_id  INTEGER NOT NULL REFERENCES quizzes (id),
        question INTEGER NOT NULL
      );
      CREATE TABLE quiz_answers (
        quiz_id     INTEGER NOT NULL REFERENCES quizzes (id),
        question    INTEGER NOT NULL,
        channel     TEXT    NOT NULL,
        chat_id     TEXT    NOT NULL,
        user_id     TEXT    NOT NULL,
        user_name   TEXT,
        option      INTEGER NOT NULL,
        correct     INTEGER NOT NULL,
        answered_at TEXT    NOT NULL,
        PRIMARY KEY (quiz_id, question, user_id)
      );
    `,
  },
  {
    version: 8,
    name: "several instances: update claims, shared rate limits, the documents' version",
    sql: `
      CREATE TABLE update_claims (
        channel    TEXT    NOT NULL,
        update_id  TEXT    NOT NULL,
        claimed_at INTEGER NOT NULL,
        PRIMARY KEY (channel, update_id)
      );
      CREATE INDEX update_claims_time ON update_claims (claimed_at);
      CREATE TABLE rate_limits (
        key  TEXT PRIMARY KEY,
        hits TEXT NOT NULL
      );
      CREATE TABLE knowledge_version (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        version    INTEGER NOT NULL,
        changed_at TEXT    NOT NULL
      );
    `,
  },
];

/** Opens (creating if needed) the database file and brings its schema up to date. */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

/** Applies the migrations the database has not seen; returns the versions applied. */
export function migrate(db: Db): number[] {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const done = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}
