/**
 * Shared rate limits on SQLite (table `rate_limits`, the key's recent hits as JSON): read and
 * written in one IMMEDIATE transaction, so processes on the same file never both take the last unit.
 */

import type { RateLimitStore } from "../ports.js";
import { takeFromWindow } from "../rate-window.js";
import type { Db } from "./database.js";

/** Sliding-window counters kept in the database file. */
export function createSqliteRateLimits(db: Db): RateLimitStore {
  const get = db.prepare("SELECT hits FROM rate_limits WHERE key = ?");
  const put = db.prepare(
    "INSERT INTO rate_limits (key, hits) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET hits = excluded.hits",
  );
  const take = db.transaction((key: string, limit: number, windowMs: number, nowMs: number) => {
    const row = get.get(key) as { hits: string } | undefined;
    const { hits, waitMs } = takeFromWindow(
      row ? (JSON.parse(row.hits) as number[]) : [],
      limit,
      windowMs,
      nowMs,
    );
    put.run(key, JSON.stringify(hits));
    return waitMs;
  });
  const prune = db.prepare(
    "DELETE FROM rate_limits WHERE coalesce((SELECT max(value) FROM json_each(hits)), 0) < ?",
  );
  return {
    take: async (key, limit, windowMs, nowMs) => take.immediate(key, limit, windowMs, nowMs),
    prune: async (beforeMs) => prune.run(beforeMs).changes,
  };
}
