/** Messages sent per channel and month, for platforms that cap them (Zalo's free plan). */
import type { Db } from "./database.js";

export interface UsageCounter {
  add(channel: string, n?: number): void;
  used(channel: string): number;
}

/** The month an instant falls in, in Vietnam's time ("2026-11"). */
export function monthOf(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 7);
}

/** Milliseconds from `d` to the start of the next month, in Vietnam's time. */
export function untilNextMonth(d: Date): number {
  const v = new Date(d.getTime() + 7 * 3600_000);
  const next = Date.UTC(v.getUTCFullYear(), v.getUTCMonth() + 1, 1) - 7 * 3600_000;
  return next - d.getTime();
}

export function createUsageCounter(db: Db, now: () => Date = () => new Date()): UsageCounter {
  const add = db.prepare(
    "INSERT INTO usage (channel, month, sent) VALUES (?, ?, ?) ON CONFLICT (channel, month) DO UPDATE SET sent = sent + excluded.sent",
  );
  const get = db.prepare("SELECT sent FROM usage WHERE channel = ? AND month = ?");
  return {
    add: (channel, n = 1) => {
      add.run(channel, monthOf(now()), n);
    },
    used: (channel) => (get.get(channel, monthOf(now())) as { sent: number } | undefined)?.sent ?? 0,
  };
}
