/**
 * A per-key sliding-window rate limiter: in memory (one process serves all channels), or kept in
 * the database so that every instance behind one webhook address counts the same questions.
 */
import type { RateLimitStore } from "../storage/ports.js";

export interface RateLimiter {
  /** Takes one unit for `key`: 0 when allowed, else milliseconds until the next one is. */
  take(key: string): number | Promise<number>;
}

/**
 * The limiter shared through `store`; when the database cannot be reached, this process's
 * own limiter decides (a question is never refused because of the database). `onError` hears of
 * an outage at most once a minute (with how many failures it stands for), not once per question.
 */
export function createSharedRateLimiter(
  store: RateLimitStore,
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
  onError?: (err: unknown, failures: number) => void,
): RateLimiter {
  const local = createRateLimiter(limit, windowMs, now);
  let quietUntil = 0;
  let failures = 0;
  return {
    async take(key) {
      try {
        return await store.take(key, limit, windowMs, now());
      } catch (err) {
        failures += 1;
        if (now() >= quietUntil) {
          onError?.(err, failures);
          failures = 0;
          quietUntil = now() + 60_000;
        }
        return local.take(key);
      }
    },
  };
}

/** The in-memory limiter. */
export function createRateLimiter(
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
): RateLimiter {
  const hits = new Map<string, number[]>();
  let sweepAt = now() + windowMs;
  return {
    take(key) {
      const t = now();
      if (t >= sweepAt) {
        // Forget keys idle for a whole window so the map does not grow without bound.
        for (const [k, times] of hits) if ((times[times.length - 1] ?? 0) <= t - windowMs) hits.delete(k);
        sweepAt = t + windowMs;
      }
      const times = (hits.get(key) ?? []).filter((x) => x > t - windowMs);
      if (times.length >= limit) {
        hits.set(key, times);
        return (times[0] ?? t) + windowMs - t;
      }
      times.push(t);
      hits.set(key, times);
      return 0;
    },
  };
}
