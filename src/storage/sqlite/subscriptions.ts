/** Subscriptions on SQLite (table `subscriptions`): rows kept when a chat leaves, marked inactive. */
import type { Subscription, SubscriptionStore } from "../ports.js";
import type { Db } from "./database.js";

export function createSqliteSubscriptions(db: Db, now: () => Date = () => new Date()): SubscriptionStore {
  const get = db.prepare("SELECT * FROM subscriptions WHERE channel = ? AND chat_id = ?");
  const insert = db.prepare(
    `INSERT INTO subscriptions (channel, chat_id, chat_type, title, active, subscribed_at, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?)`,
  );
  const setActive = db.prepare(
    "UPDATE subscriptions SET active = ?, inactive_reason = ?, updated_at = ?, title = coalesce(?, title) WHERE channel = ? AND chat_id = ?",
  );
  return {
    async subscribe({ channel, chatId, chatType, title }) {
      const t = now().toISOString();
      const existing = toSub(get.get(channel, chatId) as Record<string, unknown> | undefined);
      if (!existing) {
        insert.run(channel, chatId, chatType, title ?? null, t, t);
        return "new";
      }
      if (existing.active) return "already";
      setActive.run(1, null, t, title ?? null, channel, chatId);
      return "again";
    },
    async unsubscribe(channel, chatId) {
      return setActive.run(0, "unsubscribed", now().toISOString(), null, channel, chatId).changes > 0;
    },
    get: async (channel, chatId) => toSub(get.get(channel, chatId) as Record<string, unknown> | undefined),
    async deactivate(channel, chatId, reason) {
      return (
        db
          .prepare(
            "UPDATE subscriptions SET active = 0, inactive_reason = ?, updated_at = ? WHERE channel = ? AND chat_id = ? AND active = 1",
          )
          .run(reason, now().toISOString(), channel, chatId).changes > 0
      );
    },
    async reactivate(channel, chatId, reason) {
      return (
        db
          .prepare(
            "UPDATE subscriptions SET active = 1, inactive_reason = NULL, updated_at = ? WHERE channel = ? AND chat_id = ? AND active = 0 AND inactive_reason = ?",
          )
          .run(now().toISOString(), channel, chatId, reason).changes > 0
      );
    },
    async migrate(channel, from, to) {
      return db.transaction(() => {
        if (get.get(channel, to)) {
          db.prepare("DELETE FROM subscriptions WHERE channel = ? AND chat_id = ?").run(channel, from);
          return true;
        }
        return (
          db
            .prepare(
              "UPDATE subscriptions SET chat_id = ?, chat_type = 'group', updated_at = ? WHERE channel = ? AND chat_id = ?",
            )
            .run(to, now().toISOString(), channel, from).changes > 0
        );
      })();
    },
    async counts() {
      return db
        .prepare(
          `SELECT channel, chat_type AS chatType, sum(active) AS active, sum(1 - active) AS inactive
           FROM subscriptions GROUP BY channel, chat_type ORDER BY channel, chat_type`,
        )
        .all() as { channel: string; chatType: string; active: number; inactive: number }[];
    },
    async countActive(channels) {
      if (!channels)
        return (db.prepare("SELECT count(*) AS n FROM subscriptions WHERE active = 1").get() as { n: number })
          .n;
      const placeholders = channels.map(() => "?").join(",") || "NULL";
      return (
        db
          .prepare(
            `SELECT count(*) AS n FROM subscriptions WHERE active = 1 AND channel IN (${placeholders})`,
          )
          .get(...channels) as { n: number }
      ).n;
    },
  };
}

/** A row of `subscriptions` as the ports return it. */
export function toSub(r: Record<string, unknown> | undefined): Subscription | undefined {
  return (
    r && {
      channel: r.channel as string,
      chatId: r.chat_id as string,
      chatType: r.chat_type as "private" | "group",
      title: (r.title as string | null) ?? null,
      active: r.active === 1,
      subscribedAt: r.subscribed_at as string,
      updatedAt: r.updated_at as string,
      inactiveReason: (r.inactive_reason as string | null) ?? null,
    }
  );
}
