/**
 * Several instances on PostgreSQL, in its own process (`node --import tsx bench/instances.ts
 * [subscribers]`, one JSON line out). Everything on 127.0.0.1: a PostgreSQL 15 started in a temp
 * folder (test/storage/postgres/server.ts), fake Bot API servers (test/fakes/telegram-server.ts),
 * the bots as real processes (`src/main.ts`, webhook mode).
 *
 *   1. Questions through the webhook: one instance on SQLite, then two on PostgreSQL, under a fixed
 *      arrival rate (evenly spaced POSTs on kept-alive connections, spread over the instances in
 *      turn as a round-robin proxy would), stepped up while the answers' p95 (webhook POST → the
 *      answer reaching the Bot API) stays within 100 ms. Each step lasts STEP_SECONDS. (autocannon's
 *      fixed rate sends each second's requests in one burst at the start of the second, which
 *      measures bursts of `rate` questions rather than a rate; hence this generator.)
 *   2. The same update POSTed to both instances at once, 1,000 times: how often each is answered.
 *   3. A broadcast to N subscribers (5% groups) against a Bot API enforcing Telegram's limits, with
 *      the worker's instance killed (-9) half-way: lost, doubled, 429s, how long the other
 *      instance took to take over, the rate.
 */
import type { ChildProcess } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createBroadcastService } from "../src/broadcast/service.js";
import { percentile } from "../src/eval/metrics.js";
import { openPostgresStorage } from "../src/storage/postgres/index.js";
import { startBot } from "../test/cli/run-cli.js";
import { type FakeTelegram, startFakeTelegram } from "../test/fakes/telegram-server.js";
import { startPostgres } from "../test/storage/postgres/server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.argv[2] ?? 10_000);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 8);
const RATES = [10, 20, 40, 60, 80, 100, 130, 160, 200, 250, 300];
const TOKEN = "123456789:BENCH-token-abcdefghijklmnop";
const SECRET = "bench-shared-webhook-secret";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 10) / 10;

const questions = (await readFile(join(ROOT, "bench/questions/plan-dev.jsonl"), "utf8"))
  .split("\n")
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { question: string }).question);

const temps: string[] = [];
const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
const freePort = async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
};

const pg = await startPostgres({ max_connections: "100" });
const knowledge = await tempDir("danvan-bench-kb-");
await cp(join(ROOT, "knowledge"), knowledge, { recursive: true });
type Bot = ChildProcess & { stderrText: () => string };
const everyBot: Bot[] = [];
process.on("exit", () => {
  for (const b of everyBot) if (b.exitCode === null) b.kill("SIGKILL");
});

async function startInstance(tg: FakeTelegram, databaseUrl?: string): Promise<{ bot: Bot; port: number }> {
  const port = await freePort();
  const bot = startBot({
    KNOWLEDGE_DIR: knowledge,
    DATA_DIR: await tempDir("danvan-bench-"),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "10" } : {}),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/tg/hook`,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    QUESTIONS_PER_MINUTE: "1000",
    LOG_LEVEL: "warn",
    PORT: String(port),
  });
  everyBot.push(bot);
  const until = Date.now() + 120_000;
  while (
    (await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (x) => x.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > until || bot.exitCode !== null)
      throw new Error(`instance did not start: ${bot.stderrText().slice(-1500)}`);
    await sleep(200);
  }
  return { bot, port };
}

async function stop(bots: Bot[]) {
  for (const b of bots) if (b.exitCode === null) b.kill("SIGTERM");
  await Promise.all(bots.map((b) => new Promise((r) => (b.exitCode !== null ? r(0) : b.once("exit", r)))));
}

let nextUpdate = 1;
let nextChat = 10_000_000;
const updateFor = (chat: number, text: string) => {
  const id = nextUpdate++;
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

/** When each chat first got a message, from the fake's call log (scanned from `from`). */
function firstAnswers(tg: FakeTelegram, from: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = from; i < tg.calls.length; i++) {
    const c = tg.calls[i];
    if (c?.method !== "sendMessage") continue;
    const chat = Number(c.params.chat_id);
    if (!out.has(chat)) out.set(chat, c.at);
  }
  return out;
}

const post = (port: number, body: unknown) =>
  fetch(`http://127.0.0.1:${port}/tg/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify(body),
  }).then((r) => r.status);

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One POST on a kept-alive connection; resolves with the status and how long the 200 took. */
function postTimed(port: number, body: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/tg/hook",
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-telegram-bot-api-secret-token": SECRET,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

/**
 * One step: `rate` questions a second for STEP_SECONDS, evenly spaced (an open loop: each is sent
 * at its time whether or not the earlier ones were answered), spread over the instances in turn
 * as a round-robin proxy would.
 */
async function loadStep(tg: FakeTelegram, ports: number[], rate: number) {
  const from = tg.calls.length;
  const sentAt = new Map<number, number>();
  const acks: { status: number; ms: number }[] = [];
  const total = rate * STEP_SECONDS;
  const t0 = Date.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const chat = nextChat++;
    const body = JSON.stringify(updateFor(chat, questions[i % questions.length] ?? ""));
    sentAt.set(chat, Date.now());
    pending.push(postTimed(ports[i % ports.length] as number, body).then((a) => void acks.push(a)));
  }
  await Promise.all(pending);
  // Answers still on their way when the load stops.
  const deadline = Date.now() + 10_000;
  while (firstAnswers(tg, from).size < sentAt.size && Date.now() < deadline) await sleep(250);
  const answered = firstAnswers(tg, from);
  const latencies: number[] = [];
  for (const [chat, t] of sentAt) {
    const a = answered.get(chat);
    if (a !== undefined) latencies.push(a - t);
  }
  return {
    rate,
    sent: sentAt.size,
    answered: latencies.length,
    non2xx: acks.filter((a) => a.status !== 200).length,
    perSecond: round(latencies.length / STEP_SECONDS),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    ackP95: round(
      percentile(
        acks.map((a) => a.ms),
        95,
      ),
    ),
  };
}

async function throughput(tg: FakeTelegram, ports: number[]) {
  // Warm-up (JIT, caches, the pools' connections), not measured.
  for (let i = 0; i < 60; i++) {
    const port = ports[i % ports.length] as number;
    await post(port, updateFor(nextChat++, questions[i % questions.length] ?? ""));
  }
  await sleep(3000);
  const steps: Awaited<ReturnType<typeof loadStep>>[] = [];
  for (const rate of RATES) {
    const s = await loadStep(tg, ports, rate);
    steps.push(s);
    process.stderr.write(`  ${ports.length} instance(s) @ ${rate}/s: ${JSON.stringify(s)}\n`);
    if (s.p95 > 100 || s.answered < s.sent * 0.99) break;
    await sleep(2000);
  }
  const ok = steps.filter((s) => s.p95 <= 100 && s.answered >= s.sent * 0.99);
  return { best: ok.at(-1) ?? null, steps };
}

/** 1,000 updates, each POSTed to both instances at the same moment. */
async function duplicates(tg: FakeTelegram, ports: [number, number]) {
  const from = tg.calls.length;
  const chats: number[] = [];
  const statuses: number[] = [];
  for (let batch = 0; batch < 50; batch++) {
    await Promise.all(
      Array.from({ length: 20 }, () => {
        const chat = nextChat++;
        chats.push(chat);
        const u = updateFor(chat, "Kết luận 43 ban hành ngày nào?");
        return Promise.all([post(ports[0], u), post(ports[1], u)]).then((s) => statuses.push(...s));
      }),
    );
  }
  const deadline = Date.now() + 60_000;
  while (firstAnswers(tg, from).size < chats.length && Date.now() < deadline) await sleep(250);
  await sleep(3000);
  const perChat = new Map<number, number>();
  for (let i = from; i < tg.calls.length; i++) {
    const c = tg.calls[i];
    if (c?.method === "sendMessage")
      perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
  }
  const counts = chats.map((c) => perChat.get(c) ?? 0);
  return {
    updates: chats.length,
    acknowledged: statuses.filter((s) => s === 200).length,
    answeredOnce: counts.filter((n) => n === 1).length,
    answeredTwice: counts.filter((n) => n > 1).length,
    unanswered: counts.filter((n) => n === 0).length,
  };
}

async function broadcast() {
  const tg = await startFakeTelegram({ enforceLimits: true, quiet: true });
  const url = await pg.createDatabase("bench_broadcast");
  const storage = await openPostgresStorage(url, { max: 2 });
  const groups = Math.round(N * 0.05);
  await storage.pg.run(
    `INSERT INTO subscriptions (channel, chat_id, chat_type, active, subscribed_at, updated_at)
     SELECT 'telegram', CASE WHEN i < $2 THEN (-1000000000 - i)::text ELSE (100000 + i)::text END,
            CASE WHEN i < $2 THEN 'group' ELSE 'private' END, true, now(), now()
     FROM generate_series(0, $1 - 1) i`,
    [N, groups],
  );
  const chats = Array.from({ length: N }, (_, i) =>
    i < groups ? String(-1_000_000_000 - i) : String(100_000 + i),
  );
  const a = await startInstance(tg, url);
  const b = await startInstance(tg, url);
  const service = createBroadcastService(storage, ["telegram"]);
  const { id } = await service.draft("Thông báo thử: họp giao ban công tác dân vận.", "bench");
  await service.confirm(id);
  const delivered = () => chats.filter((c) => (tg.stats.delivered.get(c) ?? 0) > 0).length;
  while (delivered() < N / 2) await sleep(20);
  const lease = await storage.pg.one<{ holder: string }>(
    "SELECT holder FROM leases WHERE name = 'broadcast-worker'",
  );
  const worker = [a, b].find((x) => lease?.holder.includes(`:${x.bot.pid}:`)) ?? a;
  const survivor = worker === a ? b : a;
  worker.bot.kill("SIGKILL");
  const killedAt = Date.now();
  const atKill = delivered();
  const deadline = Date.now() + 30 * 60_000;
  while (delivered() < N && Date.now() < deadline) await sleep(200);
  await sleep(3000);
  const times = tg.stats.times;
  const firstAfter = times.find((t) => t > killedAt + 50) ?? killedAt;
  let doubled = 0;
  for (const c of chats) doubled += Math.max(0, (tg.stats.delivered.get(c) ?? 0) - 1);
  const seconds = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  const status = (await service.get(id))?.status;
  await stop([survivor.bot]);
  const resumed = Number(/"deliveries":(\d+)/.exec(survivor.bot.stderrText())?.[1] ?? 0);
  await storage.close();
  await tg.close();
  return {
    subscribers: N,
    groups,
    delivered: delivered(),
    lost: N - delivered(),
    doubled,
    tooMany: tg.stats.tooMany,
    deliveredAtKill: atKill,
    inFlightAtKill: resumed,
    takeoverSeconds: round((firstAfter - killedAt) / 1000),
    seconds: round(seconds),
    rate: round((times.length - 1) / seconds),
    finishedBy: "the other instance",
    status,
  };
}

// 1 and 2: questions.
const tg = await startFakeTelegram();
process.stderr.write("one instance on SQLite\n");
const single = await startInstance(tg);
const sqlite = await throughput(tg, [single.port]);
await stop([single.bot]);
process.stderr.write("two instances on PostgreSQL\n");
const qUrl = await pg.createDatabase("bench_questions");
const [i1, i2] = await Promise.all([startInstance(tg, qUrl), startInstance(tg, qUrl)]);
const postgres = await throughput(tg, [i1.port, i2.port]);
process.stderr.write("one update to both instances, 1,000 times\n");
const dedupe = await duplicates(tg, [i1.port, i2.port]);
await stop([i1.bot, i2.bot]);
await tg.close();
// 3: the broadcast with the worker's instance killed.
process.stderr.write(`broadcast to ${N}, worker killed at 50%\n`);
const killed = await broadcast();
await pg.stop();
for (const dir of temps) await rm(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ stepSeconds: STEP_SECONDS, sqlite, postgres, dedupe, broadcast: killed })}\n`,
);
process.exit(0);
