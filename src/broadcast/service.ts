/**
 * Broadcasts: an administrator's notice delivered once to every subscribed chat.
 *
 * The rules, the worker loop and the pacing live here; what is kept goes through the storage
 * ports (NoticeStore, LeaseStore, SubscriptionStore). One delivery per (broadcast, chat), unique.
 * The worker claims one at a time just before sending it (status `sending`), and marks it `sent`,
 * `blocked`, `failed`, or back to `pending` for a retry. A process killed at any moment resumes from the rows: those left
 * `sending` were in flight at the kill and are sent again (the only possible duplicates, at most
 * the worker's concurrency). One worker sends at a time across processes (a lease in the
 * database), so the bot and `npm run broadcast` never exceed the platform's rate together; with
 * several instances, the one holding the lease renews it by a heartbeat, and when its process
 * dies another takes over once the lease expires (seconds), resending only what was in flight.
 */
import { hostname } from "node:os";
import { errorSummary, type Logger } from "../logger.js";
import type {
  Broadcast,
  BroadcastCounts,
  BroadcastStatus,
  Delivery,
  LeaseStore,
  NoticeStore,
  SubscriptionStore,
} from "../storage/ports.js";
import { createPacer, type Pacer, type PacerLimits } from "./rate-limit.js";

export type SendResult =
  | { ok: true }
  | { ok: false; kind: "retry"; afterMs: number; reason: string }
  | { ok: false; kind: "blocked"; reason: string }
  | { ok: false; kind: "failed"; reason: string }
  | { ok: false; kind: "transient"; reason: string };

/**
 * What a delivery may carry beside its text (a study lesson's check question): sent as a quiz
 * poll where the platform has them (Telegram), else as `plain`, the question with numbered options.
 */
export interface DeliveryExtra {
  question?: { question: string; options: string[]; correct: number; explanation: string; plain: string };
}

/** How the worker reaches one channel. `take` must be awaited before each message sent. */
export interface ChannelSender {
  readonly channel: string;
  readonly limits: PacerLimits;
  send(
    chatId: string,
    chatType: "private" | "group",
    text: string,
    take: () => Promise<void>,
    extra?: DeliveryExtra,
  ): Promise<SendResult>;
}

export interface BroadcastService {
  /** A draft to preview; nothing is sent until `confirm`. */
  draft(text: string, createdBy: string): Promise<{ id: number; recipients: number }>;
  /** Queues the deliveries (one per active subscription of a configured channel). */
  confirm(id: number, report?: { chat: string; message?: string }): Promise<boolean>;
  schedule(id: number, when: Date): Promise<boolean>;
  /** Cancels a draft, a schedule or a running broadcast (pending deliveries are dropped). */
  cancel(id: number): Promise<boolean>;
  get(id: number): Promise<Broadcast | undefined>;
  counts(id: number): Promise<BroadcastCounts>;
  recipients(): Promise<number>;
  scheduled(): Promise<Broadcast[]>;
  /** Notices made by `createdBy` that are in one of `statuses`, oldest first. */
  pendingOf(createdBy: string, statuses: readonly BroadcastStatus[]): Promise<Broadcast[]>;
  recent(
    limit: number,
    options?: { withoutLessons?: boolean },
  ): Promise<(Broadcast & { counts: BroadcastCounts })[]>;
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
  /** What a delivery carries beside its notice's text (study lessons: the check question). */
  extraFor?: (d: Delivery, b: Broadcast | undefined) => Promise<DeliveryExtra | undefined>;
  /** Told each delivery's outcome once it is written (study: a blocked chat leaves its series). */
  afterDelivery?: (d: Delivery, result: SendResult) => Promise<void>;
  /**
   * How long the worker lease lasts without renewal (default 6 s). A heartbeat renews it every
   * third of that while the worker holds it, so another instance takes over within about this
   * long when the holder's process dies; a holder that cannot renew stops claiming before its
   * lease can expire.
   */
  leaseMs?: number;
}

export interface Worker {
  /** Runs until `stop()`; resolves when stopped and in-flight sends are done. */
  run(): Promise<void>;
  /** Runs until no broadcast has work left (the command-line tool). */
  drain(): Promise<void>;
  stop(): void;
  /** Deliveries found `sending` at start-up: in flight when the previous process died. */
  readonly resumedInFlight: number;
  /** Whether this worker holds the lease now (the one instance sending broadcasts). */
  readonly holdsLease: boolean;
}

/** The notices' rules over the storage: a draft first, deliveries only on the configured channels. */
export function createBroadcastService(
  store: { notices: NoticeStore; subscriptions: SubscriptionStore },
  channels: readonly string[],
  now: () => Date = () => new Date(),
): BroadcastService {
  const { notices } = store;
  const at = () => now().toISOString();
  const service: BroadcastService = {
    async draft(text, createdBy) {
      const id = await notices.create(text, createdBy, at());
      return { id, recipients: await service.recipients() };
    },
    confirm: (id, report) => notices.queue(id, channels, report, at()),
    schedule: (id, when) => notices.schedule(id, when.toISOString()),
    cancel: (id) => notices.cancel(id, at()),
    get: (id) => notices.get(id),
    counts: (id) => notices.counts(id),
    recipients: () => store.subscriptions.countActive(channels),
    scheduled: () => notices.scheduled(),
    pendingOf: (createdBy, statuses) => notices.byCreator(createdBy, statuses),
    recent: (limit, options) => notices.recent(limit, options),
  };
  return service;
}

/** The delivery worker for the given channel senders. */
export function createWorker(
  deps: {
    notices: NoticeStore;
    lease: LeaseStore;
    senders: readonly ChannelSender[];
    subscriptions: SubscriptionStore;
    service: BroadcastService;
    logger: Logger;
  },
  options: WorkerOptions = {},
  now: () => number = Date.now,
): Worker {
  const { notices, logger } = deps;
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
  const resume = async () => {
    const n = await notices.resumeSending(iso());
    resumedInFlight += n;
    if (n > 0) logger.warn({ deliveries: n }, "tiếp tục gửi các tin đang gửi dở khi tiến trình trước dừng");
  };

  const LEASE = "broadcast-worker";
  const leaseMs = options.leaseMs ?? 6_000;
  // Until when this worker may claim: a third of the lease before it would expire unrenewed,
  // so a delivery is never claimed by a holder another instance may already have replaced.
  let claimUntil = 0;
  const holdLease = async () => {
    const t = now();
    const ok = await deps.lease.hold(LEASE, holder, t + leaseMs, t);
    claimUntil = ok ? t + (leaseMs * 2) / 3 : 0;
    return ok;
  };
  // The heartbeat renews the lease while the loop waits on slow sends (a pacer, a retry_after).
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const beat = () => {
    heartbeat ??= setInterval(
      () => {
        if (!leased) return;
        holdLease().then(
          (ok) => {
            if (!ok && leased) {
              leased = false;
              logger.warn("mất quyền gửi thông báo cho một tiến trình khác, ngừng nhận tin mới để gửi");
            }
          },
          (err: unknown) => logger.warn({ err: errorSummary(err) }, "không gia hạn được quyền gửi thông báo"),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref?.();
  };
  const stopBeat = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  const startDue = async () => {
    for (const b of await deps.service.scheduled()) {
      if (b.scheduledFor && Date.parse(b.scheduledFor) <= now()) {
        await deps.service.confirm(b.id);
        logger.info({ broadcast: b.id }, "đến giờ hẹn, bắt đầu gửi thông báo");
      }
    }
    await notices.startQueued(iso());
  };

  const report = async (force: boolean) => {
    for (const b of await notices.running()) {
      const c = await deps.service.counts(b.id);
      const done = c.pending === 0;
      if (done) await notices.finish(b.id, iso());
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

  const deliver = async (row: Delivery) => {
    const sender = senders.get(row.channel) as ChannelSender;
    const pacer = pacers.get(row.channel) as Pacer;
    const b = await deps.service.get(row.broadcastId);
    let result: SendResult;
    try {
      const extra = await options.extraFor?.(row, b);
      result = await sender.send(
        row.chatId,
        row.chatType,
        b?.text ?? "",
        () => pacer.take(`${row.channel}:${row.chatId}`, row.chatType === "group"),
        extra,
      );
    } catch (err) {
      result = { ok: false, kind: "transient", reason: (err as Error).message };
    }
    const settle = (status: "sent" | "pending" | "blocked" | "failed", error: string | null, nextAtMs = 0) =>
      notices.settle(row, { status, error, nextAtMs }, iso());
    if (result.ok) await settle("sent", null);
    else if (result.kind === "retry") {
      pacer.pause(result.afterMs);
      await settle("pending", result.reason, now() + result.afterMs);
    } else if (result.kind === "blocked") {
      await settle("blocked", result.reason);
      await deps.subscriptions.deactivate(row.channel, row.chatId, "blocked");
    } else if (result.kind === "failed" || row.attempts >= maxAttempts) {
      await settle("failed", result.reason);
    } else {
      // 5xx and network errors: back off 2, 4, 8… seconds.
      await settle("pending", result.reason, now() + 1000 * 2 ** row.attempts);
    }
    await options
      .afterDelivery?.(row, result)
      .catch((err: unknown) =>
        logger.warn({ err: errorSummary(err) }, "không xử lý được kết quả gửi bài học"),
      );
  };

  const step = async (): Promise<boolean> => {
    await startDue();
    let claimed = false;
    for (const channel of senders.keys()) {
      while (!stopped && leased && now() < claimUntil && inFlight.size < concurrency) {
        const row = await notices.claim(channel, now(), iso());
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

  const hasWork = () => notices.hasWork();

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
        if (!(await holdLease())) {
          leased = false;
          if (untilIdle && !(await hasWork())) break;
          await sleep(idleMs);
          continue;
        }
        if (!leased) {
          // Sends of this process from an earlier hold finish first: they are not the dead
          // holder's, and must not be reset to pending under their feet.
          await Promise.allSettled([...inFlight]);
          leased = true;
          beat();
          await resume();
        }
        const claimed = await step();
        failures = 0;
        if (!claimed) {
          if (inFlight.size > 0) await Promise.race(inFlight);
          else if (untilIdle && !(await hasWork())) break;
          else await sleep(Math.min(idleMs, 200));
        }
      } catch (err) {
        await databaseError(err);
      }
    }
    await Promise.allSettled([...inFlight]);
    stopBeat();
    await report(true).catch((err: unknown) =>
      logger.error({ err: errorSummary(err) }, "không ghi được tiến độ gửi thông báo"),
    );
    try {
      await deps.lease.release(LEASE, holder);
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
    get holdsLease() {
      return leased && now() < claimUntil + leaseMs / 3;
    },
  };
}
