/** Subscriptions on PostgreSQL (table `subscriptions`): rows kept when a chat leaves, marked inactive. */
import type { Subscription, SubscriptionStore } from "../ports.js";
import { iso, type Pg } from "./pool.js";

/** Subscriptions to announcements, one per (channel, chat). */
export function createPgSubscriptions(pg: Pg, now: () => Date = () => new Date()): SubscriptionStore {
  const get = async (channel: string, chatId: string) =>
    toSub(await pg.one("SELECT * FROM subscriptions WHERE channel = $1 AND chat_id = $2", [channel, chatId]));
  return {
    async subscribe({ channel, chatId, chatType, title }) {
      const t = now();
      // One statement: nothing returned means the chat was already active (whoever subscribed it).
      const row = await pg.one<{ outcome: "new" | "again" | "already" }>(
        `WITH up AS (
           INSERT INTO subscriptions (channel, chat_id, chat_type, title, active, subscribed_at, updated_at)
           VALUES ($1, $2, $3, $4, true, $5, $5)
           ON CONFLICT (channel, chat_id) DO UPDATE
             SET active = true, inactive_reason = NULL, updated_at = $5, title = coalesce($4, subscriptions.title)
             WHERE NOT subscriptions.active
           RETURNING xmax = 0 AS inserted)
         SELECT CASE WHEN (SELECT inserted FROM up) THEN 'new'
                     WHEN (SELECT count(*) FROM up) > 0 THEN 'again'
                     ELSE 'already' END AS outcome`,
        [channel, chatId, chatType, title ?? null, t],
      );
      return row?.outcome ?? "already";
    },
    unsubscribe: async (channel, chatId) =>
      (await pg.run(
        "UPDATE subscriptions SET active = false, inactive_reason = 'unsubscribed', updated_at = $1 WHERE channel = $2 AND chat_id = $3",
        [now(), channel, chatId],
      )) > 0,
    get,
    deactivate: async (channel, chatId, reason) =>
      (await pg.run(
        "UPDATE subscriptions SET active = false, inactive_reason = $1, updated_at = $2 WHERE channel = $3 AND chat_id = $4 AND active",
        [reason, now(), channel, chatId],
      )) > 0,
    reactivate: async (channel, chatId, reason) =>
      (await pg.run(
        "UPDATE subscriptions SET active = true, inactive_reason = NULL, updated_at = $1 WHERE channel = $2 AND chat_id = $3 AND NOT active AND inactive_reason = $4",
        [now(), channel, chatId, reason],
      )) > 0,
    migrate: (channel, from, to) =>
      pg.tx(async (c) => {
        const target = await pg.one(
          "SELECT 1 FROM subscriptions WHERE channel = $1 AND chat_id = $2 FOR UPDATE",
          [channel, to],
          c,
        );
        if (target) {
          await pg.run("DELETE FROM subscriptions WHERE channel = $1 AND chat_id = $2", [channel, from], c);
          return true;
        }
        return (
          (await pg.run(
            "UPDATE subscriptions SET chat_id = $1, chat_type = 'group', updated_at = $2 WHERE channel = $3 AND chat_id = $4",
            [to, now(), channel, from],
            c,
          )) > 0
        );
      }),
    counts: () =>
      pg.rows<{ channel: string; chatType: string; active: number; inactive: number }>(
        `SELECT channel, chat_type AS "chatType", count(*) FILTER (WHERE active) AS active, count(*) FILTER (WHERE NOT active) AS inactive
         FROM subscriptions GROUP BY channel, chat_type ORDER BY channel, chat_type`,
      ),
    async countActive(channels) {
      const row = channels
        ? await pg.one<{ n: number }>(
            "SELECT count(*) AS n FROM subscriptions WHERE active AND channel = ANY($1::text[])",
            [channels],
          )
        : await pg.one<{ n: number }>("SELECT count(*) AS n FROM subscriptions WHERE active");
      return row?.n ?? 0;
    },
  };
}

export function toSub(r: Record<string, unknown> | undefined): Subscription | undefined {
  return (
    r && {
      channel: r.channel as string,
      chatId: r.chat_id as string,
      chatType: r.chat_type as "private" | "group",
      title: (r.title as string | null) ?? null,
      active: r.active as boolean,
      subscribedAt: iso(r.subscribed_at) as string,
      updatedAt: iso(r.updated_at) as string,
      inactiveReason: (r.inactive_reason as string | null) ?? null,
    }
  );
}
