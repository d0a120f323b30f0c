/** Messages sent per channel and month on PostgreSQL (table `usage`). */
import { monthOf } from "../months.js";
import type { UsageCounter } from "../ports.js";
import type { Pg } from "./pool.js";

/** Per-month counters for platforms that cap messages. */
export function createPgUsageCounter(pg: Pg, now: () => Date = () => new Date()): UsageCounter {
  return {
    async add(channel, n = 1) {
      await pg.run(
        "INSERT INTO usage (channel, month, sent) VALUES ($1, $2, $3) ON CONFLICT (channel, month) DO UPDATE SET sent = usage.sent + excluded.sent",
        [channel, monthOf(now()), n],
      );
    },
    used: async (channel) =>
      (
        await pg.one<{ sent: number }>("SELECT sent FROM usage WHERE channel = $1 AND month = $2", [
          channel,
          monthOf(now()),
        ])
      )?.sent ?? 0,
  };
}
