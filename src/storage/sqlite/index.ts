/** The SQLite backend: every storage port on one database file. */
import type { Storage } from "../ports.js";
import { createSqliteClaims } from "./claims.js";
import { type Db, openDatabase } from "./database.js";
import { createSqliteKnowledgeVersions } from "./knowledge-versions.js";
import { createSqliteLease } from "./lease.js";
import { createSqliteNotices } from "./notices.js";
import { createSqliteFeedback, createSqliteQuestionLog } from "./question-log.js";
import { createSqliteRateLimits } from "./rate-limits.js";
import { createSqliteSessions } from "./sessions.js";
import { createSqliteQuizzes, createSqliteStudy } from "./study.js";
import { createSqliteSubscriptions } from "./subscriptions.js";
import { createSqliteUsageCounter } from "./usage.js";
import {
  createSqliteAuditLog,
  createSqliteNoticeInsights,
  createSqliteQuestionInsights,
  createSqliteSessionRetention,
  createSqliteSubscriberDirectory,
  createSqliteWebSignIn,
} from "./web.js";

/** The ports on an open database; `close` closes it. */
export function sqliteStorage(db: Db, now: () => Date = () => new Date()): Storage & { db: Db } {
  return {
    db,
    questions: createSqliteQuestionLog(db, now),
    feedback: createSqliteFeedback(db),
    subscriptions: createSqliteSubscriptions(db, now),
    notices: createSqliteNotices(db),
    lease: createSqliteLease(db),
    usage: createSqliteUsageCounter(db, now),
    sessions: createSqliteSessions(db, now),
    webSignIn: createSqliteWebSignIn(db),
    audit: createSqliteAuditLog(db),
    questionInsights: createSqliteQuestionInsights(db),
    subscriberDirectory: createSqliteSubscriberDirectory(db),
    noticeInsights: createSqliteNoticeInsights(db),
    sessionRetention: createSqliteSessionRetention(db),
    study: createSqliteStudy(db),
    quizzes: createSqliteQuizzes(db),
    claims: createSqliteClaims(db),
    rateLimits: createSqliteRateLimits(db),
    knowledge: createSqliteKnowledgeVersions(db),
    ping: async () => {
      db.prepare("SELECT 1").get();
      return { backend: "sqlite" };
    },
    close: async () => {
      db.close();
    },
  };
}

/** Opens (creating and migrating if needed) the database file at `path` (or ":memory:"). */
export function openSqliteStorage(path: string, now?: () => Date): Storage & { db: Db } {
  return sqliteStorage(openDatabase(path), now);
}
