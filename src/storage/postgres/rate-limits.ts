/**
 * Shared rate limits on PostgreSQL (table `rate_limits`, the key's recent hits as bigint[]): the
 * key's row is locked for the take, so instances never both take a user's last question.
 */
import type { RateLimitStore } from "../ports.js";
import { takeFromWindow } from "../rate-window.js";
import type { Pg } from "./pool.js";

/** Sliding-window counters every instance shares. */
export function createPgRateLimits(pg: Pg): RateLimitStore {
  return {
    take: (key, limit, windowMs, nowMs) =>
      pg.tx(async (c) => {
        await pg.run(
          "INSERT INTO rate_limits (key, hits) VALUES ($1, '{}') ON CONFLICT DO NOTHING",
          [key],
          c,
        );
        // bigint[] comes back as strings.
        const row = await pg.one<{ hits: string[] }>(
          "SELECT hits FROM rate_limits WHERE key = $1 FOR UPDATE",
          [key],
          c,
        );
        const { hits, waitMs } = takeFromWindow((row?.hits ?? []).map(Number), limit, windowMs, nowMs);
        await pg.run("UPDATE rate_limits SET hits = $2 WHERE key = $1", [key, hits], c);
        return waitMs;
      }),
  };
}
