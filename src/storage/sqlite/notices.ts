/**
 * Notices and deliveries on SQLite (tables `broadcasts` and `deliveries`): queueing and
 * cancelling are one transaction each; a claim is one UPDATE … RETURNING, so two workers never
 * claim the same delivery.
 */
import type { Broadcast, BroadcastCounts, BroadcastStatus, Delivery, NoticeStore } from "../ports.js";
import type { Db } from "./database.js";

const list = (values: readonly unknown[]) => values.map(() => "?").join(",") || "NULL";

export function createSqliteNotices(db: Db): NoticeStore {
  const get = db.prepare("SELECT * FROM broadcasts WHERE id = ?");
  const countFor = db.prepare(
    `SELECT count(*) AS total,
            sum(status IN ('pending', 'sending')) AS pending, sum(status = 'sent') AS sent,
            sum(status = 'failed') AS failed, sum(status = 'blocked') AS blocked, sum(status = 'cancelled') AS cancelled
     FROM deliveries WHERE broadcast_id = ?`,
  );
  const claim = db.prepare(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = @t
     WHERE rowid = (
       SELECT d.rowid FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
       WHERE d.status = 'pending' AND d.next_at <= @now AND d.channel = @channel AND b.status IN ('queued', 'running')
       ORDER BY d.broadcast_id, d.rowid LIMIT 1)
     RETURNING broadcast_id AS broadcastId, channel, chat_id AS chatId, chat_type AS chatType, attempts`,
  );
  const settle = db.prepare(
    "UPDATE deliveries SET status = ?, error = ?, next_at = ?, updated_at = ? WHERE broadcast_id = ? AND channel = ? AND chat_id = ?",
  );
  const counts = (id: number) => toCounts(countFor.get(id));
  const all = (sql: string, ...params: unknown[]) =>
    (db.prepare(sql).all(...params) as unknown[]).map((r) => toBroadcast(r) as Broadcast);

  const queue = db.transaction(
    (
      id: number,
      channels: readonly string[],
      report: { chat: string; message?: string } | undefined,
      at: string,
    ) => {
      const b = toBroadcast(get.get(id));
      if (!b || (b.status !== "draft" && b.status !== "scheduled")) return false;
      db.prepare(
        `INSERT OR IGNORE INTO deliveries (broadcast_id, channel, chat_id, chat_type, status, updated_at)
         SELECT ?, channel, chat_id, chat_type, 'pending', ? FROM subscriptions WHERE active = 1 AND channel IN (${list(channels)})`,
      ).run(id, at, ...channels);
      db.prepare(
        "UPDATE broadcasts SET status = 'queued', report_chat = ?, report_message = ? WHERE id = ?",
      ).run(report ? report.chat : b.reportChat, report ? (report.message ?? null) : b.reportMessage, id);
      return true;
    },
  );
  const cancel = db.transaction((id: number, at: string) => {
    const changed = db
      .prepare(
        "UPDATE broadcasts SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('draft', 'scheduled', 'queued', 'running')",
      )
      .run(at, id).changes;
    db.prepare(
      "UPDATE deliveries SET status = 'cancelled', updated_at = ? WHERE broadcast_id = ? AND status = 'pending'",
    ).run(at, id);
    return changed > 0;
  });

  return {
    async create(text, createdBy, at) {
      const r = db
        .prepare("INSERT INTO broadcasts (text, created_by, created_at, status) VALUES (?, ?, ?, 'draft')")
        .run(text, createdBy, at);
      return Number(r.lastInsertRowid);
    },
    get: async (id) => toBroadcast(get.get(id)),
    queue: async (id, channels, report, at) => queue(id, channels, report, at),
    async schedule(id, when) {
      return (
        db
          .prepare(
            "UPDATE broadcasts SET status = 'scheduled', scheduled_for = ? WHERE id = ? AND status = 'draft'",
          )
          .run(when, id).changes > 0
      );
    },
    cancel: async (id, at) => cancel(id, at),
    counts: async (id) => counts(id),
    scheduled: async () => all("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY scheduled_for"),
    byCreator: async (createdBy, statuses: readonly BroadcastStatus[]) =>
      all(
        `SELECT * FROM broadcasts WHERE created_by = ? AND status IN (${list(statuses)}) ORDER BY id`,
        createdBy,
        ...statuses,
      ),
    recent: async (limit, options) =>
      all(
        `SELECT * FROM broadcasts WHERE status != 'draft'${options?.withoutLessons ? " AND created_by NOT LIKE 'study:%'" : ""} ORDER BY id DESC LIMIT ?`,
        limit,
      ).map((b) => ({
        ...b,
        counts: counts(b.id),
      })),
    async startQueued(at) {
      db.prepare("UPDATE broadcasts SET status = 'running', started_at = ? WHERE status = 'queued'").run(at);
    },
    running: async () => all("SELECT * FROM broadcasts WHERE status = 'running'"),
    async finish(id, at) {
      db.prepare(
        "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'",
      ).run(at, id);
    },
    async resumeSending(at) {
      return db
        .prepare("UPDATE deliveries SET status = 'pending', updated_at = ? WHERE status = 'sending'")
        .run(at).changes;
    },
    claim: async (channel, nowMs, at) => claim.get({ t: at, now: nowMs, channel }) as Delivery | undefined,
    async settle(d, outcome, at) {
      settle.run(outcome.status, outcome.error, outcome.nextAtMs, at, d.broadcastId, d.channel, d.chatId);
    },
    async hasWork() {
      return (
        (
          db
            .prepare(
              "SELECT count(*) AS n FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id WHERE d.status IN ('pending', 'sending') AND b.status IN ('queued', 'running')",
            )
            .get() as { n: number }
        ).n > 0 ||
        db.prepare("SELECT 1 FROM broadcasts WHERE status IN ('queued', 'running')").get() !== undefined
      );
    },
  };
}

function toBroadcast(r: unknown): Broadcast | undefined {
  if (!r) return undefined;
  const x = r as Record<string, unknown>;
  return {
    id: x.id as number,
    text: x.text as string,
    createdBy: x.created_by as string,
    createdAt: x.created_at as string,
    status: x.status as BroadcastStatus,
    scheduledFor: (x.scheduled_for as string | null) ?? null,
    startedAt: (x.started_at as string | null) ?? null,
    finishedAt: (x.finished_at as string | null) ?? null,
    reportChat: (x.report_chat as string | null) ?? null,
    reportMessage: (x.report_message as string | null) ?? null,
  };
}

function toCounts(r: unknown): BroadcastCounts {
  const x = (r ?? {}) as Record<string, number | null>;
  return {
    total: x.total ?? 0,
    pending: x.pending ?? 0,
    sent: x.sent ?? 0,
    failed: x.failed ?? 0,
    blocked: x.blocked ?? 0,
    cancelled: x.cancelled ?? 0,
  };
}
