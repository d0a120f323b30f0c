/**
 * The broadcast benchmark, in its own process: a fake Bot API server on 127.0.0.1 that enforces
 * Telegram's limits (429 with retry_after past 30 messages a second, 20 a minute into one group,
 * one a second into one chat), N subscribers of which 5% are groups, and
 *   1. `npm run broadcast` delivering a notice to all of them: sustained rate, 429s, lost, doubled;
 *   2. the same with the process killed (kill -9) half-way and the bot restarted to resume it.
 * Prints one JSON line. `node --import tsx bench/broadcast.ts [subscribers]`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../src/storage/sqlite/database.js";
import { createSqliteSubscriptions } from "../src/storage/sqlite/subscriptions.js";
import { startFakeTelegram } from "../test/fakes/telegram-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.argv[2] ?? 10_000);
const groups = Math.round(N * 0.05);

const tg = await startFakeTelegram({ enforceLimits: true, quiet: true });
const dataDir = await mkdtemp(join(tmpdir(), "danvan-bench-"));
const db = openDatabase(join(dataDir, "bot.sqlite"));
const subs = createSqliteSubscriptions(db);
const chats: string[] = [];
db.transaction(() => {
  for (let i = 0; i < N; i++) {
    const group = i < groups;
    const chatId = group ? String(-1_000_000_000 - i) : String(100_000 + i);
    chats.push(chatId);
    subs.subscribe({ channel: "telegram", chatId, chatType: group ? "group" : "private" });
  }
})();
db.close();

const env = {
  ...process.env,
  DATA_DIR: dataDir,
  KNOWLEDGE_DIR: join(ROOT, "knowledge"),
  TELEGRAM_BOT_TOKEN: "123456789:BENCH-token-abcdefghijklmnop",
  TELEGRAM_API_ROOT: tg.apiRoot,
  LOG_LEVEL: "warn",
};
const start = (script: string, args: string[] = []): ChildProcess & { stderrText: () => string } => {
  let err = "";
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", process.env.BENCH_DEBUG ? "inherit" : "ignore", "pipe"],
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  return Object.assign(child, { stderrText: () => err });
};
const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once("exit", r)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tally() {
  const delivered = tg.stats.delivered;
  let unique = 0;
  let doubled = 0;
  for (const id of chats) {
    const n = delivered.get(id) ?? 0;
    if (n > 0) unique++;
    if (n > 1) doubled += n - 1;
  }
  const times = tg.stats.times;
  const seconds = times.length > 1 ? ((times[times.length - 1] as number) - (times[0] as number)) / 1000 : 0;
  return {
    delivered: unique,
    lost: N - unique,
    doubled,
    tooMany: tg.stats.tooMany,
    seconds,
    rate: seconds > 0 ? (times.length - 1) / seconds : 0,
  };
}
function reset() {
  tg.stats.delivered.clear();
  tg.stats.times.length = 0;
  tg.stats.tooMany = 0;
}

// 1. A healthy broadcast from the shell.
const first = start("src/cli/broadcast.ts", ["--text", "Thông báo thử: họp giao ban công tác dân vận."]);
await exited(first);
const healthy = tally();

// 2. Killed half-way, then the bot started again resumes.
reset();
const second = start("src/cli/broadcast.ts", ["--text", "Thông báo thử lần hai."]);
while (tally().delivered < N / 2 && second.exitCode === null) await sleep(20);
second.kill("SIGKILL");
await exited(second);
const atKill = tally().delivered;
const bot = start("src/main.ts");
const deadline = Date.now() + 30 * 60_000;
while (tally().delivered < N && Date.now() < deadline) await sleep(200);
await sleep(3000);
bot.kill("SIGTERM");
await exited(bot);
const resumedInFlight = Number(/"deliveries":(\d+)/.exec(bot.stderrText())?.[1] ?? 0);
const killed = { ...tally(), deliveredAtKill: atKill, inFlightAtKill: resumedInFlight };

await tg.close();
await rm(dataDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ subscribers: N, groups, healthy, killed })}\n`);
