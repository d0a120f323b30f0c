/**
 * The page shell of the administrators' web page: Vietnamese, one column on a phone, the
 * navigation, the signed-in administrator and the sign-out form. Every value is put in through
 * hono/html, which escapes it: what users wrote is shown as text, never as markup.
 */
import { html } from "hono/html";
import { formatVietnamTime } from "../../bot/admin.js";
import { fill } from "../../prompts.js";
import type { WebTexts } from "./texts.js";

/** An escaped piece of HTML (hono/html). */
export type Html = ReturnType<typeof html>;

/** What every page knows: the texts, the path prefix, and the session when signed in. */
export interface PageContext {
  t: WebTexts;
  /** The page's own path prefix as the browser sees it ("/quantri", or "/bot/quantri" behind a proxy). */
  base: string;
  session?: { admin: string; csrf: string };
}

export type Section =
  | "overview"
  | "questions"
  | "announcements"
  | "subscribers"
  | "documents"
  | "study"
  | "none";

/** A whole page. */
export function page(ctx: PageContext, section: Section, heading: string, body: Html): Html {
  const { t, base } = ctx;
  const nav: [Section, string, string][] = [
    ["overview", "", t.nav_overview],
    ["questions", "/cau-hoi", t.nav_questions],
    ["announcements", "/thong-bao", t.nav_announcements],
    ["subscribers", "/nguoi-dang-ky", t.nav_subscribers],
    ["documents", "/tai-lieu", t.nav_documents],
    ["study", "/hoc-tap", t.nav_study],
  ];
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${heading} · ${t.title}</title>
<link rel="stylesheet" href="${base}/tai-nguyen/uPlot.min.css">
<link rel="stylesheet" href="${base}/tai-nguyen/app.css">
<script src="${base}/tai-nguyen/uPlot.iife.min.js" defer></script>
<script src="${base}/tai-nguyen/app.js" defer></script>
</head>
<body>
<header>
<strong class="brand">${t.title}</strong>
${
  ctx.session
    ? html`<nav>${nav.map(
        ([s, path, label]) =>
          html`<a href="${base}${path}"${s === section ? html` aria-current="page"` : ""}>${label}</a>`,
      )}</nav>
<form method="post" action="${base}/dang-xuat" class="sign-out">
${csrfField(ctx)}<span>${fill(t.signed_in_as, { admin: ctx.session.admin })}</span>
<button type="submit">${t.sign_out}</button>
</form>`
    : ""
}
</header>
<main>
<h1>${heading}</h1>
${body}
</main>
</body>
</html>`;
}

/** The hidden CSRF field every form of a signed-in page carries. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.session?.csrf ?? ""}">`;
}

/** An ISO time in Vietnam's time ("01/12/2026 08:00"); empty for none. */
export function when(iso: string | null | undefined): string {
  return iso ? formatVietnamTime(new Date(iso)) : "";
}

/** The channel's name as people know it. */
export function channelName(t: WebTexts, channel: string): string {
  if (channel === "telegram") return t.channel_telegram;
  if (channel === "zalo") return t.channel_zalo;
  if (channel === "console") return t.channel_console;
  return channel;
}

export function kindName(t: WebTexts, kind: string): string {
  return kind === "group" ? t.kind_group : t.kind_private;
}

/** A `<select>` of options, `value` selected. */
export function select(name: string, value: string, options: [string, string][], label: string): Html {
  return html`<label>${label}
<select name="${name}">${options.map(
    ([v, text]) => html`<option value="${v}"${v === value ? html` selected` : ""}>${text}</option>`,
  )}</select></label>`;
}

/** Previous / next links for a list of `total` rows, `size` a page. */
export function pager(
  ctx: PageContext,
  path: string,
  query: URLSearchParams,
  p: number,
  size: number,
  total: number,
): Html {
  const pages = Math.max(1, Math.ceil(total / size));
  const link = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("trang", String(n));
    return `${ctx.base}${path}?${q.toString()}`;
  };
  return html`<p class="pager">
${p > 1 ? html`<a href="${link(p - 1)}">${ctx.t.previous_page}</a>` : ""}
<span>${fill(ctx.t.page_of, { page: p, pages, total })}</span>
${p < pages ? html`<a href="${link(p + 1)}">${ctx.t.next_page}</a>` : ""}
</p>`;
}
