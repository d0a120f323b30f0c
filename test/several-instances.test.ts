/**
 * Two bot processes on one PostgreSQL behind one webhook address (as behind nginx): each update
 * is answered once whichever instance gets it, a user's rate limit and conversation follow them
 * from one instance to the other, a broadcast survives the worker's instance being killed (-9),
 * and a change of the documents announced by one is picked up by the other without a restart.
 */
import type { ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBroadcastService } from "../src/broadcast/service.js";
import { loadPrompts, type Replies } from "../src/prompts.js";
import type { Storage } from "../src/storage/ports.js";
import { openPostgresStorage } from "../src/storage/postgres/index.js";
import { startBot } from "./cli/run-cli.js";
import { type FakeTelegram, startFakeTelegram } from "./fakes/telegram-server.js";
import { type FakeZalo, startFakeZalo, zaloText } from "./fakes/zalo-server.js";
import { copyOfKnowledge, freePort, tempDir } from "./helpers.js";
import { withPostgres } from "./storage/postgres/suite.js";

const TOKEN = "123456789:TEST-token-abcdefghijklmnop";
const SECRET = "shared-webhook-secret-for-both";
const ADMIN = 4242;

withPostgres("two instances on PostgreSQL", (server) => {
  let tg: FakeTelegram;
  let zalo: FakeZalo;
  let url: string;
  let knowledge: string;
  let storage: Storage;
  let r: Replies;
  const bots: (ChildProcess & { stderrText: () => string })[] = [];
  const ports: number[] = [];

  const start = async () => {
    const port = await freePort();
    const bot = startBot({
      KNOWLEDGE_DIR: knowledge,
      DATA_DIR: await tempDir(),
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: "4",
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/tg/hook`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ZALO_BOT_TOKEN: "zalo-test-token-123456",
      ZALO_API_BASE_URL: zalo.baseUrl,
      ZALO_WEBHOOK_URL: `http://127.0.0.1:${port}/zalo/hook`,
      ZALO_WEBHOOK_SECRET: SECRET,
      TELEGRAM_ADMIN_IDS: String(ADMIN),
      QUESTIONS_PER_MINUTE: "3",
      PORT: String(port),
    });
    bots.push(bot);
    ports.push(port);
    // Healthy once it listens (the index built, the database migrated).
    const until = Date.now() + 60_000;
    while (
      (await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (x) => x.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > until || bot.exitCode !== null)
        throw new Error(`instance on ${port} did not start: ${bot.stderrText().slice(-2000)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    return port;
  };

  const post = (port: number, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/tg/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(body),
    });
  let nextId = 1;
  const message = (chat: number, text: string) => {
    const id = nextId++;
    return {
      update_id: id,
      message: {
        message_id: id,
        date: 0,
        chat: { id: chat, type: "private" },
        from: { id: chat, is_bot: false, first_name: "An" },
        text,
      },
    };
  };
  const textsTo = (chat: number) => tg.sent(chat).map((c) => String(c.params.text));
  const settle = () => new Promise((res) => setTimeout(res, 1500));

  beforeAll(async () => {
    r = (await loadPrompts()).replies;
    tg = await startFakeTelegram();
    zalo = await startFakeZalo();
    url = await server().createDatabase();
    knowledge = await copyOfKnowledge();
    // Both start at once: the schema is migrated by one, under the advisory lock.
    await Promise.all([start(), start()]);
    storage = await openPostgresStorage(url, { max: 2 });
  }, 120_000);

  afterAll(async () => {
    for (const b of bots) if (b.exitCode === null) b.kill("SIGKILL");
    await storage?.close();
    await tg?.close();
    await zalo?.close();
  });

  it("reports the database and the index on /healthz of each instance", async () => {
    for (const port of ports) {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<
        string,
        never
      >;
      expect(health).toMatchObject({ ok: true, database: { ok: true, backend: "postgres" } });
      expect((health.index as unknown as { passages: number }).passages).toBeGreaterThan(0);
      expect(health.knowledge).toMatchObject({ error: null });
    }
    // Exactly one of them holds the broadcast worker's lease.
    const holders = async () => {
      const reports = await Promise.all(
        ports.map(async (port) => (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as never),
      );
      return reports.map((x: { worker: { running: boolean; holdsLease: boolean } }) => x.worker.holdsLease);
    };
    await expect.poll(async () => (await holders()).filter(Boolean).length, { timeout: 10_000 }).toBe(1);
  });

  it("answers an update delivered to both instances at once exactly once", async () => {
    const [a, b] = ports as [number, number];
    // One chat asked through one instance only: how many messages one answer makes.
    await post(a, message(5000, "Kết luận 43 ban hành ngày nào?"));
    await expect.poll(() => tg.sent(5000).length, { timeout: 20_000 }).toBeGreaterThan(0);
    await settle();
    const perAnswer = tg.sent(5000).length;
    const chats = Array.from({ length: 20 }, (_, i) => 5001 + i);
    await Promise.all(
      chats.map((chat) => {
        const u = message(chat, "Kết luận 43 ban hành ngày nào?");
        return Promise.all([post(a, u), post(b, u)]).then((res) => res.map((x) => x.status));
      }),
    );
    await expect
      .poll(() => chats.every((c) => tg.sent(c).length >= perAnswer), { timeout: 30_000 })
      .toBe(true);
    await settle();
    expect(chats.map((c) => tg.sent(c).length)).toEqual(chats.map(() => perAnswer));
  });

  it("answers a Zalo message delivered to both instances once (by message_id)", async () => {
    const [a, b] = ports as [number, number];
    const chats = Array.from({ length: 10 }, (_, i) => `zc${i}`);
    await Promise.all(
      chats.map((chat) => {
        const update = { ok: true, result: zaloText(chat, chat, "Kết luận 43 ban hành ngày nào?") };
        return Promise.all([
          zalo.deliver(`http://127.0.0.1:${a}/zalo/hook`, update, SECRET),
          zalo.deliver(`http://127.0.0.1:${b}/zalo/hook`, update, SECRET),
        ]);
      }),
    );
    await expect.poll(() => chats.every((c) => zalo.sent(c).length > 0), { timeout: 30_000 }).toBe(true);
    await settle();
    expect(chats.map((c) => zalo.sent(c).length)).toEqual(chats.map(() => 1));
  });

  it("shares a user's question limit and conversation between the instances", async () => {
    const [a, b] = ports as [number, number];
    const chat = 6000;
    await post(a, message(chat, "Kết luận 43 ban hành ngày nào?"));
    await expect.poll(() => textsTo(chat).length, { timeout: 20_000 }).toBeGreaterThan(0);
    // The source of the answer given by A, asked through B.
    const before = textsTo(chat).length;
    await post(b, message(chat, "xem nguồn 1"));
    await expect.poll(() => textsTo(chat).length, { timeout: 20_000 }).toBeGreaterThan(before);
    expect(textsTo(chat).slice(before).join("\n")).not.toContain(r.source_none);
    // Three questions a minute in all, whichever instance answers: the fourth waits.
    await settle();
    const beforeSecond = textsTo(chat).length;
    await post(b, message(chat, "Hội quần chúng tự đảm bảo kinh phí thế nào?"));
    await expect.poll(() => textsTo(chat).length, { timeout: 20_000 }).toBeGreaterThan(beforeSecond);
    await settle();
    const beforeThird = textsTo(chat).length;
    await post(a, message(chat, "Mặt trận Tổ quốc làm gì?"));
    await expect.poll(() => textsTo(chat).length, { timeout: 20_000 }).toBeGreaterThan(beforeThird);
    await settle();
    const beforeLimit = textsTo(chat).length;
    await post(b, message(chat, "Dân vận là gì?"));
    await expect.poll(() => textsTo(chat).length, { timeout: 20_000 }).toBeGreaterThan(beforeLimit);
    expect(textsTo(chat).at(-1)).toContain(r.rate_limited.split("{seconds}")[0]?.trim().slice(0, 20));
  });

  it("confirms through one instance a notice previewed through the other", async () => {
    const [a, b] = ports as [number, number];
    await post(a, message(ADMIN, "/thongbao Họp giao ban quý IV lúc 8 giờ sáng thứ Hai."));
    await expect
      .poll(async () => (await storage.notices.byCreator(`telegram:${ADMIN}`, ["draft"])).length, {
        timeout: 20_000,
      })
      .toBe(1);
    const [draft] = await storage.notices.byCreator(`telegram:${ADMIN}`, ["draft"]);
    await expect.poll(() => textsTo(ADMIN).join("\n"), { timeout: 20_000 }).toContain(`#${draft?.id}`);
    const before = textsTo(ADMIN).length;
    await post(b, message(ADMIN, `/xacnhan ${draft?.id}`));
    await expect.poll(() => textsTo(ADMIN).length, { timeout: 20_000 }).toBeGreaterThan(before);
    expect(textsTo(ADMIN).slice(before).join("\n")).not.toContain(r.notice_not_found.split("#")[0]?.trim());
    await expect
      .poll(async () => (await storage.notices.get(draft?.id ?? 0))?.status, { timeout: 20_000 })
      .toBe("done");
  });

  it("picks up documents changed through another instance without a restart", async () => {
    const [, b] = ports as [number, number];
    await writeFile(
      join(knowledge, "quy-che-phoi-hop-tan-lap.md"),
      "# Quy chế phối hợp công tác dân vận xã Tân Lập\n\n1. Ban Dân vận và Hội Nông dân xã Tân Lập họp giao ban mỗi quý một lần.\n",
    );
    // What `npm run ingest` (or an upload through instance A) announces.
    await storage.knowledge.bump(new Date().toISOString());
    const chat = 7000;
    await expect
      .poll(
        async () => {
          const before = textsTo(chat).length;
          await post(b, message(chat, "/tailieu"));
          await expect.poll(() => textsTo(chat).length, { timeout: 10_000 }).toBeGreaterThan(before);
          return textsTo(chat).at(-1) ?? "";
        },
        { timeout: 40_000, interval: 1000 },
      )
      .toContain("Tân Lập");
  });

  it("finishes a broadcast when the worker's instance is killed (-9): none lost, only in-flight resent", async () => {
    const chats = Array.from({ length: 80 }, (_, i) => String(800_000 + i));
    for (const chatId of chats)
      await storage.subscriptions.subscribe({ channel: "telegram", chatId, chatType: "private" });
    const service = createBroadcastService(storage, ["telegram"]);
    const { id } = await service.draft("Thông báo họp giao ban quý IV.", "test");
    await service.confirm(id);
    const delivered = () => chats.filter((c) => tg.sent(Number(c)).length > 0).length;
    await expect.poll(delivered, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(20);
    const lease = (await (
      storage as unknown as { pg: { one: (q: string) => Promise<{ holder: string }> } }
    ).pg.one("SELECT holder FROM leases WHERE name = 'broadcast-worker'")) as { holder: string };
    const holder = bots.find((x) => lease.holder.includes(`:${x.pid}:`));
    expect(holder).toBeDefined();
    holder?.kill("SIGKILL");
    const killedAt = Date.now();
    const atKill = delivered();
    expect(atKill).toBeLessThan(chats.length);
    await expect.poll(delivered, { timeout: 30_000, interval: 100 }).toBe(chats.length);
    // The lease (6 s) expired and the other instance took over within seconds.
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    await expect.poll(async () => (await service.get(id))?.status, { timeout: 10_000 }).toBe("done");
    const survivor = ports[bots.indexOf(holder === bots[0] ? (bots[1] as never) : (bots[0] as never))];
    const health = (await (await fetch(`http://127.0.0.1:${survivor}/healthz`)).json()) as {
      worker: { holdsLease: boolean };
    };
    expect(health.worker.holdsLease).toBe(true);
    const doubled = chats.reduce((n, c) => n + Math.max(0, tg.sent(Number(c)).length - 1), 0);
    // At most the worker's concurrency (8) were in flight at the kill.
    expect(doubled).toBeLessThanOrEqual(8);
    expect(await service.counts(id)).toMatchObject({ total: chats.length, sent: chats.length, pending: 0 });
  });
});
