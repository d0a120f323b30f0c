/**
 * Subscriptions to announcements: one row per (channel, chat), kept when a chat leaves (marked
 * inactive with the reason) so the history stays true and the same tables serve every channel.
 */
import type { Db } from "./database.js";

export interface Subscription {
  channel: string;
  chatId: string;
  chatType: "private" | "group";
  title: string | null;
  active: boolean;
  subscribedAt: string;
  updatedAt: string;
  inactiveReason: string | null;
}

export interface SubscriptionStore {
  /** "new", "again" (was inactive) or "already". */
  subscribe(s: {
    channel: string;
    chatId: string;
    chatType: "private" | "group";
    title?: string;
  }): "new" | "again" | "already";
  /** True when the chat was subscribed. */
  unsubscribe(channel: string, chatId: string): boolean;
  get(channel: string, chatId: string): Subscription | undefined;
  /** Marks a subscription inactive (blocked, removed from a group…); no-op when there is none. */
  deactivate(channel: string, chatId: string, reason: string): boolean;
  /** Re-activates a subscription made inactive for `reason`; true when it did. */
  reactivate(channel: string, chatId: string, reason: string): boolean;
  /** A group that became a supergroup keeps its subscription under the new id. */
  migrate(channel: string, fromChatId: string, toChatId: string): boolean;
  counts(): { channel: string; chatType: string; active: number; inactive: number }[];
  countActive(): number;
}

export function createSqliteSubscriptions(db: Db, now: () => Date = () => new Date()): SubscriptionStore {
  const get = db.prepare("SELECT * FROM subscriptions WHERE channel = ? AND chat_id = ?");
  const insert = db.prepare(
    `INSERT INTO subscriptions (channel, chat_id, chat_type, title, active, subscribed_at, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?)`,
  );
  const setActive = db.prepare(
    "UPDATE subscriptions SET active = ?, inactive_reason = ?, updated_at = ?, title = coalesce(?, title) WHERE channel = ? AND chat_id = ?",
  );
  const toSub = (r: Record<string, unknown> | undefined): Subscription | undefined =>
    r && {
      channel: r.channel as string,
      chatId: r.chat_id as string,
      chatType: r.chat_type as "private" | "group",
      title: (r.title as string | null) ?? null,
      active: r.active === 1,
      subscribedAt: r.subscribed_at as string,
      updatedAt: r.updated_at as string,
      inactiveReason: (r.inactive_reason as string | null) ?? null,
    };
  return {
    subscribe({ channel, chatId, chatType, title }) {
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
    unsubscribe(channel, chatId) {
      return setActive.run(0, "unsubscribed", now().toISOString(), null, channel, chatId).changes > 0;
    },
    get: (channel, chatId) => toSub(get.get(channel, chatId) as Record<string, unknown> | undefined),
    deactivate(channel, chatId, reason) {
      return (
        db
          .prepare(
            "UPDATE subscriptions SET active = 0, inactive_reason = ?, updated_at = ? WHERE channel = ? AND chat_id = ? AND active = 1",
          )
          .run(reason, now().toISOString(), channel, chatId).changes > 0
      );
    },
    reactivate(channel, chatId, reason) {
      return (
        db
          .prepare(
            "UPDATE subscriptions SET active = 1, inactive_reason = NULL, updated_at = ? WHERE channel = ? AND chat_id = ? AND active = 0 AND inactive_reason = ?",
          )
          .run(now().toISOString(), channel, chatId, reason).changes > 0
      );
    },
    migrate(channel, from, to) {
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
    counts() {
      return db
        .prepare(
          `SELECT channel, chat_type AS chatType, sum(active) AS active, sum(1 - active) AS inactive
           FROM subscriptions GROUP BY channel, chat_type ORDER BY channel, chat_type`,
        )
        .all() as { channel: string; chatType: string; active: number; inactive: number }[];
    },
    countActive() {
      return (db.prepare("SELECT count(*) AS n FROM subscriptions WHERE active = 1").get() as { n: number })
        .n;
    },
  };
}
