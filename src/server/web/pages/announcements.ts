/**
 * The Announcements page: compose a notice, see it as Telegram and as Zalo will show it (the
 * channels' own renderers), with the recipients per channel; send now or schedule (Vietnam's
 * time) through the broadcast service; watch the progress (app.js polls `tien-do`), read the
 * report per channel, cancel a scheduled or running one. Every action goes to the audit log.
 */
import type { Context, Hono } from "hono";
import { html, raw } from "hono/html";
import { formatVietnamTime, parseVietnamTime } from "../../../bot/admin.js";
import { renderTelegram } from "../../../channels/telegram/render.js";
import { renderZalo } from "../../../channels/zalo/render.js";
import { fill } from "../../../prompts.js";
import type { Broadcast } from "../../../storage/ports.js";
import type { WebEnv, WebKit } from "../index.js";
import { notFound } from "../index.js";
import { channelName, csrfField, type Html, type PageContext, page, when } from "../layout.js";
import { excerpt } from "./overview.js";

/** Telegram's HTML as our renderer writes it: text escaped, only these tags. Anything else is shown as text. */
const TELEGRAM_TAG = /<\/?(?:b|i|blockquote)>/g;
export function telegramPreviewHtml(messageHtml: string): Html {
  const rest = messageHtml.replace(TELEGRAM_TAG, "");
  if (/[<>]/.test(rest)) return html`${messageHtml}`;
  return html`${raw(messageHtml.replace(/\n/g, "<br>"))}`;
}

const FINISHED = new Set(["done", "cancelled"]);

function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === "string" ? v : "";
}

export function announcementRoutes(web: Hono<WebEnv>, kit: WebKit): void {
  const { broadcasts } = kit.deps;
  const idOf = (c: Context<WebEnv>) => {
    const id = Number.parseInt(c.req.param("id") ?? "", 10);
    return Number.isFinite(id) ? id : undefined;
  };

  web.get("/thong-bao", async (c) => c.html(await listPage(kit, kit.ctx(c))));

  web.post("/thong-bao", async (c) => {
    const text = field(await c.req.parseBody(), "text")
      .replace(/\r\n/g, "\n")
      .trim();
    const ctx = kit.ctx(c);
    if (!text) return c.html(await listPage(kit, ctx, ctx.t.notice_empty), 400);
    const { id } = await broadcasts.draft(text, c.get("session").admin);
    await kit.audit(c, "notice-draft", `#${id}`);
    return c.redirect(`${ctx.base}/thong-bao/${id}`, 303);
  });

  web.get("/thong-bao/:id", async (c) => {
    const id = idOf(c);
    const b = id === undefined ? undefined : await broadcasts.get(id);
    if (!b) return c.html(notFound(kit.ctx(c)), 404);
    return c.html(await noticePage(kit, kit.ctx(c), b));
  });

  web.get("/thong-bao/:id/tien-do", async (c) => {
    const id = idOf(c);
    const b = id === undefined ? undefined : await broadcasts.get(id);
    if (!b) return c.json({ ok: false }, 404);
    const counts = await broadcasts.counts(b.id);
    return c.json({
      ok: true,
      status: b.status,
      statusText: kit.deps.replies[`status_${b.status}`],
      finished: FINISHED.has(b.status),
      counts,
    });
  });

  web.post("/thong-bao/:id/gui", async (c) => {
    const id = idOf(c);
    const ctx = kit.ctx(c);
    const b = id === undefined ? undefined : await broadcasts.get(id);
    if (!b) return c.html(notFound(ctx), 404);
    if (!(await broadcasts.confirm(b.id)))
      return c.html(await noticePage(kit, ctx, b, ctx.t.notice_not_changed), 409);
    const total = (await broadcasts.counts(b.id)).total;
    await kit.audit(c, "notice-send", `#${b.id} → ${total}`);
    return c.redirect(`${ctx.base}/thong-bao/${b.id}`, 303);
  });

  web.post("/thong-bao/:id/hen-gio", async (c) => {
    const id = idOf(c);
    const ctx = kit.ctx(c);
    const b = id === undefined ? undefined : await broadcasts.get(id);
    if (!b) return c.html(notFound(ctx), 404);
    // <input type="datetime-local">: "2026-12-01T08:00", read as Vietnam's time.
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(field(await c.req.parseBody(), "when"));
    const at = m ? parseVietnamTime(`${m[3]}/${m[2]}/${m[1]}`, `${m[4]}:${m[5]}`) : undefined;
    if (!at) return c.html(await noticePage(kit, ctx, b, ctx.t.notice_schedule_invalid), 400);
    if (at.getTime() <= kit.now().getTime())
      return c.html(
        await noticePage(kit, ctx, b, fill(ctx.t.notice_schedule_past, { when: formatVietnamTime(at) })),
        400,
      );
    if (!(await broadcasts.schedule(b.id, at)))
      return c.html(await noticePage(kit, ctx, b, ctx.t.notice_not_changed), 409);
    await kit.audit(c, "notice-schedule", `#${b.id} @ ${at.toISOString()}`);
    return c.redirect(`${ctx.base}/thong-bao/${b.id}`, 303);
  });

  web.post("/thong-bao/:id/huy", async (c) => {
    const id = idOf(c);
    const ctx = kit.ctx(c);
    const b = id === undefined ? undefined : await broadcasts.get(id);
    if (!b) return c.html(notFound(ctx), 404);
    if (!(await broadcasts.cancel(b.id)))
      return c.html(await noticePage(kit, ctx, b, ctx.t.notice_not_changed), 409);
    await kit.audit(c, "notice-cancel", `#${b.id}`);
    return c.redirect(`${ctx.base}/thong-bao/${b.id}`, 303);
  });
}

async function listPage(kit: WebKit, ctx: PageContext, error?: string): Promise<Html> {
  const { t, base } = ctx;
  // Lessons of study series go out as notices too; only administrators' announcements are listed.
  const recent = await kit.deps.broadcasts.recent(30, { withoutLessons: true });
  return page(
    ctx,
    "announcements",
    t.nav_announcements,
    html`<section>
<h2>${t.announcements_compose}</h2>
${error ? html`<p class="error">${error}</p>` : ""}
<form method="post" action="${base}/thong-bao" class="compose">
${csrfField(ctx)}
<label for="notice-text">${t.announcements_text}</label>
<textarea id="notice-text" name="text" rows="6" required maxlength="20000"></textarea>
<button type="submit">${t.announcements_preview_button}</button>
</form>
</section>
<section>
<h2>${t.announcements_recent}</h2>
${
  recent.length === 0
    ? html`<p>${t.announcements_empty}</p>`
    : html`<table><thead><tr><th>${t.col_notice}</th><th>${t.col_status}</th><th>${t.col_sent}</th><th>${t.col_failed}</th><th>${t.col_blocked}</th><th>${t.col_total}</th></tr></thead>
<tbody>${recent.map(
        (b) =>
          html`<tr><td><a href="${base}/thong-bao/${b.id}">#${b.id}</a> ${excerpt(b.text)}</td><td>${kit.deps.replies[`status_${b.status}`]}${
            b.scheduledFor && b.status === "scheduled" ? html` (${when(b.scheduledFor)})` : ""
          }</td><td>${b.counts.sent}</td><td>${b.counts.failed}</td><td>${b.counts.blocked}</td><td>${b.counts.total}</td></tr>`,
      )}</tbody></table>`
}
</section>`,
  );
}

async function noticePage(kit: WebKit, ctx: PageContext, b: Broadcast, error?: string): Promise<Html> {
  const { t, base } = ctx;
  const { replies, broadcasts, storage, channels } = kit.deps;
  const counts = await broadcasts.counts(b.id);
  const perChannel = await storage.noticeInsights.countsByChannel(b.id);
  const telegram = renderTelegram({ kind: "text", text: b.text }, replies);
  const zalo = renderZalo({ kind: "text", text: b.text }, replies);
  const cancelForm = html`<form method="post" action="${base}/thong-bao/${b.id}/huy" class="inline">${csrfField(ctx)}<button type="submit" class="danger">${t.notice_cancel}</button></form>`;
  const recipients = await Promise.all(
    channels.map(async (ch) => ({ ch, n: await storage.subscriptions.countActive([ch]) })),
  );
  const actions =
    b.status === "draft"
      ? html`<section>
<h2>${t.notice_recipients}</h2>
<ul>${recipients.map(({ ch, n }) => html`<li>${fill(t.notice_recipients_line, { channel: channelName(t, ch), count: n })}</li>`)}</ul>
<form method="post" action="${base}/thong-bao/${b.id}/gui" class="inline">${csrfField(ctx)}<button type="submit">${t.notice_send_now}</button></form>
<form method="post" action="${base}/thong-bao/${b.id}/hen-gio" class="inline">${csrfField(ctx)}
<label>${t.notice_schedule_at} <input type="datetime-local" name="when" required></label>
<button type="submit">${t.notice_schedule}</button></form>
${cancelForm}
</section>`
      : b.status === "scheduled"
        ? html`<p>${fill(t.notice_scheduled_for, { when: when(b.scheduledFor) })}</p>${cancelForm}`
        : b.status === "queued" || b.status === "running"
          ? html`<section class="progress" data-progress="${base}/thong-bao/${b.id}/tien-do">
<h2>${t.notice_progress}</h2>
<progress max="${counts.total}" value="${counts.total - counts.pending}"></progress>
<p class="progress-text">${fill(replies.notice_progress, { id: b.id, ...counts })}</p>
${cancelForm}
</section>`
          : "";
  const report =
    b.status === "draft" || b.status === "scheduled"
      ? ""
      : html`<section>
<h2>${t.notice_report}</h2>
${FINISHED.has(b.status) && counts.total > 0 ? html`<p class="report">${fill(replies.notice_done, { id: b.id, ...counts })}</p>` : ""}
<table><thead><tr><th>${t.col_channel}</th><th>${t.col_sent}</th><th>${t.col_failed}</th><th>${t.col_blocked}</th><th>${t.col_pending}</th><th>${t.col_total}</th></tr></thead>
<tbody>${perChannel.map(
          (r) =>
            html`<tr><td>${channelName(t, r.channel)}</td><td>${r.sent}</td><td>${r.failed}</td><td>${r.blocked}</td><td>${r.pending}</td><td>${r.total}</td></tr>`,
        )}</tbody></table>
</section>`;
  return page(
    ctx,
    "announcements",
    fill(t.notice_title, { id: b.id }),
    html`${error ? html`<p class="error">${error}</p>` : ""}
<p><strong class="status status-${b.status}">${replies[`status_${b.status}`]}</strong> · ${fill(t.notice_created, { when: when(b.createdAt), by: b.createdBy })}</p>
<div class="previews">
<section class="preview telegram"><h2>${t.notice_as_telegram}</h2>${telegram.map((m) => html`<div class="bubble">${telegramPreviewHtml(m.html)}</div>`)}</section>
<section class="preview zalo"><h2>${t.notice_as_zalo}</h2>${zalo.map((m) => html`<div class="bubble">${m}</div>`)}</section>
</div>
${actions}
${report}
<p><a href="${base}/thong-bao">${t.back}</a></p>`,
  );
}
