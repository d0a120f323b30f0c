/**
 * The PostgreSQL backend: every storage port on one database that several instances share
 * (DATABASE_URL=postgres://…). One file per port beside this one, all on the pool in pool.ts;
 * the schema is migrated at open, under an advisory lock.
 */
import type { Storage } from "../ports.js";
import { createPgClaims } from "./claims.js";
import { createPgKnowledgeVersions } from "./knowledge-versions.js";
import { createPgLease } from "./lease.js";
import { migratePostgres } from "./migrations.js";
import { createPgNotices } from "./notices.js";
import { createPg, type Pg, type PoolOptions } from "./pool.js";
import { createPgFeedback, createPgQuestionLog } from "./question-log.js";
import { createPgRateLimits } from "./rate-limits.js";
import { createPgSessions } from "./sessions.js";
import { createPgQuizzes, createPgStudy } from "./study.js";
import { createPgSubscriptions } from "./subscriptions.js";
import { createPgUsageCounter } from "./usage.js";
import {
  createPgAuditLog,
  createPgNoticeInsights,
  createPgQuestionInsights,
  createPgSessionRetention,
  createPgSubscriberDirectory,
  createPgWebSignIn,
} from "./web.js";

/** The ports on a pool; `close` ends the pool. */
export function postgresStorage(pg: Pg, now: () => Date = () => new Date()): Storage & { pg: Pg } {
  return {
    pg,
    questions: createPgQuestionLog(pg, now),
    feedback: createPgFeedback(pg),
    subscriptions: createPgSubscriptions(pg, now),
    notices: createPgNotices(pg),
    lease: createPgLease(pg),
    usage: createPgUsageCounter(pg, now),
    sessions: createPgSessions(pg, now),
    claims: createPgClaims(pg),
    rateLimits: createPgRateLimits(pg),
    knowledge: createPgKnowledgeVersions(pg),
    async ping() {
      await pg.one("SELECT 1");
      return { backend: "postgres" };
    },
    webSignIn: createPgWebSignIn(pg),
    audit: createPgAuditLog(pg),
    questionInsights: createPgQuestionInsights(pg),
    subscriberDirectory: createPgSubscriberDirectory(pg),
    noticeInsights: createPgNoticeInsights(pg),
    sessionRetention: createPgSessionRetention(pg),
    study: createPgStudy(pg),
    quizzes: createPgQuizzes(pg),
    close: () => pg.pool.end(),
  };
}

/** Connects to `url`, brings the schema up to date (waiting for another instance doing it) and returns the ports. */
export async function openPostgresStorage(
  url: string,
  options: Partial<PoolOptions> = {},
  now?: () => Date,
): Promise<Storage & { pg: Pg }> {
  const pg = createPg(url, options);
  try {
    await migratePostgres(pg);
  } catch (err) {
    await pg.pool.end().catch(() => undefined);
    throw err;
  }
  return postgresStorage(pg, now);
}
