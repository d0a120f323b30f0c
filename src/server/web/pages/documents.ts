/**
 * The Documents page: each document the bot answers from, with its kind, number, date, issuer
 * and passages, and the files the index skipped with the reason. Upload, replace and remove wait
 * for the document pipeline (issue 13); the page says how to add documents meanwhile.
 */
import { html } from "hono/html";
import { fill } from "../../../prompts.js";
import type { WebKit } from "../index.js";
import { type Html, type PageContext, page, when } from "../layout.js";

/** "2022-11-10" → "10/11/2022"; anything else as it is. */
function vietnameseDate(d: string | undefined): string {
  const m = d ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(d) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (d ?? "");
}

export async function documentsPage(kit: WebKit, ctx: PageContext): Promise<Html> {
  const { t } = ctx;
  const documents = kit.deps.documents();
  const info = await kit.deps.indexInfo().catch(() => undefined);
  return page(
    ctx,
    "documents",
    t.documents_title,
    html`${info ? html`<p>${fill(t.documents_built, { when: when(info.builtAt), passages: info.passages })}</p>` : ""}
${
  documents.length === 0
    ? html`<p>${t.documents_none}</p>`
    : html`<table class="documents"><thead><tr><th>${t.col_title}</th><th>${t.col_doc_kind}</th><th>${t.col_number}</th><th>${t.col_date}</th><th>${t.col_issuer}</th><th>${t.col_passages}</th><th>${t.col_file}</th></tr></thead>
<tbody>${documents.map(
        (d) =>
          html`<tr><td>${d.title}</td><td>${d.meta.kind ?? ""}</td><td>${d.meta.number ?? ""}</td><td>${vietnameseDate(d.meta.date)}</td><td>${d.meta.issuer ?? ""}</td><td>${d.passages}</td><td><code>${d.source}</code></td></tr>`,
      )}</tbody></table>`
}
${
  info && info.skipped.length > 0
    ? html`<section><h2>${t.documents_skipped}</h2><ul class="warnings">${info.skipped.map(
        (s) => html`<li><code>${s.source}</code>: ${s.reason}</li>`,
      )}</ul></section>`
    : ""
}
<p class="hint">${t.documents_upload_later}</p>`,
  );
}
