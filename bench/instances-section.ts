/**
 * The "Several instances on PostgreSQL" section of BENCHMARKS.md: runs bench/instances.ts in its
 * own process (`npm run bench -- --only instances`) and formats its JSON line.
 */
import { cpus, loadavg } from "node:os";

interface Step {
  rate: number;
  sent: number;
  answered: number;
  non2xx: number;
  perSecond: number;
  p50: number;
  p95: number;
  ackP95: number;
}
interface Throughput {
  best: Step | null;
  steps: Step[];
}
interface Report {
  stepSeconds: number;
  sqlite: Throughput;
  postgres: Throughput;
  dedupe: {
    updates: number;
    acknowledged: number;
    answeredOnce: number;
    answeredTwice: number;
    unanswered: number;
  };
  broadcast: Record<string, number | string>;
}

const f1 = (x: number) => x.toFixed(1);

/** Runs the benchmark and appends its section to `lines`. */
export async function instancesSection(
  lines: string[],
  runScript: (script: string, args: string[]) => Promise<string>,
): Promise<void> {
  const n = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
  const load = loadavg()[0] ?? 0;
  const r = JSON.parse(await runScript("bench/instances.ts", [String(n)])) as Report;
  const loadAfter = loadavg()[0] ?? 0;
  const b = r.broadcast as Record<string, number>;
  const best = (t: Throughput) =>
    t.best ? `${f1(t.best.perSecond)} questions/s (p95 ${f1(t.best.p95)} ms)` : "none of the rates tried";
  console.log(`instances: SQLite ${best(r.sqlite)}; 2 × PostgreSQL ${best(r.postgres)}`);
  const step = (name: string, s: Step) =>
    `| ${name} | ${s.rate} | ${s.sent} | ${s.answered} | ${f1(s.perSecond)} | ${f1(s.p50)} | ${f1(s.p95)} | ${f1(s.ackP95)} | ${s.non2xx} |`;
  lines.push(
    "## Several instances on PostgreSQL",
    "",
    "`npm run bench -- --only instances` (bench/instances.ts): the bots as real processes (`src/main.ts`, Telegram",
    "webhook mode), a PostgreSQL 15 started in a temp folder, fake Bot API servers, all on 127.0.0.1 of this",
    `machine, which other work shares (load average ${f1(load)} when the run started, ${f1(loadAfter)} when it ended).`,
    "",
    "### Questions through the webhook",
    "",
    `Questions from plan-dev.jsonl POSTed as Telegram updates at a fixed rate for ${r.stepSeconds} s per step, evenly spaced`,
    "(an open loop on kept-alive connections, spread over the instances in turn as a round-robin proxy does), stepped",
    "up until the p95 of the answer time (POST → the answer's sendMessage reaching the Bot API) passes 100 ms or",
    "answers go missing. Each update comes from a new user (no rate limit). `ack p95`: the webhook's 200, which comes",
    "before the answer. (autocannon's fixed rate sends each second's requests in one burst at the start of the",
    "second, so it measures bursts rather than a rate: the generator is bench/instances.ts's own.)",
    "",
    `Best within p95 ≤ 100 ms: **one instance on SQLite ${best(r.sqlite)}**; **two instances on PostgreSQL ${best(r.postgres)}**.`,
    `Here both instances, PostgreSQL and the load generator share ${cpus().length} cores, and each question adds four round`,
    "trips to PostgreSQL (the update's claim, the rate limit, the question log, the conversation): on one machine",
    "the second instance adds no capacity; what it adds is an instance that survives the other's machine.",
    "",
    "| setup | rate asked /s | sent | answered | answered /s | p50 ms | p95 ms | ack p95 ms | errors |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.sqlite.steps.map((s) => step("1 × SQLite", s)),
    ...r.postgres.steps.map((s) => step("2 × PostgreSQL", s)),
    "",
    "### One update delivered to both instances",
    "",
    `${r.dedupe.updates} updates, each POSTed to both instances at the same moment (20 at a time): ${r.dedupe.acknowledged} of`,
    `${r.dedupe.updates * 2} POSTs acknowledged with 200; answered exactly once: **${r.dedupe.answeredOnce}**, twice or more:`,
    `**${r.dedupe.answeredTwice}**, never: **${r.dedupe.unanswered}**.`,
    "",
    "### Broadcast with the worker's instance killed",
    "",
    `${b.subscribers} subscribers (${b.groups} groups) on PostgreSQL, two instances, a Bot API answering 429 past Telegram's`,
    `limits. The instance holding the worker lease is killed with SIGKILL at ${b.deliveredAtKill} delivered; the other`,
    "instance takes the lease over when it expires (6 s) and finishes.",
    "",
    "| delivered | lost | doubled | in flight at the kill (resent) | 429s | takeover s | seconds | messages/s |",
    "|---|---|---|---|---|---|---|---|",
    `| ${b.delivered} | ${b.lost} | ${b.doubled} | ${b.inFlightAtKill} | ${b.tooMany} | ${f1(b.takeoverSeconds ?? 0)} | ${f1(b.seconds ?? 0)} | ${f1(b.rate ?? 0)} (${((b.rate ?? 0) / 30).toFixed(3)} of 30/s, the takeover included) |`,
    "",
    `The notice ended \`${r.broadcast.status}\`, finished by the other instance. The worker paces 29 messages a second`,
    "against Telegram's 30, so on a busy machine a send delayed by some 35 ms can make 31 in one second and meet a 429",
    "(it is then retried after `retry_after`; nothing is lost).",
    "",
  );
}
