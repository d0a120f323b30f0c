/**
 * The overview: questions per day over 30 days (answered, partial, not found, 👍, 👎) as a uPlot
 * chart (its data in a data- attribute, drawn by app.js), subscribers per channel and kind, the
 * last announcements with their delivery figures, and the latest administrators' actions.
 */
import { html } from "hono/html";
import { fill } from "../../../prompts.js";
import type { WebKit } from "../index.js";
import { channelName, type Html, kindName, type PageContext, page, when } from "../layout.js";
import type { WebTexts } from "../texts.js";

const DAYS = 30;
const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3600_000;

/** The last `days` days in Vietnam's time, oldest first (yyyy-mm-dd), and when the first began (ISO). */
export function lastDays(now: Date, days: number): { days: string[]; since: string } {
  const vnMidnight = Math.floor((now.getTime() + VN_OFFSET_MS) / DAY_MS) * DAY_MS;
  const list: string[] = [];
  for (let i = days - 1; i >= 0; i--) list.push(new Date(vnMidnight - i * DAY_MS).toISOString().slice(0, 10));
  return { days: list, since: new Date(vnMidnight - (days - 1) * DAY_MS - VN_OFFSET_MS).toISOString() };
}

export async function overviewPage(kit: WebKit, ctx: PageContext): Promise<Html> {
  const { t } = ctx;
  const { storage, replies } = kit.deps;
  const { days, since } = lastDays(kit.now(), DAYS);
  const byDay = new Map((await storage.questionInsights.daily(since)).map((d) => [d.day, d]));
  const series = (
    pick: (d: {
      answered: number;
      partial: number;
      notFound: number;
      liked: number;
      disliked: number;
    }) => number,
  ) =>
    days.map((d) => {
      const x = byDay.get(d);
      return x ? pick(x) : 0;
    });
  const chart = {
    // Noon of each day in Vietnam, as Unix seconds (uPlot's time axis).
    x: days.map((d) => (Date.parse(`${d}T12:00:00+07:00`) / 1000) | 0),
    xLabel: t.series_day,
    series: [
      { label: t.series_answered, values: series((d) => d.answered) },
      { label: t.series_partial, values: series((d) => d.partial) },
      { label: t.series_not_found, values: series((d) => d.notFound) },
      { label: t.series_liked, values: series((d) => d.liked) },
      { label: t.series_disliked, values: series((d) => d.disliked) },
    ],
  };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const totals = chart.series.map((s) => sum(s.values));
  const [answered = 0, partial = 0, notFound = 0, liked = 0, disliked = 0] = totals;
  const counts = await storage.subscriptions.counts();
  const recent = await storage.notices.recent(5, { withoutLessons: true });
  const actions = await storage.audit.recent(10);
  return page(
    ctx,
    "overview",
    t.nav_overview,
    html`<section>
<h2>${fill(t.overview_chart, { days: DAYS })}</h2>
<div class="chart" id="chart-questions" data-chart="${JSON.stringify(chart)}"></div>
<p>${
      answered + partial + notFound === 0
        ? t.overview_chart_empty
        : fill(t.overview_totals, {
            total: answered + partial + notFound,
            answered,
            partial,
            notFound,
            liked,
            disliked,
          })
    }</p>
</section>
<section>
<h2>${t.overview_subscribers}</h2>
${
  counts.length === 0
    ? html`<p>${t.overview_no_subscribers}</p>`
    : html`<table><thead><tr><th>${t.col_channel}</th><th>${t.col_kind}</th><th>${t.col_active}</th><th>${t.col_inactive}</th></tr></thead>
<tbody>${counts.map(
        (r) =>
          html`<tr><td>${channelName(t, r.channel)}</td><td>${kindName(t, r.chatType)}</td><td>${r.active}</td><td>${r.inactive}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section>
<h2>${t.overview_announcements}</h2>
${
  recent.length === 0
    ? html`<p>${t.overview_no_announcements}</p>`
    : html`<table><thead><tr><th>${t.col_notice}</th><th>${t.col_status}</th><th>${t.col_sent}</th><th>${t.col_failed}</th><th>${t.col_blocked}</th><th>${t.col_total}</th></tr></thead>
<tbody>${recent.map(
        (b) =>
          html`<tr><td><a href="${ctx.base}/thong-bao/${b.id}">#${b.id}</a> ${excerpt(b.text)}</td><td>${replies[`status_${b.status}`]}</td><td>${b.counts.sent}</td><td>${b.counts.failed}</td><td>${b.counts.blocked}</td><td>${b.counts.total}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section>
<h2>${t.audit_title}</h2>
<ul class="audit">${actions.map(
      (a) =>
        html`<li>${when(a.at)} · ${a.actor} · ${actionName(t, a.action)}${a.detail ? html` · ${a.detail}` : ""}</li>`,
    )}</ul>
</section>`,
  );
}

/** An audit entry's action as administrators read it. */
function actionName(t: WebTexts, action: string): string {
  const key = `audit_${action.replace(/-/g, "_")}` as keyof WebTexts;
  return key in t ? t[key] : action;
}

/** The first characters of a notice, for a list. */
export function excerpt(text: string, max = 60): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
