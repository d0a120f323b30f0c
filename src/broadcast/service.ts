/**
 * Broadcasts: an administrator's notice delivered once to every subscribed chat.
 *
 * One delivery row per (broadcast, chat), unique, in the database. The worker claims one row at
 * a time just before sending it (status `sending`), and marks it `sent`, `blocked`, `failed`, or
 * back to `pending` for a retry. A process killed at any moment resumes from the rows: those left
 * `sending` were in flight at the kill and are sent again (the only possible duplicates, at most
 * the worker's concurrency). One worker sends at a time across processes (a lease in the
 * database), so the bot and `npm run broadcast` never exceed the platform's rate together.
 */
import { hostname } from "node:os";
import { errorSummary, type Logger } from "../logger.js";
import type { Db } from "../storage/database.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { createPacer, type Pacer, type PacerLimits } from "./rate-limit.js";

export type SendResult =
  | { ok: true }
  | { ok: false; kind: "retry"; afterMs: number; reason: string }
  | { ok: false; kind: "blocked"; reason: string }
  | { ok: false; kind: "failed"; reason: string }
  | { ok: false; kind: "transient"; reason: string };

/** How the worker reaches one channel. `take` must be awaited before each message sent. */
export interface ChannelSender {
  readonly channel: string;
  readonly limits: PacerLimits;
  send(
    chatId: string,
    chatType: "private" | "group",
    text: string,
    take: () => Promise<void>,
  ): Promise<SendResult>;
}

export type BroadcastStatus = "draft" | "scheduled" | "queued" | "running" | "done" | "cancelled";

export interface Broadcast {
  id: number;
  text: string;
  createdBy: string;
  createdAt: string;
  status: BroadcastStatus;
  scheduledFor: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  reportChat: string | null;
  reportMessage: string | null;
}

export interface BroadcastCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  blocked: number;
  cancelled: number;
}

export interface BroadcastService {
  /** A draft to preview; nothing is sent until `confirm`. */
  draft(text: string, createdBy: string): { id: number; recipients: number };
  /** Queues the deliveries (one per active subscription of a configured channel). */
  confirm(id: number, report?: { chat: string; message: string }): boolean;
  schedule(id: number, when: Date): boolean;
  /** Cancels a draft, a schedule or a running broadcast (pending deliveries are dropped). */
  cancel(id: number): boolean;
  get(id: number): Broadcast | undefined;
  counts(id: number): BroadcastCounts;
  recipients(): number;
  scheduled(): Broadcast[];
  /** Notices made by `createdBy` that are in one of `statuses`, oldest first. */
  pendingOf(createdBy: string, statuses: readonly BroadcastStatus[]): Broadcast[];
  recent(limit: number): (Broadcast & { counts: BroadcastCounts })[];
}

export interface WorkerOptions {
  concurrency?: number;
  maxAttempts?: number;
  /** Called at most every `progressEveryMs` while a broadcast runs, and once when it ends. */
  onProgress?: (b: Broadcast, c: BroadcastCounts, finished: boolean) => void | Promise<void>;
  progressEveryMs?: number;
  idleMs?: number;
  /** First wait after a database error (doubled at each further one, at most a minute). */
  errorBackoffMs?: number;
}

export interface Worker {
  /** Runs until `stop()`; resolves when stopped and in-flight sends are done. */
  run(): Promise<void>;
  /** Runs until no broadcast has work left (the command-line tool). */
  drain(): Promise<void>;
  stop(): void;
  /** Deliveries found `sending` at start-up: in flight when the previous process died. */
  readonly resumedInFlight: number;
}

export function createBroadcastService(
  db: Db,
  channels: readonly string[],
  now: () => Date = () => new Date(),
): BroadcastService {
  const get = db.prepare("SELECT * FROM broadcasts WHERE id = ?");
  const placeholders = channels.map(() => "?").join(",") || "NULL";
  const countFor = db.prepare(
    `SELECT count(*) AS total,
            sum(status IN ('pending', 'sending')) AS pending, sum(status = 'sent') AS sent,
            sum(status = 'failed') AS failed, sum(status = 'blocked') AS blocked, sum(status = 'cancelled') AS cancelled
     FROM deliveries WHERE broadcast_id = ?`,
  );
  const service: BroadcastService = {
    draft(text, createdBy) {
      const r = db
        .prepare("INSERT INTO broadcasts (text, created_by, created_at, status) VALUES (?, ?, ?, 'draft')")
        .run(text, createdBy, now().toISOString());
      return { id: Number(r.lastInsertRowid), recipients: service.recipients() };
    },
    confirm(id, report) {
      return db.transaction(() => {
        const b = toBroadcast(get.get(id));
        if (!b || (b.status !== "draft" && b.status !== "scheduled")) return false;
        enqueue(id);
        db.prepare(
          "UPDATE broadcasts SET status = 'queued', report_chat = ?, report_message = ? WHERE id = ?",
        ).run(report?.chat ?? b.reportChat, report?.message ?? b.reportMessage, id);
        return true;
      })();
    },
    schedule(id, when) {
      return (
        db
          .prepare(
            "UPDATE broadcasts SET status = 'scheduled', scheduled_for = ? WHERE id = ? AND status = 'draft'",
          )
          .run(when.toISOString(), id).changes > 0
      );
    },
    cancel(id) {
      return db.transaction(() => {
        const changed = db
          .prepare(
            "UPDATE broadcasts SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('draft', 'scheduled', 'queued', 'running')",
          )
          .run(now().toISOString(), id).changes;
        db.prepare(
          "UPDATE deliveries SET status = 'cancelled', updated_at = ? WHERE broadcast_id = ? AND status = 'pending'",
        ).run(now().toISOString(), id);
        return changed > 0;
      })();
    },
    get: (id) => toBroadcast(get.get(id)),
    counts: (id) => toCounts(countFor.get(id)),
    recipients() {
      return (
        db
          .prepare(
            `SELECT count(*) AS n FROM subscriptions WHERE active = 1 AND channel IN (${placeholders})`,
          )
          .get(...channels) as {
          n: number;
        }
      ).n;
    },
    scheduled() {
      return (
        db
          .prepare("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY scheduled_for")
          .all() as unknown[]
      ).map((r) => toBroadcast(r) as Broadcast);
    },
    pendingOf(createdBy, statuses) {
      return (
        db
          .prepare(
            `SELECT * FROM broadcasts WHERE created_by = ? AND status IN (${statuses.map(() => "?").join(",") || "NULL"}) ORDER BY id`,
          )
          .all(createdBy, ...statuses) as unknown[]
      ).map((r) => toBroadcast(r) as Broadcast);
    },
    recent(limit) {
      return (
        db
          .prepare("SELECT * FROM broadcasts WHERE status != 'draft' ORDER BY id DESC LIMIT ?")
          .all(limit) as unknown[]
      ).map((r) => {
        const b = toBroadcast(r) as Broadcast;
        return { ...b, counts: service.counts(b.id) };
      });
    },
  };
  function enqueue(id: number): void {
    db.prepare(
      `INSERT OR IGNORE INTO deliveries (broadcast_id, channel, chat_id, chat_type, status, updated_at)
       SELECT ?, channel, chat_id, chat_type, 'pending', ? FROM subscriptions WHERE active = 1 AND channel IN (${placeholders})`,
    ).run(id, now().toISOString(), ...channels);
  }
  return service;
}

/** The delivery worker for the given channel senders. */
export function createWorker(
  deps: {
    db: Db;
    senders: readonly ChannelSender[];
    subscriptions: SubscriptionStore;
    service: BroadcastService;
    logger: Logger;
  },
  options: WorkerOptions = {},
  now: () => number = Date.now,
): Worker {
  const { db, logger } = deps;
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 5;
  const idleMs = options.idleMs ?? 500;
  const progressEvery = options.progressEveryMs ?? 3000;
  const senders = new Map(deps.senders.map((s) => [s.channel, s]));
  const pacers = new Map<string, Pacer>(deps.senders.map((s) => [s.channel, createPacer(s.limits, now)]));
  const holder = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const iso = () => new Date(now()).toISOString();
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const lastProgress = new Map<number, number>();

  let resumedInFlight = 0;
  let leased = false;
  // Rows left `sending` belong to the previous lease holder. Taking the lease over means that
  // process is gone (a live one renews it, a stopped one finished its sends): they were in flight
  // when it died, and are sent again.
  const resume = () => {
    const n = db
      .prepare("UPDATE deliveries SET status = 'pending', updated_at = ? WHERE status = 'sending'")
      .run(iso()).changes;
    resumedInFlight += n;
    if (n > 0) logger.warn({ deliveries: n }, "tiếp tục gửi các tin đang gửi dở khi tiến trình trước dừng");
  };

  const lease = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES ('broadcast-worker', @holder, @expires)
     ON CONFLICT (name) DO UPDATE SET holder = @holder, expires_at = @expires
     WHERE leases.holder = @holder OR leases.expires_at < @now`,
  );
  const holdLease = () => lease.run({ holder, expires: now() + 10_000, now: now() }).changes > 0;
  const releaseLease = db.prepare("DELETE FROM leases WHERE name = 'broadcast-worker' AND holder = ?");
  const claim = db.prepare(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = @t
     WHERE rowid = (
       SELECT d.rowid FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
       WHERE d.status = 'pending' AND d.next_at <= @now AND d.channel = @channel AND b.status IN ('queued', 'running')
       ORDER BY d.broadcast_id, d.rowid LIMIT 1)
     RETURNING broadcast_id AS broadcastId, channel, chat_id AS chatId, chat_type AS chatType, attempts`,
  );
  const finish = db.prepare(
    "UPDATE deliveries SET status = ?, error = ?, next_at = ?, updated_at = ? WHERE broadcast_id = ? AND channel = ? AND chat_id = ?",
  );
  const startDue = () => {
    for (const b of deps.service.scheduled()) {
      if (b.scheduledFor && Date.parse(b.scheduledFor) <= now()) {
        deps.service.confirm(b.id);
        logger.info({ broadcast: b.id }, "đến giờ hẹn, bắt đầu gửi thông báo");
      }
    }
    db.prepare("UPDATE broadcasts SET status = 'running', started_at = ? WHERE status = 'queued'").run(iso());
  };
  const active = () =>
    db
      .prepare("SELECT * FROM broadcasts WHERE status = 'running'")
      .all()
      .map((r) => toBroadcast(r) as Broadcast);

  const report = async (force: boolean) => {
    for (const b of active()) {
      const c = deps.service.counts(b.id);
      const done = c.pending === 0;
      if (done) {
        db.prepare(
          "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'",
        ).run(iso(), b.id);
      }
      const last = lastProgress.get(b.id) ?? 0;
      if (done || force || now() - last >= progressEvery) {
        lastProgress.set(b.id, now());
        await Promise.resolve(
          options.onProgress?.({ ...b, status: done ? "done" : b.status }, c, done),
        ).catch((err: unknown) =>
          logger.warn({ err: (err as Error).message }, "không cập nhật được tiến độ"),
        );
      }
    }
  };

  const deliver = async (row: {
    broadcastId: number;
    channel: string;
    chatId: string;
    chatType: "private" | "group";
    attempts: number;
  }) => {
    const sender = senders.get(row.channel) as ChannelSender;
    const pacer = pacers.get(row.channel) as Pacer;
    const b = deps.service.get(row.broadcastId);
    let result: SendResult;
    try {
      result = await sender.send(row.chatId, row.chatType, b?.text ?? "", () =>
        pacer.take(`${row.channel}:${row.chatId}`, row.chatType === "group"),
      );
    } catch (err) {
      result = { ok: false, kind: "transient", reason: (err as Error).message };
    }
    const key = [row.broadcastId, row.channel, row.chatId] as const;
    if (result.ok) finish.run("sent", null, 0, iso(), ...key);
    else if (result.kind === "retry") {
      pacer.pause(result.afterMs);
      finish.run("pending", result.reason, now() + result.afterMs, iso(), ...key);
    } else if (result.kind === "blocked") {
      finish.run("blocked", result.reason, 0, iso(), ...key);
      deps.subscriptions.deactivate(row.channel, row.chatId, "blocked");
    } else if (result.kind === "failed" || row.attempts >= maxAttempts) {
      finish.run("failed", result.reason, 0, iso(), ...key);
    } else {
      // 5xx and network errors: back off 2, 4, 8… seconds.
      finish.run("pending", result.reason, now() + 1000 * 2 ** row.attempts, iso(), ...key);
    }
  };

  const step = async (): Promise<boolean> => {
    startDue();
    let claimed = false;
    for (const channel of senders.keys()) {
      while (!stopped && inFlight.size < concurrency) {
        const row = claim.get({ t: iso(), now: now(), channel }) as Parameters<typeof deliver>[0] | undefined;
        if (!row) break;
        claimed = true;
        // A delivery whose outcome cannot be written stays `sending` until the next resume.
        const p = deliver(row)
          .catch((err: unknown) =>
            logger.error({ err: errorSummary(err) }, "không ghi được kết quả gửi thông báo"),
          )
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    }
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    await report(false);
    return claimed;
  };

  const hasWork = () =>
    (
      db
        .prepare(
          "SELECT count(*) AS n FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id WHERE d.status IN ('pending', 'sending') AND b.status IN ('queued', 'running')",
        )
        .get() as { n: number }
    ).n > 0 ||
    db.prepare("SELECT 1 FROM broadcasts WHERE status IN ('queued', 'running')").get() !== undefined;

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const errorBackoffMs = options.errorBackoffMs ?? 1000;
  let failures = 0;
  /** A database error (a full disk, a locked file) is logged and waited out, never thrown. */
  const databaseError = async (err: unknown) => {
    failures += 1;
    const waitMs = Math.min(errorBackoffMs * 2 ** (failures - 1), 60_000);
    logger.error(
      { err: errorSummary(err), failures, retryInMs: waitMs },
      "lỗi cơ sở dữ liệu khi gửi thông báo, sẽ thử lại",
    );
    await sleep(waitMs);
    // Sends whose outcome could not be written are still `sending`: once the database works
    // again, they go back to pending (resume), as after a crash.
    await Promise.allSettled([...inFlight]);
    leased = false;
  };
  const loop = async (untilIdle: boolean) => {
    while (!stopped) {
      try {
        if (!holdLease()) {
          leased = false;
          if (untilIdle && !hasWork()) break;
          await sleep(idleMs);
          continue;
        }
        if (!leased) {
          leased = true;
          resume();
        }
        const claimed = await step();
        failures = 0;
        if (!claimed) {
          if (inFlight.size > 0) await Promise.race(inFlight);
          else if (untilIdle && !hasWork()) break;
          else await sleep(Math.min(idleMs, 200));
        }
      } catch (err) {
        await databaseError(err);
      }
    }
    await Promise.allSettled([...inFlight]);
    await report(true).catch((err: unknown) =>
      logger.error({ err: errorSummary(err) }, "không ghi được tiến độ gửi thông báo"),
    );
    try {
      releaseLease.run(holder);
    } catch (err) {
      // The lease expires by itself.
      logger.error({ err: errorSummary(err) }, "không trả được quyền gửi thông báo");
    }
  };
  return {
    run: () => loop(false),
    drain: () => loop(true),
    stop() {
      stopped = true;
    },
    get resumedInFlight() {
      return resumedInFlight;
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
