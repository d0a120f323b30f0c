/**
 * The Documents page: each document the bot answers from, with its kind, number, date, issuer
 * and passages, and the files the index skipped with the reason; and changing them: upload a
 * document (recognised by its bytes and read by extractDocument, the loader's one entry: text,
 * Markdown, and Word, PDF and scans as their readers can; a file that cannot be read is refused
 * with the reason, and the reading's warnings are shown), replace one (same name, or chosen
 * from the list; asked to confirm), remove one (confirmed; the file is kept in `.removed/`).
 * After each change the index is rebuilt in the background by the `npm run ingest` pipeline and
 * swapped into the running bot; the page follows its progress (app.js polls `tai-lieu/tien-do`).
 * Every change goes to the audit log.
 */

import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { LibraryHistory } from "../../../bot/library.js";
import { reasonText } from "../../../bot/library-replies.js";
import { extractDocument } from "../../../knowledge/formats/extract.js";
import { sniffDocument } from "../../../knowledge/formats/sniff.js";
import type { DocumentFormat } from "../../../knowledge/formats/types.js";
import type { ReadOptions } from "../../../knowledge/loader.js";
import type { DocumentMeta } from "../../../knowledge/types.js";
import { errorSummary } from "../../../logger.js";
import { fill } from "../../../prompts.js";
import {
  type DocumentFiles,
  replacementName,
  safeFileName,
  sizeText,
  withoutControls,
} from "../document-files.js";
import type { WebEnv, WebKit } from "../index.js";
import { csrfField, type Html, type PageContext, page, when } from "../layout.js";
import {
  type ChangeAction,
  type ChangeSteps,
  errorCode,
  type Reindexer,
  type ReindexJob,
} from "../reindex.js";
import type { WebTexts } from "../texts.js";

/** What the page needs to change documents: the folder, the rebuilds, the size limit. */
export interface DocumentUploads {
  files: DocumentFiles;
  reindexer: Reindexer;
  /** MAX_DOCUMENT_BYTES: a larger file is refused before it is saved. */
  maxDocumentBytes: number;
  /**
   * The documents' ledger (src/bot/library.ts): dates of each change, and the passages of a
   * replaced or removed document, so source buttons under older answers still show what they quoted.
   */
  history?: LibraryHistory;
  /** How files are read: the cache the index's builds use (a scan is read by OCR once) and the page limit. */
  read?: ReadOptions;
}

/** "2022-11-10" → "10/11/2022"; anything else as it is. */
function vietnameseDate(d: DocumentMeta["date"]): string {
  const s = typeof d === "string" ? d : "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
}

function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === "string" ? v : "";
}

/** The name a browser sent, as shown back (its last path segment, nothing else). */
function shownName(raw: string): string {
  return withoutControls((raw.split(/[/\\]/).pop() ?? "").normalize("NFC"));
}

/** The format of a file by its bytes, when it is one a reader exists for. */
function formatOf(bytes: Uint8Array, name: string): DocumentFormat | undefined {
  const sniffed = sniffDocument(bytes, name);
  return sniffed.kind === "document" ? sniffed.format : undefined;
}

function actionName(t: WebTexts, action: ChangeAction): string {
  return t[`action_${action}`];
}

/** The job as the page's script reads it, with its progress said in words. */
export function jobJson(t: WebTexts, job: ReindexJob | undefined) {
  if (!job) return { ok: true, job: null, finished: true, text: "" };
  const parts =
    job.documentsTotal > 0
      ? [fill(t.ingest_progress_documents, { done: job.documentsDone, total: job.documentsTotal })]
      : [t.ingest_starting];
  if (job.vectorsTotal > 0)
    parts.push(fill(t.ingest_progress_vectors, { done: job.vectorsDone, total: job.vectorsTotal }));
  return {
    ok: true,
    job: {
      id: job.id,
      action: job.action,
      file: job.file,
      state: job.state,
      documentsDone: job.documentsDone,
      documentsTotal: job.documentsTotal,
      vectorsDone: job.vectorsDone,
      vectorsTotal: job.vectorsTotal,
      documents: job.documents,
      passages: job.passages,
      document: job.document,
      fileSkipped: job.fileSkipped,
      error: job.error,
    },
    finished: job.state !== "running",
    text: parts.join(", "),
  };
}

export function documentRoutes(web: Hono<WebEnv>, kit: WebKit): void {
  const uploads = kit.deps.uploads;
  web.get("/tai-lieu", async (c) => c.html(await documentsPage(kit, kit.ctx(c))));
  if (!uploads) return;
  const { files, reindexer, maxDocumentBytes } = uploads;
  const max = sizeText(maxDocumentBytes);

  const refuse = async (c: Context<WebEnv>, status: 400 | 404 | 409 | 413 | 415 | 500, message: string) =>
    c.html(await documentsPage(kit, kit.ctx(c), message), status);

  /** Makes a change and starts the rebuild; refused while another rebuild runs. */
  const change = async (
    c: Context<WebEnv>,
    action: ChangeAction,
    file: string,
    apply: (steps: ChangeSteps) => Promise<void>,
  ) => {
    const admin = c.get("session").admin;
    const { t } = kit.ctx(c);
    let job: ReindexJob | undefined;
    try {
      job = await reindexer.start({ action, file, admin }, apply);
    } catch (err) {
      // Nothing was changed or rebuilt: say why (a full disk, a folder of that name…), by the
      // error's code in Vietnamese; the detail, with its server paths, only in the log.
      const code = errorCode(err);
      const reason = reasonText(code, kit.deps.replies);
      kit.deps.logger.error({ err: errorSummary(err), code, action, file }, "không thay đổi được tài liệu");
      return refuse(c, 500, fill(t.upload_save_failed, { file, reason }));
    }
    if (!job) return refuse(c, 409, t.upload_busy);
    await kit.audit(c, `document-${action}`, file);
    kit.deps.logger.info({ admin, action, file }, "quản trị viên thay đổi tài liệu trên trang quản trị");
    return c.redirect(`${kit.ctx(c).base}/tai-lieu`, 303);
  };

  web.get("/tai-lieu/tien-do", (c) => c.json(jobJson(kit.ctx(c).t, reindexer.current())));

  web.post("/tai-lieu/tai-len", async (c) => {
    const { t } = kit.ctx(c);
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || (file.size === 0 && file.name === ""))
      return refuse(c, 400, t.upload_missing);
    const original = shownName(file.name) || "tai-lieu";
    if (file.size > maxDocumentBytes)
      return refuse(c, 413, fill(t.upload_too_large, { file: original, size: sizeText(file.size), max }));
    if (reindexer.busy()) return refuse(c, 409, t.upload_busy);
    const bytes = new Uint8Array(await file.arrayBuffer());
    // One sniffer and one reader for every path in: what the index will read is what is accepted.
    const sniffed = sniffDocument(bytes, original);
    if (sniffed.kind === "empty") return refuse(c, 400, fill(t.upload_empty, { file: original }));
    let warnings: string[];
    try {
      // Through the builds' cache: the rebuild that follows reads this file from it, not again.
      const reading = () => extractDocument(bytes, original, uploads.read?.extract);
      warnings = (uploads.read?.cache ? await uploads.read.cache.extract(bytes, reading) : await reading())
        .warnings;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return refuse(c, 415, fill(t.upload_unreadable, { file: original, reason }));
    }
    const listed = await files.list();
    const chosen = field(body, "target");
    if (chosen && !listed.includes(chosen)) return refuse(c, 404, fill(t.document_unknown, { file: chosen }));
    const name = safeFileName(original, formatOf(bytes, original));
    const target = chosen || (listed.includes(name) ? name : "");
    if (target) {
      // Replacing asks first: the upload waits aside, for this administrator only.
      const staged = await files.stage({ admin: c.get("session").admin, target, original }, bytes);
      return c.html(confirmReplacePage(kit.ctx(c), staged.token, target, original, staged.bytes, warnings));
    }
    const admin = c.get("session").admin;
    // A failed rebuild leaves the file in place on this page (the next rebuild takes it in), so
    // the change registers no undo steps and the old passages are kept at once.
    return change(c, "upload", name, async () => {
      await files.write(name, bytes);
      await uploads.history?.touch(name, admin);
    });
  });

  web.post("/tai-lieu/thay-the", async (c) => {
    const { t } = kit.ctx(c);
    const token = field(await c.req.parseBody(), "token");
    const staged = await files.staged(token, c.get("session").admin);
    if (!staged) return refuse(c, 404, t.upload_stage_gone);
    if (!(await files.list()).includes(staged.target))
      return refuse(c, 404, fill(t.document_unknown, { file: staged.target }));
    const name = replacementName(
      staged.target,
      safeFileName(staged.original, formatOf(staged.data, staged.original)),
    );
    const admin = c.get("session").admin;
    return change(c, "replace", name, async () => {
      await uploads.history?.retire(staged.target, "replace")();
      await files.write(name, staged.data);
      if (name !== staged.target) await files.remove(staged.target, { keepSidecar: true });
      await files.unstage(token);
      await uploads.history?.touch(name, admin, staged.target);
    });
  });

  web.post("/tai-lieu/huy-thay-the", async (c) => {
    await files.unstage(field(await c.req.parseBody(), "token"));
    return c.redirect(`${kit.ctx(c).base}/tai-lieu`, 303);
  });

  web.post("/tai-lieu/go", async (c) => {
    const ctx = kit.ctx(c);
    const body = await c.req.parseBody();
    const file = field(body, "file");
    // Only a name the folder itself lists: nothing a browser sends can point elsewhere.
    if (!(await files.list()).includes(file)) return refuse(c, 404, fill(ctx.t.document_unknown, { file }));
    if (field(body, "confirm") !== "1") return c.html(confirmRemovePage(ctx, file));
    return change(c, "remove", file, async () => {
      await uploads.history?.retire(file, "remove")();
      await files.remove(file);
      await uploads.history?.forget(file);
    });
  });
}

function confirmReplacePage(
  ctx: PageContext,
  token: string,
  target: string,
  original: string,
  bytes: number,
  warnings: readonly string[],
): Html {
  const { t, base } = ctx;
  return page(
    ctx,
    "documents",
    t.upload_confirm_title,
    html`<p>${fill(t.upload_confirm_replace, { file: target, original, size: sizeText(bytes) })}</p>
${warnings.length > 0 ? html`<p class="warning">${fill(t.document_warnings, { warnings: warnings.join("; ") })}</p>` : ""}
<form method="post" action="${base}/tai-lieu/thay-the" class="inline">${csrfField(ctx)}<input type="hidden" name="token" value="${token}"><button type="submit">${t.upload_confirm_button}</button></form>
<form method="post" action="${base}/tai-lieu/huy-thay-the" class="inline">${csrfField(ctx)}<input type="hidden" name="token" value="${token}"><button type="submit" class="secondary">${t.cancel}</button></form>`,
  );
}

function confirmRemovePage(ctx: PageContext, file: string): Html {
  const { t, base } = ctx;
  return page(
    ctx,
    "documents",
    t.remove_confirm_title,
    html`<p>${fill(t.remove_confirm, { file })}</p>
<form method="post" action="${base}/tai-lieu/go" class="inline">${csrfField(ctx)}<input type="hidden" name="file" value="${file}"><input type="hidden" name="confirm" value="1"><button type="submit" class="danger">${t.remove_confirm_button}</button></form>
<p><a href="${base}/tai-lieu">${t.cancel}</a></p>`,
  );
}

/** What reading a document needed its administrator to know (OCR pages, an encoding converted). */
function warningsOf(ctx: PageContext, warnings: readonly string[] | undefined): Html | string {
  if (!warnings?.length) return "";
  return html`<p class="warning">${fill(ctx.t.document_warnings, { warnings: warnings.join("; ") })}</p>`;
}

/** The last change and its rebuild: live progress while running, then what came of it. */
function jobSection(ctx: PageContext, job: ReindexJob): Html {
  const { t, base } = ctx;
  if (job.state === "running") {
    const p = jobJson(t, job);
    return html`<section class="progress ingest" data-ingest="${base}/tai-lieu/tien-do">
<h2>${t.ingest_title}</h2>
<p>${fill(t.ingest_running, { action: actionName(t, job.action), file: job.file })}</p>
<progress max="${job.documentsTotal || 1}" value="${job.documentsDone}"></progress>
<p class="progress-text">${p.text}</p>
</section>`;
  }
  if (job.state === "failed")
    return html`<section class="ingest-failed"><h2>${t.ingest_title}</h2><p class="error">${fill(
      t.ingest_failed,
      {
        when: when(job.finishedAt),
        reason: job.error ?? "",
      },
    )}</p></section>`;
  const outcome =
    job.action === "remove"
      ? html`<p>${fill(t.ingest_removed, { file: job.file })}</p>`
      : job.document
        ? html`<p>${fill(t.ingest_added, { file: job.file, title: job.document.title, passages: job.document.passages })}</p>${warningsOf(ctx, job.document.warnings)}`
        : html`<p class="error">${fill(t.ingest_file_skipped, { file: job.file, reason: job.fileSkipped ?? "" })}</p>`;
  return html`<section class="ingest-done"><h2>${t.ingest_title}</h2>
<p>${fill(t.ingest_done, { when: when(job.finishedAt), documents: job.documents ?? 0, passages: job.passages ?? 0 })}</p>
${outcome}</section>`;
}

export async function documentsPage(kit: WebKit, ctx: PageContext, error?: string): Promise<Html> {
  const { t, base } = ctx;
  const documents = kit.deps.documents();
  const info = await kit.deps.indexInfo().catch(() => undefined);
  const uploads = kit.deps.uploads;
  const job = uploads?.reindexer.current();
  const changed = job && job.state === "done" && job.action !== "remove" ? job.file : undefined;
  const removeForm = (source: string) =>
    html`<form method="post" action="${base}/tai-lieu/go" class="inline">${csrfField(ctx)}<input type="hidden" name="file" value="${source}"><button type="submit" class="danger">${t.documents_remove_button}</button></form>`;
  const actions = (source: string) =>
    uploads
      ? html`<td class="actions">${removeForm(source)}<details class="replace"><summary>${t.documents_replace_button}</summary><form method="post" action="${base}/tai-lieu/tai-len" enctype="multipart/form-data">${csrfField(ctx)}<input type="hidden" name="target" value="${source}"><input type="file" name="file" required aria-label="${t.documents_upload_file}" data-max-bytes="${uploads.maxDocumentBytes}" data-too-large="${t.upload_too_large}" data-max="${sizeText(uploads.maxDocumentBytes)}"><p class="error upload-error" hidden></p><button type="submit">${t.documents_replace_button}</button></form></details></td>`
      : "";
  return page(
    ctx,
    "documents",
    t.documents_title,
    html`${error ? html`<p class="error">${error}</p>` : ""}
${job ? jobSection(ctx, job) : ""}
${info ? html`<p>${fill(t.documents_built, { when: when(info.builtAt), passages: info.passages })}</p>` : ""}
${
  documents.length === 0
    ? html`<p>${t.documents_none}</p>`
    : html`<table class="documents"><thead><tr><th>${t.col_title}</th><th>${t.col_doc_kind}</th><th>${t.col_number}</th><th>${t.col_date}</th><th>${t.col_issuer}</th><th>${t.col_passages}</th><th>${t.col_file}</th>${uploads ? html`<th>${t.col_actions}</th>` : ""}</tr></thead>
<tbody>${documents.map(
        (d) =>
          html`<tr${d.source === changed ? html` class="changed"` : ""}><td>${d.title}${d.source === changed ? html` <mark>${t.documents_changed}</mark>` : ""}${warningsOf(ctx, d.warnings)}</td><td>${d.meta.kind ?? ""}</td><td>${d.meta.number ?? ""}</td><td>${vietnameseDate(d.meta.date)}</td><td>${d.meta.issuer ?? ""}</td><td>${d.passages}</td><td><code>${d.source}</code></td>${actions(d.source)}</tr>`,
      )}</tbody></table>`
}
${
  info && info.skipped.length > 0
    ? html`<section><h2>${t.documents_skipped}</h2><ul class="warnings">${info.skipped.map(
        (s) =>
          html`<li><code>${s.source}</code>: ${s.reason}${uploads ? html` ${removeForm(s.source)}` : ""}</li>`,
      )}</ul></section>`
    : ""
}
${
  uploads
    ? html`<section><h2>${t.documents_upload_title}</h2>
<form method="post" action="${base}/tai-lieu/tai-len" enctype="multipart/form-data" class="upload">${csrfField(ctx)}
<label for="document-file">${t.documents_upload_file}</label>
<input type="file" id="document-file" name="file" required data-max-bytes="${uploads.maxDocumentBytes}" data-too-large="${t.upload_too_large}" data-max="${sizeText(uploads.maxDocumentBytes)}">
<p class="hint">${fill(t.documents_upload_hint, { max: sizeText(uploads.maxDocumentBytes) })}</p>
<p class="error upload-error" hidden></p>
<button type="submit">${t.documents_upload_button}</button>
</form></section>`
    : ""
}`,
  );
}
