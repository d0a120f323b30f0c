/**
 * The Questions page: the question log searched and filtered (words, grade, 👎/👍, channel,
 * dates), the gaps (questions not found, grouped by similarity, most asked first), each question
 * with what the bot cited, and the same selection as CSV. User ids and chat ids are not shown:
 * administrators need what was asked and how it went, not who asked.
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import { fill } from "../../../prompts.js";
import type { LoggedQuestion, QuestionFilter } from "../../../storage/ports.js";
import { groupGaps } from "../gaps.js";
import type { WebEnv, WebKit } from "../index.js";
import { notFound } from "../index.js";
import { channelName, type Html, type PageContext, page, pager, select, when } from "../layout.js";
import type { WebTexts } from "../texts.js";

const PAGE_SIZE = 50;
const GAP_SOURCE = 5000;
const CSV_MAX = 100_000;
const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;

/** A yyyy-mm-dd day (Vietnam's time) → the instant it starts, ISO; undefined when malformed. */
function dayStart(day: string | undefined, plusDays = 0): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t - VN_OFFSET_MS + plusDays * DAY_MS).toISOString();
}

/** The filter a query string asks for. */
export function filterOf(q: URLSearchParams): QuestionFilter {
  const grade = q.get("loai") ?? "";
  const statuses: QuestionFilter["statuses"] =
    grade === "unanswered"
      ? ["not_found", "partial"]
      : grade === "answered" || grade === "partial" || grade === "not_found" || grade === "error"
        ? [grade]
        : undefined;
  const fb = q.get("danh_gia");
  const channel = q.get("kenh") ?? "";
  return {
    text: q.get("q")?.trim() || undefined,
    statuses,
    feedback: fb === "down" ? -1 : fb === "up" ? 1 : undefined,
    channel: ["telegram", "zalo", "console"].includes(channel) ? channel : undefined,
    from: dayStart(q.get("tu") ?? undefined),
    to: dayStart(q.get("den") ?? undefined, 1),
  };
}

export function gradeName(t: WebTexts, status: LoggedQuestion["status"]): string {
  if (status === "answered") return t.grade_answered;
  if (status === "partial") return t.grade_partial;
  if (status === "not_found") return t.grade_not_found;
  return t.grade_error;
}

function feedbackName(t: WebTexts, f: LoggedQuestion["feedback"]): string {
  return f === 1 ? t.feedback_up : f === -1 ? t.feedback_down : "";
}

/** A CSV field: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function questionRoutes(web: Hono<WebEnv>, kit: WebKit): void {
  web.get("/cau-hoi", async (c) => {
    const ctx = kit.ctx(c);
    const query = new URL(c.req.url).searchParams;
    return c.html(await questionsPage(kit, ctx, query));
  });

  web.get("/cau-hoi.csv", async (c) => {
    const ctx = kit.ctx(c);
    const { t } = ctx;
    const query = new URL(c.req.url).searchParams;
    const filter = filterOf(query);
    const { total, rows } = await kit.deps.storage.questionInsights.search(filter, CSV_MAX, 0);
    await kit.audit(c, "questions-export", `${rows.length}/${total} ${query.toString()}`);
    const header = [
      t.col_time,
      t.col_channel,
      t.col_question,
      t.col_grade,
      t.col_feedback,
      "top_score",
      "coverage",
      "latency_ms",
    ];
    const lines = [header.map(csvField).join(",")];
    for (const q of rows)
      lines.push(
        [
          when(q.askedAt),
          channelName(t, q.channel),
          q.question,
          gradeName(t, q.status),
          feedbackName(t, q.feedback),
          q.topScore.toFixed(3),
          q.coverage.toFixed(3),
          q.latencyMs,
        ]
          .map(csvField)
          .join(","),
      );
    // A byte-order mark, so spreadsheet programs read the Vietnamese as UTF-8.
    return c.body(`\ufeff${lines.join("\r\n")}\r\n`, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="cau-hoi.csv"',
    });
  });

  web.get("/cau-hoi/:id", async (c) => {
    const ctx = kit.ctx(c);
    const id = Number.parseInt(c.req.param("id"), 10);
    const q = Number.isFinite(id) ? await kit.deps.storage.questions.get(id) : undefined;
    if (!q) return c.html(notFound(ctx), 404);
    return c.html(questionPage(kit, ctx, q));
  });
}

async function questionsPage(kit: WebKit, ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const { t, base } = ctx;
  const filter = filterOf(query);
  const p = Math.max(1, Number.parseInt(query.get("trang") ?? "1", 10) || 1);
  const insights = kit.deps.storage.questionInsights;
  const { total, rows } = await insights.search(filter, PAGE_SIZE, (p - 1) * PAGE_SIZE);
  // The gaps of the same selection (30 days when no date is given).
  const gapFrom = filter.from ?? new Date(kit.now().getTime() - 30 * DAY_MS).toISOString();
  const gapDays = Math.round(
    (Date.parse(filter.to ?? kit.now().toISOString()) - Date.parse(gapFrom)) / DAY_MS,
  );
  const notFound = await insights.texts(
    { ...filter, statuses: ["not_found"], feedback: undefined, from: gapFrom },
    GAP_SOURCE,
  );
  const gaps = groupGaps(notFound, 20);
  const csvQuery = new URLSearchParams(query);
  csvQuery.delete("trang");
  return page(
    ctx,
    "questions",
    t.nav_questions,
    html`<form method="get" action="${base}/cau-hoi" class="filters">
<label>${t.questions_search} <input type="search" name="q" value="${query.get("q") ?? ""}"></label>
${select(
  "loai",
  query.get("loai") ?? "",
  [
    ["", t.all],
    ["unanswered", t.grade_unanswered],
    ["not_found", t.grade_not_found],
    ["partial", t.grade_partial],
    ["answered", t.grade_answered],
    ["error", t.grade_error],
  ],
  t.questions_grade,
)}
${select(
  "danh_gia",
  query.get("danh_gia") ?? "",
  [
    ["", t.all],
    ["down", t.feedback_down],
    ["up", t.feedback_up],
  ],
  t.questions_feedback,
)}
${select(
  "kenh",
  query.get("kenh") ?? "",
  [
    ["", t.all],
    ["telegram", t.channel_telegram],
    ["zalo", t.channel_zalo],
    ["console", t.channel_console],
  ],
  t.col_channel,
)}
<label>${t.questions_from} <input type="date" name="tu" value="${query.get("tu") ?? ""}"></label>
<label>${t.questions_to} <input type="date" name="den" value="${query.get("den") ?? ""}"></label>
<button type="submit">${t.filter}</button>
<a class="button" href="${base}/cau-hoi.csv?${csvQuery.toString()}">${t.questions_csv}</a>
</form>
<section>
<h2>${fill(t.gaps_title, { days: gapDays })}</h2>
${
  gaps.length === 0
    ? html`<p>${t.gaps_none}</p>`
    : html`<table class="gaps"><thead><tr><th>${t.col_question}</th><th>${t.col_count}</th><th>${t.col_last_asked}</th></tr></thead>
<tbody>${gaps.map(
        (g) =>
          html`<tr><td>${g.question}${
            g.examples.length > 0
              ? html`<div class="examples">${t.gaps_examples} ${g.examples.map((e, i) => html`${i > 0 ? " · " : ""}<q>${e}</q>`)}</div>`
              : ""
          }</td><td>${g.count}</td><td>${when(g.lastAskedAt)}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section>
<h2>${t.nav_questions}</h2>
${
  rows.length === 0
    ? html`<p>${t.questions_none}</p>`
    : html`<table class="questions"><thead><tr><th>${t.col_time}</th><th>${t.col_channel}</th><th>${t.col_question}</th><th>${t.col_grade}</th><th>${t.col_feedback}</th></tr></thead>
<tbody>${rows.map(
        (q) =>
          html`<tr class="grade-${q.status}"><td>${when(q.askedAt)}</td><td>${channelName(t, q.channel)}</td><td><a href="${base}/cau-hoi/${q.id}">${q.question}</a></td><td>${gradeName(t, q.status)}</td><td>${feedbackName(t, q.feedback)}</td></tr>`,
      )}</tbody></table>`
}
${pager(ctx, "/cau-hoi", query, p, PAGE_SIZE, total)}
</section>`,
  );
}

function questionPage(kit: WebKit, ctx: PageContext, q: LoggedQuestion): Html {
  const { t, base } = ctx;
  const cited = q.citations.map((id) => ({ id, citation: kit.deps.citation(id) }));
  return page(
    ctx,
    "questions",
    fill(t.question_title, { id: q.id }),
    html`<blockquote class="asked">${q.question}</blockquote>
<p>${fill(t.question_asked, { when: when(q.askedAt), channel: channelName(t, q.channel) })} · <strong>${gradeName(t, q.status)}</strong>${
      q.feedback ? html` · ${feedbackName(t, q.feedback)}` : ""
    }</p>
<p class="hint">${fill(t.question_scores, { score: q.topScore.toFixed(3), coverage: q.coverage.toFixed(3), ms: q.latencyMs })}</p>
<h2>${t.question_citations}</h2>
${
  cited.length === 0
    ? html`<p>${t.question_no_citations}</p>`
    : html`<ol class="citations">${cited.map(({ id, citation }) =>
        citation
          ? html`<li><p class="source">${citation.title} · ${citation.section}</p><blockquote>${citation.passage}</blockquote></li>`
          : html`<li><p class="hint">${fill(t.question_passage_gone, { id })}</p></li>`,
      )}</ol>`
}
<p><a href="${base}/cau-hoi">${t.back}</a></p>`,
  );
}
