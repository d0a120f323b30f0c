/**
 * Shared rate limits on PostgreSQL (table `rate_limits`, the key's recent hits as bigint[]): one
 * INSERT … ON CONFLICT DO UPDATE per take, which locks the key's row, so instances never both
 * take a user's last question, in one round trip.
 */
import type { RateLimitStore } from "../ports.js";
import type { Pg } from "./pool.js";

// $1 key, $2 limit, $3 window (ms), $4 now (ms). The same rule as ../rate-window.ts.
const TAKE = `
  INSERT INTO rate_limits AS r (key, hits, allowed) VALUES ($1, ARRAY[$4::bigint], true)
  ON CONFLICT (key) DO UPDATE SET
    allowed = (SELECT count(*) FROM unnest(r.hits) h WHERE h > $4::bigint - $3) < $2,
    hits = CASE
      WHEN (SELECT count(*) FROM unnest(r.hits) h WHERE h > $4::bigint - $3) < $2
        THEN ARRAY(SELECT h FROM unnest(r.hits) h WHERE h > $4::bigint - $3 ORDER BY h) || $4::bigint
      ELSE ARRAY(SELECT h FROM unnest(r.hits) h WHERE h > $4::bigint - $3 ORDER BY h)
    END
  RETURNING allowed, hits[1] AS oldest`;

/** Sliding-window counters every instance shares. */
export function createPgRateLimits(pg: Pg): RateLimitStore {
  return {
    async take(key, limit, windowMs, nowMs) {
      const row = await pg.one<{ allowed: boolean; oldest: number | null }>(TAKE, [
        key,
        limit,
        windowMs,
        nowMs,
      ]);
      if (!row || row.allowed) return 0;
      return Math.max(1, (row.oldest ?? nowMs) + windowMs - nowMs);
    },
    // The hits are kept in order: the last one is the newest.
    prune: (beforeMs) =>
      pg.run("DELETE FROM rate_limits WHERE coalesce(hits[array_upper(hits, 1)], 0) < $1", [beforeMs]),
  };
}
