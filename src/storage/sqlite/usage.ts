/** Messages sent per channel and month on SQLite (table `usage`). */
import { monthOf } from "../months.js";
import type { UsageCounter } from "../ports.js";
import type { Db } from "./database.js";

export function createSqliteUsageCounter(db: Db, now: () => Date = () => new Date()): UsageCounter {
  const add = db.prepare(
    "INSERT INTO usage (channel, month, sent) VALUES (?, ?, ?) ON CONFLICT (channel, month) DO UPDATE SET sent = sent + excluded.sent",
  );
  const get = db.prepare("SELECT sent FROM usage WHERE channel = ? AND month = ?");
  return {
    add: async (channel, n = 1) => {
      add.run(channel, monthOf(now()), n);
    },
    used: async (channel) => (get.get(channel, monthOf(now())) as { sent: number } | undefined)?.sent ?? 0,
  };
}
