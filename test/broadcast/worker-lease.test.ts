/**
 * The worker lease across instances: renewed by a heartbeat while sends are slow, given up when
 * another holder has it, and taken over from a holder that stopped renewing (its process died),
 * resending only what that holder had in flight.
 */
import { describe, expect, it } from "vitest";
import { type ChannelSender, createBroadcastService, createWorker } from "../../src/broadcast/service.js";
import type { LeaseStore } from "../../src/storage/ports.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { tempDir } from "../helpers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sender taking `ms` per message, recording the chats it delivered to. */
function slowSender(ms: number, delivered: string[]): ChannelSender {
  return {
    channel: "telegram",
    limits: { perSecond: 1000, privateIntervalMs: 0, groupIntervalMs: 0 },
    async send(chatId, _type, _text, take) {
      await take();
      await sleep(ms);
      delivered.push(chatId);
      return { ok: true };
    },
  };
}

async function shared(chats: number) {
  const path = `${await tempDir()}/bot.sqlite`;
  const a = openSqliteStorage(path);
  const b = openSqliteStorage(path);
  for (let i = 1; i <= chats; i++)
    await a.subscriptions.subscribe({ channel: "telegram", chatId: String(i), chatType: "private" });
  const service = createBroadcastService(a, ["telegram"]);
  const { id } = await service.draft("Thông báo", "test");
  await service.confirm(id);
  return { a, b, id, service };
}

describe("the broadcast worker lease with several instances", () => {
  it("keeps the lease by heartbeat through sends slower than the lease itself", async () => {
    const { a, b, id, service } = await shared(4);
    const delivered: string[] = [];
    const other: string[] = [];
    const slow = createWorker(
      { ...a, service, senders: [slowSender(500, delivered)], logger: memoryLogger().logger },
      { leaseMs: 300, idleMs: 20, concurrency: 1 },
    );
    const running = slow.drain();
    await sleep(50);
    const rival = createWorker(
      {
        ...b,
        service: createBroadcastService(b, ["telegram"]),
        senders: [slowSender(0, other)],
        logger: memoryLogger().logger,
      },
      { leaseMs: 300, idleMs: 20 },
    );
    const rivalRun = rival.drain();
    await running;
    await rivalRun;
    expect(delivered.sort()).toEqual(["1", "2", "3", "4"]);
    expect(other).toEqual([]);
    expect(await service.counts(id)).toMatchObject({ sent: 4, pending: 0 });
    await a.close();
    await b.close();
  });

  it("is taken over from a holder that stopped renewing, resending only its in-flight deliveries", async () => {
    const { a, b, id, service } = await shared(30);
    const first: string[] = [];
    // A holder whose database connection is gone: its lease calls fail from some point on.
    let cut = false;
    const lease: LeaseStore = {
      hold: (...args) => (cut ? Promise.reject(new Error("connection terminated")) : a.lease.hold(...args)),
      release: (...args) =>
        cut ? Promise.reject(new Error("connection terminated")) : a.lease.release(...args),
    };
    const log = memoryLogger();
    const dying = createWorker(
      { ...a, lease, service, senders: [slowSender(40, first)], logger: log.logger },
      { leaseMs: 400, idleMs: 20, concurrency: 4, errorBackoffMs: 300 },
    );
    const dyingRun = dying.run();
    await expect.poll(() => first.length, { timeout: 5000, interval: 5 }).toBeGreaterThanOrEqual(8);
    cut = true;
    const cutAt = first.length;
    const second: string[] = [];
    const taker = createWorker(
      {
        ...b,
        service: createBroadcastService(b, ["telegram"]),
        senders: [slowSender(0, second)],
        logger: memoryLogger().logger,
      },
      { leaseMs: 400, idleMs: 20 },
    );
    const t0 = Date.now();
    await taker.drain();
    // Within the lease (400 ms) and a poll or two.
    expect(Date.now() - t0).toBeLessThan(3000);
    // The cut holder sent at most the claims it had in flight, and claimed nothing after the cut.
    expect(first.length - cutAt).toBeLessThanOrEqual(4);
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(30);
    expect(all.length - 30).toBeLessThanOrEqual(4);
    expect(taker.resumedInFlight).toBeLessThanOrEqual(4);
    expect(await service.counts(id)).toMatchObject({ total: 30, pending: 0 });
    dying.stop();
    await dyingRun;
    await a.close();
    await b.close();
  });
});
