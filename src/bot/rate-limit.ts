/** A per-key sliding-window rate limiter (in memory; one process serves all channels). */

export interface RateLimiter {
  /** Takes one unit for `key`: 0 when allowed, else milliseconds until the next one is. */
  take(key: string): number;
}

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
