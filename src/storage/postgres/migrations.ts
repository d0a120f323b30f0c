/**
 * The PostgreSQL schema, as versioned migrations in `schema_migrations` (the same idea as the
 * SQLite ones, its own numbering). They are applied at start-up under an advisory lock, so two
 * instances starting at once never both apply one: the second waits, then finds it done. Each
 * migration is one transaction. Never edit a released one: add a new one.
 */
import type { Pg } from "./pool.js";
import { STUDY_MIGRATION_PG } from "./study.js";
import { WEB_MIGRATION_PG } from "./web.js";

/** A migration the database refused (the connection itself worked): which one, and why. */
export class MigrationError extends Error {
  constructor(
    readonly version: number,
    readonly migration: string,
    cause: unknown,
  ) {
    super(
      `PostgreSQL migration ${version} (${migration}) failed: ${(cause as Error)?.message ?? String(cause)}`,
      {
        cause,
      },
    );
    this.name = "MigrationError";
  }
}

/** Arbitrary but fixed: the advisory lock key every instance takes to migrate. */
export const MIGRATION_LOCK_KEY = 7_316_016;

export const PG_MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "question log, subscriptions, notices and deliveries, leases, usage, sessions",
    sql: `
      CREATE TABLE questions (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        asked_at    timestamptz NOT NULL,
        channel     text        NOT NULL,
        chat_id     text        NOT NULL,
        user_id     text        NOT NULL,
        question    text        NOT NULL,
        status      text        NOT NULL CHECK (status IN ('answered', 'partial', 'not_found', 'error')),
        top_score   double precision NOT NULL,
        coverage    double precision NOT NULL,
        latency_ms  integer     NOT NULL,
        citations   jsonb       NOT NULL DEFAULT '[]',
        feedback    smallint    CHECK (feedback IN (-1, 1))
      );
      CREATE INDEX questions_status_time ON questions (status, asked_at);

      CREATE TABLE subscriptions (
        channel         text        NOT NULL,
        chat_id         text        NOT NULL,
        chat_type       text        NOT NULL CHECK (chat_type IN ('private', 'group')),
        title           text,
        active          boolean     NOT NULL DEFAULT true,
        subscribed_at   timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        inactive_reason text,
        PRIMARY KEY (channel, chat_id)
      );

      CREATE TABLE broadcasts (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        text           text        NOT NULL,
        created_by     text        NOT NULL,
        created_at     timestamptz NOT NULL,
        status         text        NOT NULL CHECK (status IN ('draft', 'scheduled', 'queued', 'running', 'done', 'cancelled')),
        scheduled_for  timestamptz,
        started_at     timestamptz,
        finished_at    timestamptz,
        report_chat    text,
        report_message text
      );
      CREATE INDEX broadcasts_status ON broadcasts (status);

      CREATE TABLE deliveries (
        seq          bigint GENERATED ALWAYS AS IDENTITY,
        broadcast_id bigint      NOT NULL REFERENCES broadcasts (id),
        channel      text        NOT NULL,
        chat_id      text        NOT NULL,
        chat_type    text        NOT NULL,
        status       text        NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')),
        attempts     integer     NOT NULL DEFAULT 0,
        next_at      bigint      NOT NULL DEFAULT 0,
        error        text,
        updated_at   timestamptz NOT NULL,
        PRIMARY KEY (broadcast_id, channel, chat_id)
      );
      -- The worker's claim walks the pending deliveries of a channel in order.
      CREATE INDEX deliveries_pending ON deliveries (channel, broadcast_id, seq) WHERE status = 'pending';
      CREATE INDEX deliveries_sending ON deliveries (broadcast_id) WHERE status = 'sending';

      CREATE TABLE leases (
        name       text   PRIMARY KEY,
        holder     text   NOT NULL,
        expires_at bigint NOT NULL
      );

      CREATE TABLE usage (
        channel text    NOT NULL,
        month   text    NOT NULL,
        sent    integer NOT NULL DEFAULT 0,
        PRIMARY KEY (channel, month)
      );

      CREATE TABLE sessions (
        key        text        PRIMARY KEY,
        data       jsonb       NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "several instances: update claims, shared rate limits, the documents' version",
    sql: `
      CREATE TABLE update_claims (
        channel    text   NOT NULL,
        update_id  text   NOT NULL,
        claimed_at bigint NOT NULL,
        PRIMARY KEY (channel, update_id)
      );
      CREATE INDEX update_claims_time ON update_claims (claimed_at);

      CREATE TABLE rate_limits (
        key     text     PRIMARY KEY,
        hits    bigint[] NOT NULL,
        -- Whether the last take was allowed (set by the same statement that made it).
        allowed boolean  NOT NULL DEFAULT true
      );

      CREATE TABLE knowledge_version (
        id         integer     PRIMARY KEY CHECK (id = 1),
        version    bigint      NOT NULL,
        changed_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "administrators' web page: sign-in links, sessions, audit log; question log by time",
    sql: WEB_MIGRATION_PG,
  },
  {
    version: 4,
    name: "study series, their members and lessons; quizzes, polls and answers",
    sql: STUDY_MIGRATION_PG,
  },
];

/**
 * Applies the migrations the database has not seen, under the advisory lock; returns the
 * versions this call applied (none when another instance already did).
 */
export async function migratePostgres(pg: Pg): Promise<number[]> {
  const client = await pg.pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      const done = new Set(
        (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
          (r) => r.version,
        ),
      );
      const applied: number[] = [];
      for (const m of PG_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
            m.version,
            m.name,
          ]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw new MigrationError(m.version, m.name, err);
        }
        applied.push(m.version);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
