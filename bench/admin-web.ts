/**
 * The administrators' web page under load, in its own process: a database file with 100,000
 * logged questions over 60 days (a third not found, some rated) and 10,000 subscribers, then each
 * page rendered by the app itself (hono's app.request, signed in), timed server-side after one
 * warm-up request.
 * Prints one JSON line. `node --import tsx bench/admin-web.ts [questions] [subscribers]`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBroadcastService } from "../src/broadcast/service.js";
import { createLogger } from "../src/logger.js";
import { loadPrompts } from "../src/prompts.js";
import { createHttpApp } from "../src/server/app.js";
import { createAdminWeb } from "../src/server/web/index.js";
import { createSignInLinks, WEB_PREFIX } from "../src/server/web/sign-in.js";
import { loadWebTexts } from "../src/server/web/texts.js";
import { openSqliteStorage } from "../src/storage/sqlite/index.js";

const QUESTIONS = Number(process.argv[2] ?? 100_000);
const SUBSCRIBERS = Number(process.argv[3] ?? 10_000);
const RUNS = 15;

const dir = await mkdtemp(join(tmpdir(), "danvan-bench-web-"));
const storage = openSqliteStorage(join(dir, "bot.sqlite"));
const { db } = storage;
const topics = [
  "Kết luận 43 ban hành ngày nào?",
  "Hội quần chúng tự đảm bảo kinh phí thế nào?",
  "giá xăng hôm nay bao nhiêu",
  "thủ tục cấp sổ đỏ ở phường",
  "dan van kheo la gi",
  "Mặt trận Tổ quốc giám sát những gì?",
  "lương hưu tháng này khi nào có",
  "trưởng thôn do ai bầu",
];
const now = Date.now();
const insert = db.prepare(
  `INSERT INTO questions (asked_at, channel, chat_id, user_id, question, status, top_score, coverage, latency_ms, citations, feedback)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
db.transaction(() => {
  for (let i = 0; i < QUESTIONS; i++) {
    const status = i % 3 === 0 ? "not_found" : i % 7 === 0 ? "partial" : "answered";
    const question = `${topics[i % topics.length]} (${i % 997})`;
    const askedAt = new Date(now - Math.floor((i / QUESTIONS) * 60 * 86_400_000)).toISOString();
    const feedback = i % 11 === 0 ? -1 : i % 13 === 0 ? 1 : null;
    insert.run(
      askedAt,
      i % 4 === 0 ? "zalo" : "telegram",
      `c${i % 5000}`,
      `u${i % 5000}`,
      question,
      status,
      0.5,
      0.5,
      20,
      '["kh:p1"]',
      feedback,
    );
  }
  const sub = db.prepare(
    `INSERT INTO subscriptions (channel, chat_id, chat_type, title, active, subscribed_at, updated_at, inactive_reason)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const active = i % 10 !== 0;
    const at = new Date(now - i * 60_000).toISOString();
    sub.run(
      i % 3 === 0 ? "zalo" : "telegram",
      String(100_000 + i),
      i % 20 === 0 ? "group" : "private",
      active ? 1 : 0,
      at,
      at,
      active ? null : "blocked",
    );
  }
})();
db.exec("ANALYZE");

const prompts = await loadPrompts();
const broadcasts = createBroadcastService(storage, ["telegram", "zalo"]);
for (let i = 0; i < 5; i++) {
  const { id } = await broadcasts.draft(`Thông báo số ${i}`, "telegram:1");
  await broadcasts.confirm(id);
}
const publicUrl = "http://127.0.0.1:8080";
const web = createAdminWeb({
  storage,
  broadcasts,
  channels: ["telegram", "zalo"],
  isAdmin: () => true,
  documents: () => [],
  citation: () => undefined,
  indexInfo: async () => undefined,
  replies: prompts.replies,
  texts: await loadWebTexts(),
  publicUrl,
  secure: false,
  session: { idleMinutes: 30, maxHours: 12 },
  logger: createLogger("silent"),
});
const http = createHttpApp(new Map(), createLogger("silent"));
http.app.route(WEB_PREFIX, web);
const link = new URL(
  await createSignInLinks({ store: storage.webSignIn, audit: storage.audit, publicUrl }).issue("telegram:1"),
);
const signIn = await http.app.request("/quantri/vao", {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ t: link.searchParams.get("t") ?? "" }).toString(),
});
const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

const pages: [string, string][] = [
  ["overview", "/quantri"],
  ["questions", "/quantri/cau-hoi"],
  ["questions, not found", "/quantri/cau-hoi?loai=not_found"],
  ["questions, 👎 on Zalo", "/quantri/cau-hoi?danh_gia=down&kenh=zalo"],
  ["questions, words searched", "/quantri/cau-hoi?q=so+do"],
  [
    "questions, one day",
    `/quantri/cau-hoi?tu=${new Date(now).toISOString().slice(0, 10)}&den=${new Date(now).toISOString().slice(0, 10)}`,
  ],
  ["subscribers", "/quantri/nguoi-dang-ky"],
  ["subscribers, inactive", "/quantri/nguoi-dang-ky?trang_thai=inactive"],
];
const results: { page: string; medianMs: number; maxMs: number; bytes: number }[] = [];
for (const [name, path] of pages) {
  const times: number[] = [];
  let bytes = 0;
  // One request first: the numbers are the server's steady state, not the first compilation.
  await (await http.app.request(path, { headers: { cookie } })).text();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await http.app.request(path, { headers: { cookie } });
    const body = await res.text();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  results.push({
    page: name,
    medianMs: times[Math.floor(RUNS / 2)] ?? 0,
    maxMs: times[RUNS - 1] ?? 0,
    bytes,
  });
}
await storage.close();
await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify({ questions: QUESTIONS, subscribers: SUBSCRIBERS, runs: RUNS, results }));
