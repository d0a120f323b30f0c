/**
 * The Study page: the study series (status, schedule, lessons, chats following them) and the
 * quizzes' figures (participation, share of right answers per group and per person, the hardest
 * questions), the same figures /ketqua gives a group. Groups are shown by their titles and people
 * by the names the platform gave, never by their ids (README: what is kept about users).
 */
import { html } from "hono/html";
import { fill } from "../../../prompts.js";
import type { SeriesStatus } from "../../../storage/ports.js";
import type { QuizFigures } from "../../../study/service.js";
import type { WebKit } from "../index.js";
import { channelName, type Html, type PageContext, page } from "../layout.js";
import type { WebTexts } from "../texts.js";

const percent = (x: number) => Math.round(x * 100);

function statusName(t: WebTexts, s: SeriesStatus): string {
  return t[`series_status_${s}`];
}

/** A group by its title (its subscription's, or the one it joined a series with), never its id. */
type GroupTitles = Map<string, string>;

function quizSection(t: WebTexts, f: QuizFigures, titles: GroupTitles): Html {
  if (f.quizzes === 0) return html`<p>${t.study_quizzes_none}</p>`;
  return html`<p>${fill(t.study_quiz_totals, { quizzes: f.quizzes, answers: f.answers, rate: percent(f.correctRate) })}</p>
<h3>${t.study_groups}</h3>
<table><thead><tr><th>${t.col_channel}</th><th>${t.col_chat}</th><th>${t.col_quizzes}</th><th>${t.col_people}</th><th>${t.col_answers}</th><th>${t.col_correct_rate}</th></tr></thead>
<tbody>${f.groups.map(
    (g) =>
      html`<tr><td>${channelName(t, g.channel)}</td><td>${titles.get(`${g.channel}:${g.chatId}`) ?? t.study_group_untitled}</td><td>${g.quizzes}</td><td>${g.people}</td><td>${g.answers}</td><td>${percent(g.correctRate)}%</td></tr>`,
  )}</tbody></table>
<h3>${t.study_hardest}</h3>
<table><thead><tr><th>${t.col_question}</th><th>${t.col_answers}</th><th>${t.col_correct_rate}</th></tr></thead>
<tbody>${f.hardest
    .slice(0, 10)
    .map(
      (q) => html`<tr><td>${q.text}</td><td>${q.answers}</td><td>${percent(q.correctRate)}%</td></tr>`,
    )}</tbody></table>
<h3>${t.study_people}</h3>
<table><thead><tr><th>${t.col_channel}</th><th>${t.col_person}</th><th>${t.col_answers}</th><th>${t.col_correct_rate}</th><th>${t.col_participation}</th></tr></thead>
<tbody>${[...f.people]
    .sort((a, b) => b.answered - a.answered)
    .slice(0, 50)
    .map(
      (p) =>
        html`<tr><td>${channelName(t, p.channel)}</td><td>${p.name ?? t.study_person_unnamed}</td><td>${p.answered}</td><td>${percent(p.correctRate)}%</td><td>${percent(p.participation)}%</td></tr>`,
    )}</tbody></table>`;
}

export async function studyPage(kit: WebKit, ctx: PageContext): Promise<Html> {
  const { t } = ctx;
  const { storage } = kit.deps;
  const series = await storage.study.listSeries();
  const members = await Promise.all(series.map((s) => storage.study.members(s.id)));
  const figures = kit.deps.quizFigures ? await kit.deps.quizFigures() : undefined;
  const titles: GroupTitles = new Map();
  for (const m of members.flat()) if (m.title) titles.set(`${m.channel}:${m.chatId}`, m.title);
  for (const g of figures?.groups ?? []) {
    const title = (await storage.subscriptions.get(g.channel, g.chatId))?.title;
    if (title) titles.set(`${g.channel}:${g.chatId}`, title);
  }
  return page(
    ctx,
    "study",
    t.study_title,
    html`<h2>${t.study_series}</h2>
${
  series.length === 0
    ? html`<p>${t.study_series_none}</p>`
    : html`<table><thead><tr><th>#</th><th>${t.col_title}</th><th>${t.col_status}</th><th>${t.col_schedule}</th><th>${t.col_lessons}</th><th>${t.col_members}</th></tr></thead>
<tbody>${series.map(
        (s, i) =>
          html`<tr><td>${s.id}</td><td>${s.title}</td><td>${statusName(t, s.status)}</td><td><code>${s.schedule}</code></td><td>${s.passages.length}</td><td>${members[i]?.length ?? 0}</td></tr>`,
      )}</tbody></table>`
}
<h2>${t.study_quizzes}</h2>
${figures ? quizSection(t, figures, titles) : html`<p>${t.study_quizzes_none}</p>`}`,
  );
}
