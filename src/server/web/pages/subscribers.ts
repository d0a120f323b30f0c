/**
 * The Subscribers page: counts per channel and kind, and the subscriptions filtered by channel,
 * kind and state, each inactive one with when and why it stopped (blocked the bot, removed from
 * the group, unsubscribed).
 */
import { html } from "hono/html";
import type { SubscriberFilter } from "../../../storage/ports.js";
import type { WebKit } from "../index.js";
import { channelName, type Html, kindName, type PageContext, page, pager, select, when } from "../layout.js";
import type { WebTexts } from "../texts.js";

const PAGE_SIZE = 100;

function reasonName(t: WebTexts, reason: string | null): string {
  if (reason === "blocked") return t.reason_blocked;
  if (reason === "removed") return t.reason_removed;
  if (reason === "unsubscribed") return t.reason_unsubscribed;
  return reason ?? "";
}

export async function subscribersPage(kit: WebKit, ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const { t, base } = ctx;
  const channel = query.get("kenh") ?? "";
  const kind = query.get("loai") ?? "";
  const state = query.get("trang_thai") ?? "";
  const filter: SubscriberFilter = {
    channel: ["telegram", "zalo", "console"].includes(channel) ? channel : undefined,
    chatType: kind === "private" || kind === "group" ? kind : undefined,
    active: state === "active" ? true : state === "inactive" ? false : undefined,
  };
  const p = Math.max(1, Number.parseInt(query.get("trang") ?? "1", 10) || 1);
  const { storage } = kit.deps;
  const counts = await storage.subscriptions.counts();
  const { total, rows } = await storage.subscriberDirectory.list(filter, PAGE_SIZE, (p - 1) * PAGE_SIZE);
  return page(
    ctx,
    "subscribers",
    t.subscribers_title,
    html`<table><thead><tr><th>${t.col_channel}</th><th>${t.col_kind}</th><th>${t.col_active}</th><th>${t.col_inactive}</th></tr></thead>
<tbody>${counts.map(
      (r) =>
        html`<tr><td>${channelName(t, r.channel)}</td><td>${kindName(t, r.chatType)}</td><td>${r.active}</td><td>${r.inactive}</td></tr>`,
    )}</tbody></table>
<form method="get" action="${base}/nguoi-dang-ky" class="filters">
${select(
  "kenh",
  channel,
  [
    ["", t.all],
    ["telegram", t.channel_telegram],
    ["zalo", t.channel_zalo],
  ],
  t.col_channel,
)}
${select(
  "loai",
  kind,
  [
    ["", t.all],
    ["private", t.kind_private],
    ["group", t.kind_group],
  ],
  t.col_kind,
)}
${select(
  "trang_thai",
  state,
  [
    ["", t.all],
    ["active", t.state_active],
    ["inactive", t.state_inactive],
  ],
  t.subscribers_state,
)}
<button type="submit">${t.filter}</button>
</form>
${
  rows.length === 0
    ? html`<p>${t.subscribers_none}</p>`
    : html`<table class="subscribers"><thead><tr><th>${t.col_channel}</th><th>${t.col_kind}</th><th>${t.col_chat}</th><th>${t.col_since}</th><th>${t.col_state}</th><th>${t.col_reason}</th></tr></thead>
<tbody>${rows.map(
        (s) =>
          html`<tr class="${s.active ? "active" : "inactive"}"><td>${channelName(t, s.channel)}</td><td>${kindName(t, s.chatType)}</td><td>${s.title ?? s.chatId}</td><td>${when(s.subscribedAt)}</td><td>${s.active ? t.state_active : html`${t.state_inactive} (${when(s.updatedAt)})`}</td><td>${s.active ? "" : reasonName(t, s.inactiveReason)}</td></tr>`,
      )}</tbody></table>`
}
${pager(ctx, "/nguoi-dang-ky", query, p, PAGE_SIZE, total)}`,
  );
}
