/**
 * Notices and deliveries on PostgreSQL (tables `broadcasts` and `deliveries`): queueing and
 * cancelling are one transaction each (the notice's row locked); a claim is one UPDATE over a
 * `FOR UPDATE SKIP LOCKED` pick, so workers on several instances never claim the same delivery.
 */
import type { Broadcast, BroadcastCounts, BroadcastStatus, Delivery, NoticeStore } from "../ports.js";
import { iso, type Pg, type Queryable } from "./pool.js";

const COUNTS = `SELECT count(*) AS total,
  count(*) FILTER (WHERE status IN ('pending', 'sending')) AS pending,
  count(*) FILTER (WHERE status = 'sent') AS sent,
  count(*) FILTER (WHERE status = 'failed') AS failed,
  count(*) FILTER (WHERE status = 'blocked') AS blocked,
  count(*) FILTER (WHERE status = 'cancelled') AS cancelled
  FROM deliveries WHERE broadcast_id = $1`;

/** Notices and their deliveries, one per notice and chat. */
export function createPgNotices(pg: Pg): NoticeStore {
  const get = async (id: number, on?: Queryable) =>
    toBroadcast(await pg.one("SELECT * FROM broadcasts WHERE id = $1", [id], on));
  const counts = async (id: number) => toCounts(await pg.one(COUNTS, [id]));
  const all = async (sql: string, params: unknown[] = []) =>
    (await pg.rows(sql, params)).map((r) => toBroadcast(r) as Broadcast);
  return {
    async create(text, createdBy, at) {
      const row = await pg.one<{ id: number }>(
        "INSERT INTO broadcasts (text, created_by, created_at, status) VALUES ($1, $2, $3, 'draft') RETURNING id",
        [text, createdBy, at],
      );
      return (row as { id: number }).id;
    },
    get: (id) => get(id),
    queue: (id, channels, report, at) =>
      pg.tx(async (c) => {
        const b = toBroadcast(await pg.one("SELECT * FROM broadcasts WHERE id = $1 FOR UPDATE", [id], c));
        if (!b || (b.status !== "draft" && b.status !== "scheduled")) return false;
        await pg.run(
          `INSERT INTO deliveries (broadcast_id, channel, chat_id, chat_type, status, updated_at)
           SELECT $1, channel, chat_id, chat_type, 'pending', $2 FROM subscriptions
           WHERE active AND channel = ANY($3::text[]) ORDER BY subscribed_at, chat_id
           ON CONFLICT DO NOTHING`,
          [id, at, channels],
          c,
        );
        await pg.run(
          "UPDATE broadcasts SET status = 'queued', report_chat = $1, report_message = $2 WHERE id = $3",
          [report ? report.chat : b.reportChat, report ? (report.message ?? null) : b.reportMessage, id],
          c,
        );
        return true;
      }),
    schedule: async (id, when) =>
      (await pg.run(
        "UPDATE broadcasts SET status = 'scheduled', scheduled_for = $1 WHERE id = $2 AND status = 'draft'",
        [when, id],
      )) > 0,
    cancel: (id, at) =>
      pg.tx(async (c) => {
        const changed = await pg.run(
          "UPDATE broadcasts SET status = 'cancelled', finished_at = $1 WHERE id = $2 AND status IN ('draft', 'scheduled', 'queued', 'running')",
          [at, id],
          c,
        );
        await pg.run(
          "UPDATE deliveries SET status = 'cancelled', updated_at = $1 WHERE broadcast_id = $2 AND status = 'pending'",
          [at, id],
          c,
        );
        return changed > 0;
      }),
    counts,
    scheduled: () => all("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY scheduled_for, id"),
    byCreator: (createdBy, statuses: readonly BroadcastStatus[]) =>
      all("SELECT * FROM broadcasts WHERE created_by = $1 AND status = ANY($2::text[]) ORDER BY id", [
        createdBy,
        statuses,
      ]),
    async recent(limit, options) {
      const list = await all(
        `SELECT * FROM broadcasts WHERE status != 'draft'${options?.withoutLessons ? " AND created_by NOT LIKE 'study:%'" : ""} ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return Promise.all(list.map(async (b) => ({ ...b, counts: await counts(b.id) })));
    },
    async startQueued(at) {
      await pg.run("UPDATE broadcasts SET status = 'running', started_at = $1 WHERE status = 'queued'", [at]);
    },
    running: () => all("SELECT * FROM broadcasts WHERE status = 'running' ORDER BY id"),
    async finish(id, at) {
      await pg.run(
        "UPDATE broadcasts SET status = 'done', finished_at = $1 WHERE id = $2 AND status = 'running'",
        [at, id],
      );
    },
    resumeSending: (at) =>
      pg.run("UPDATE deliveries SET status = 'pending', updated_at = $1 WHERE status = 'sending'", [at]),
    claim: async (channel, nowMs, at) =>
      pg.one<Delivery>(
        `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, updated_at = $1
         FROM (
           SELECT d2.broadcast_id, d2.channel, d2.chat_id FROM deliveries d2 JOIN broadcasts b ON b.id = d2.broadcast_id
           WHERE d2.status = 'pending' AND d2.channel = $2 AND d2.next_at <= $3 AND b.status IN ('queued', 'running')
           ORDER BY d2.broadcast_id, d2.seq LIMIT 1
           FOR UPDATE OF d2 SKIP LOCKED
         ) pick
         WHERE d.broadcast_id = pick.broadcast_id AND d.channel = pick.channel AND d.chat_id = pick.chat_id
         RETURNING d.broadcast_id AS "broadcastId", d.channel, d.chat_id AS "chatId", d.chat_type AS "chatType", d.attempts`,
        [at, channel, nowMs],
      ),
    async settle(d, outcome, at) {
      await pg.run(
        "UPDATE deliveries SET status = $1, error = $2, next_at = $3, updated_at = $4 WHERE broadcast_id = $5 AND channel = $6 AND chat_id = $7",
        [outcome.status, outcome.error, outcome.nextAtMs, at, d.broadcastId, d.channel, d.chatId],
      );
    },
    async hasWork() {
      // A queued or running notice has work until the worker finishes it (even with no delivery left).
      return (
        (await pg.one("SELECT 1 FROM broadcasts WHERE status IN ('queued', 'running') LIMIT 1")) !== undefined
      );
    },
  };
}

function toBroadcast(r: Record<string, unknown> | undefined): Broadcast | undefined {
  if (!r) return undefined;
  return {
    id: r.id as number,
    text: r.text as string,
    createdBy: r.created_by as string,
    createdAt: iso(r.created_at) as string,
    status: r.status as BroadcastStatus,
    scheduledFor: iso(r.scheduled_for),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    reportChat: (r.report_chat as string | null) ?? null,
    reportMessage: (r.report_message as string | null) ?? null,
  };
}

function toCounts(r: Record<string, unknown> | undefined): BroadcastCounts {
  const n = (k: string) => Number(r?.[k] ?? 0);
  return {
    total: n("total"),
    pending: n("pending"),
    sent: n("sent"),
    failed: n("failed"),
    blocked: n("blocked"),
    cancelled: n("cancelled"),
  };
}
