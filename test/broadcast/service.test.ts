import { describe, expect, it } from "vitest";
import {
  type ChannelSender,
  createBroadcastService,
  createWorker,
  type SendResult,
} from "../../src/broadcast/service.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { createSqliteUsageCounter } from "../../src/storage/sqlite/usage.js";
import { memoryLogger } from "../fakes/memory-logger.js";

/** A sender that records deliveries and answers from a script per chat. */
function fakeSender(script: (chatId: string, attempt: number) => SendResult = () => ({ ok: true })) {
  const delivered: string[] = [];
  const attempts = new Map<string, number>();
  const sender: ChannelSender = {
    channel: "telegram",
    limits: { perSecond: 1000, privateIntervalMs: 0, groupIntervalMs: 0 },
    async send(chatId, _type, _text, take) {
      await take();
      const n = (attempts.get(chatId) ?? 0) + 1;
      attempts.set(chatId, n);
      const r = script(chatId, n);
      if (r.ok) delivered.push(chatId);
      return r;
    },
  };
  return { sender, delivered, attempts };
}

async function setup(chats = 20) {
  const storage = openSqliteStorage(":memory:");
  const { db, subscriptions, notices, lease } = storage;
  for (let i = 1; i <= chats; i++) {
    await subscriptions.subscribe({
      channel: "telegram",
      chatId: String(i),
      chatType: i % 5 === 0 ? "group" : "private",
    });
  }
  const service = createBroadcastService(storage, ["telegram"]);
  return { db, storage, subscriptions, notices, lease, service, logger: memoryLogger().logger };
}

describe("broadcasts", () => {
  it("sends nothing until confirmed, then reaches every active subscriber exactly once", async () => {
    const s = await setup();
    await s.subscriptions.unsubscribe("telegram", "3");
    const { sender, delivered } = fakeSender();
    const { id, recipients } = await s.service.draft("Họp giao ban sáng thứ Hai", "telegram:1");
    expect(recipients).toBe(19);
    await createWorker({ ...s, senders: [sender] }).drain();
    expect(delivered).toEqual([]);
    expect(await s.service.confirm(id)).toBe(true);
    expect(await s.service.confirm(id)).toBe(false);
    const progress: number[] = [];
    await createWorker(
      { ...s, senders: [sender] },
      { onProgress: (_b, c) => void progress.push(c.sent) },
    ).drain();
    expect(delivered.sort()).toEqual([
      "1",
      "10",
      "11",
      "12",
      "13",
      "14",
      "15",
      "16",
      "17",
      "18",
      "19",
      "2",
      "20",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
    ]);
    expect((await s.service.get(id))?.status).toBe("done");
    expect(await s.service.counts(id)).toMatchObject({ total: 19, sent: 19, pending: 0 });
    expect(progress.at(-1)).toBe(19);
  });

  it("marks a chat that blocked the bot, and its subscription inactive; a chat not found fails with the reason", async () => {
    const s = await setup(5);
    const { sender } = fakeSender((chat) =>
      chat === "2"
        ? { ok: false, kind: "blocked", reason: "403 Forbidden: bot was blocked by the user" }
        : chat === "4"
          ? { ok: false, kind: "failed", reason: "400 Bad Request: chat not found" }
          : { ok: true },
    );
    const { id } = await s.service.draft("x", "a");
    await s.service.confirm(id);
    await createWorker({ ...s, senders: [sender] }).drain();
    expect(await s.service.counts(id)).toMatchObject({ sent: 3, blocked: 1, failed: 1 });
    expect(await s.subscriptions.get("telegram", "2")).toMatchObject({
      active: false,
      inactiveReason: "blocked",
    });
    const row = s.db.prepare("SELECT error FROM deliveries WHERE chat_id = '4'").get();
    expect(row).toEqual({ error: "400 Bad Request: chat not found" });
  });

  it("waits out a 429 and retries 5xx with backoff until delivered, or gives up after its attempts", async () => {
    const s = await setup(3);
    let clock = 1_000_000;
    const { sender, attempts } = fakeSender((chat, n) => {
      if (chat === "1" && n === 1) return { ok: false, kind: "retry", afterMs: 1000, reason: "429" };
      if (chat === "2" && n < 3) return { ok: false, kind: "transient", reason: "502" };
      if (chat === "3") return { ok: false, kind: "transient", reason: "500" };
      return { ok: true };
    });
    const { id } = await s.service.draft("x", "a");
    await s.service.confirm(id);
    const worker = createWorker({ ...s, senders: [sender] }, { maxAttempts: 4, idleMs: 1 }, () => clock);
    // A clock that jumps ahead whenever the worker waits, so backoffs take no real time.
    const ticker = setInterval(() => {
      clock += 5_000;
    }, 2);
    await worker.drain();
    clearInterval(ticker);
    expect(attempts.get("1")).toBe(2);
    expect(attempts.get("2")).toBe(3);
    expect(attempts.get("3")).toBe(4);
    expect(await s.service.counts(id)).toMatchObject({ sent: 2, failed: 1, pending: 0 });
  });

  it("resumes after a crash: every subscriber gets it, only the ones in flight twice", async () => {
    const s = await setup(50);
    const { id } = await s.service.draft("x", "a");
    await s.service.confirm(id);
    // What a kill -9 leaves: 20 sent, 3 claimed and in flight, the rest pending.
    s.db.prepare("UPDATE broadcasts SET status = 'running' WHERE id = ?").run(id);
    s.db.prepare("UPDATE deliveries SET status = 'sent' WHERE CAST(chat_id AS INTEGER) <= 20").run();
    s.db
      .prepare("UPDATE deliveries SET status = 'sending' WHERE CAST(chat_id AS INTEGER) BETWEEN 21 AND 23")
      .run();
    const { sender, delivered } = fakeSender();
    const worker = createWorker({ ...s, senders: [sender] });
    await worker.drain();
    expect(worker.resumedInFlight).toBe(3);
    expect(delivered).toHaveLength(30);
    expect(await s.service.counts(id)).toMatchObject({ total: 50, sent: 50, pending: 0 });
  });

  it("drops pending deliveries when cancelled", async () => {
    const s = await setup(10);
    const { id } = await s.service.draft("x", "a");
    await s.service.confirm(id);
    expect(await s.service.cancel(id)).toBe(true);
    const { sender, delivered } = fakeSender();
    await createWorker({ ...s, senders: [sender] }).drain();
    expect(delivered).toEqual([]);
    expect(await s.service.counts(id)).toMatchObject({ cancelled: 10 });
  });

  it("sends a scheduled notice when its time comes, and survives a restart in between", async () => {
    const s = await setup(4);
    let clock = Date.parse("2026-11-30T00:00:00Z");
    const { id } = await s.service.draft("Hẹn giờ", "a");
    await s.service.schedule(id, new Date(Date.parse("2026-12-01T01:00:00Z")));
    const { sender, delivered } = fakeSender();
    await createWorker({ ...s, senders: [sender] }, {}, () => clock).drain();
    expect(delivered).toEqual([]);
    clock = Date.parse("2026-12-01T01:00:01Z");
    const again = createBroadcastService(s.storage, ["telegram"]);
    expect((await again.scheduled()).map((b) => b.id)).toEqual([id]);
    // Time moves on as the worker looks at it.
    const worker = createWorker(
      { ...s, service: again, senders: [sender] },
      { idleMs: 1 },
      () => (clock += 10),
    );
    await worker.drain();
    expect(delivered).toHaveLength(4);
  });

  it("lets one worker send at a time across processes", async () => {
    const s = await setup(2);
    const { id } = await s.service.draft("x", "a");
    await s.service.confirm(id);
    s.db
      .prepare("INSERT INTO leases (name, holder, expires_at) VALUES ('broadcast-worker', 'other', ?)")
      .run(Date.now() + 60_000);
    const { sender, delivered } = fakeSender();
    const worker = createWorker({ ...s, senders: [sender] }, { idleMs: 5 });
    const running = worker.run();
    await new Promise((r) => setTimeout(r, 100));
    expect(delivered).toEqual([]);
    s.db.prepare("DELETE FROM leases").run();
    await new Promise((r) => setTimeout(r, 200));
    worker.stop();
    await running;
    expect(delivered).toHaveLength(2);
  });
});

describe("a database that refuses writes (a full disk)", () => {
  it("does not end the worker: the error is logged, retried with backoff, and delivery resumes", async () => {
    const s = await setup(3);
    const log = memoryLogger();
    const { id } = await s.service.draft("x", "a");
    await s.service.confirm(id);
    // From here every write fails, as on a full disk: the lease, the claims, the schedule.
    s.db.pragma("query_only = ON");
    const { sender, delivered } = fakeSender();
    const worker = createWorker(
      { ...s, logger: log.logger, senders: [sender] },
      { idleMs: 5, errorBackoffMs: 20 },
    );
    let ended: unknown = "running";
    const running = worker.run().then(
      () => {
        ended = "resolved";
      },
      (err: unknown) => {
        ended = err;
      },
    );
    await expect
      .poll(() => log.lines().filter((l) => l.level === 50).length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(2);
    expect(ended).toBe("running");
    expect(delivered).toEqual([]);
    expect(log.text()).toContain("SQLITE_READONLY");
    s.db.pragma("query_only = OFF");
    await expect.poll(() => delivered.length, { timeout: 5000 }).toBe(3);
    worker.stop();
    await running;
    expect(ended).toBe("resolved");
    expect(await s.service.counts(id)).toMatchObject({ sent: 3, pending: 0 });
  });
});

describe("the Zalo monthly quota", () => {
  it("holds deliveries back once the month's quota is used, instead of dropping them", async () => {
    const { createZaloSender } = await import("../../src/channels/zalo/sender.js");
    const { db } = openSqliteStorage(":memory:");
    const usage = createSqliteUsageCounter(db, () => new Date("2026-11-29T10:00:00Z"));
    const sent: string[] = [];
    const client = { sendMessage: async (chatId: string) => void sent.push(chatId) } as never;
    const sender = createZaloSender(client, 100, 2, usage, () => new Date("2026-11-29T10:00:00Z"));
    const take = async () => undefined;
    expect(await sender.send("a", "private", "x", take)).toEqual({ ok: true });
    expect(await sender.send("b", "private", "x", take)).toEqual({ ok: true });
    const third = await sender.send("c", "private", "x", take);
    expect(third).toMatchObject({ ok: false, kind: "retry" });
    // Until 1 December 00:00 in Vietnam (30 November 17:00 UTC).
    expect(third.ok === false && third.kind === "retry" && third.afterMs).toBe(
      Date.parse("2026-11-30T17:00:00Z") - Date.parse("2026-11-29T10:00:00Z"),
    );
    expect(sent).toEqual(["a", "b"]);
    expect(await usage.used("zalo")).toBe(2);
  });
});
