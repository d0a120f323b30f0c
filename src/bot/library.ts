/**
 * Documents managed in chat by the bot's administrators, channel-neutral. A file an administrator
 * sends is read the way the index will read it (the loader's path: format by its bytes,
 * extractDocument, metadata, chunkDocument) and shown as a preview — title, kind, number, date,
 * issuer, passages, first sections, warnings — with buttons: add, replace the document it matches
 * (same number or title), cancel. The file waits in the documents folder's staging (30 minutes)
 * until confirmed; then it is written under KNOWLEDGE_DIR with a safe name (the old one kept in
 * `.removed/`) and the index is rebuilt by the same pipeline as the web page and `npm run ingest`
 * (incremental, swapped atomically, other instances told). /quanlytailieu lists the documents
 * with their dates, passages and status, and removes or replaces one after asking. The passages
 * of a replaced or removed document are kept in the ledger, so old source buttons still resolve.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { shortSection } from "../answer/citations.js";
import { sniffDocument } from "../knowledge/formats/sniff.js";
import { loadDocument, type ReadOptions } from "../knowledge/loader.js";
import { describeDocument } from "../knowledge/metadata.js";
import { chunkDocument, citationPath, formatSectionPath } from "../knowledge/structure.js";
import type { Passage, SkippedFile } from "../knowledge/types.js";
import { errorSummary, type Logger } from "../logger.js";
import { fill, type Replies } from "../prompts.js";
import type { DocumentSummary } from "../search/knowledge-index.js";
import { type DocumentFiles, replacementName, safeFileName, sizeText } from "../server/web/document-files.js";
import {
  type ChangeAction,
  type ChangeSteps,
  errorCode,
  type Reindexer,
  type ReindexJob,
} from "../server/web/reindex.js";
import { fold } from "../text/vietnamese.js";
import type { LibraryLedger } from "./library-ledger.js";
import { reasonText } from "./library-replies.js";
import type { Action, Incoming, Reply } from "./types.js";

/** The largest file the Bot API lets a bot download (getFile): "20 MB" as Telegram counts, 20 MiB. */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** How long a "replace this one" chosen from the list waits for the new file. */
const REPLACE_WAIT_MS = 30 * 60_000;
/** Documents on a page of the list (two buttons each, and ‹ ›: far under Telegram's 100). */
const LIST_PAGE = 10;
/** Section paths shown in a preview. */
const PREVIEW_SECTIONS = 5;

export interface LibraryDeps {
  files: DocumentFiles;
  reindexer: Reindexer;
  ledger: LibraryLedger;
  /** The documents of the index in use. */
  documents: () => readonly DocumentSummary[];
  /** The passages of a document in the index in use (kept when it is replaced or removed). */
  passagesOf: (docId: string) => readonly Passage[];
  /** The files the index in use skipped, with why. */
  skipped: () => Promise<readonly SkippedFile[]>;
  isAdmin: (m: Incoming) => boolean;
  replies: Replies;
  logger: Logger;
  /** MAX_DOCUMENT_BYTES. */
  maxDocumentBytes: number;
  /** How files are read: the cache the index's builds use (a scan is read by OCR once) and the page limit. */
  read?: ReadOptions;
  now?: () => Date;
}

/** A file as a channel received it. */
export interface ReceivedFile {
  bytes: Uint8Array;
  /** The name the sender gave it (only its last segment is used). */
  name: string;
}

/** Takes a step of a change back (the ledger as it was). */
export type Undo = () => Promise<void>;

/** What a change of the documents leaves in the ledger, for changes made elsewhere (the web page). */
export interface LibraryHistory {
  /**
   * Before replacing or removing `source`: takes its passages from the index in use and returns
   * what keeps them for old source buttons, to run once the new index is live (ChangeSteps.live),
   * so the retirement is dated by the swap: an answer given before it cites the old text.
   */
  retire(source: string, action: "replace" | "remove"): () => Promise<void>;
  /** After adding or replacing: `source`'s dates (`replacing`: the file it replaced); returns its undo. */
  touch(source: string, by: string, replacing?: string): Promise<Undo>;
  /** After removing; returns its undo. */
  forget(source: string): Promise<Undo>;
}

export interface Library {
  /** The ledger's side of a change made elsewhere (the web page), so it is remembered the same way. */
  readonly history: LibraryHistory;
  /** The largest file accepted in chat, in bytes (the platform's limit and MAX_DOCUMENT_BYTES). */
  readonly maxBytes: number;
  /**
   * Why `file` is refused as too large, naming the limit that refuses it (Telegram's download
   * limit or MAX_DOCUMENT_BYTES); `size` when known.
   */
  tooBig(file: string, size?: number): string;
  /** Reads a file an administrator sent: its preview with buttons, or why it cannot be read. */
  preview(m: Incoming, file: ReceivedFile): Promise<Reply[]>;
  /**
   * The documents with their dates, passages and status, and buttons to remove or replace each:
   * on Telegram a page of them (`page`, from 0) with ‹ › to turn, elsewhere all of them.
   */
  list(m: Incoming, page?: number): Promise<Reply[]>;
  /** A button press under a preview or the list. */
  act(m: Incoming, action: Extract<Action, { kind: "upload" | "library" }>): Promise<Reply[]>;
}

const text = (t: string): Reply[] => [{ kind: "text", text: t }];

/** A change found, once it holds the slot, that it no longer applies: said to the person, nothing changed. */
class Refused extends Error {
  constructor(readonly said: string) {
    super("change refused");
  }
}

/** A document file's key in button data: short, and never the name itself (64 bytes at most). */
export function fileKey(source: string): string {
  return createHash("sha256").update(source).digest("base64url").slice(0, 12);
}

/** "2026-12-01T08:00:00Z" → "01/12/2026" (Vietnam's date). */
function dateText(iso: string | Date): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

export function createLibrary(deps: LibraryDeps): Library {
  const r = deps.replies;
  const now = deps.now ?? (() => new Date());
  const who = (m: Incoming) => `${m.channel}:${m.userId}`;
  /** A replacement chosen from the list, waiting for the administrator's next file. */
  const replacing = new Map<string, { source: string; until: number }>();
  const maxBytes = Math.min(TELEGRAM_DOWNLOAD_LIMIT, deps.maxDocumentBytes);
  /** Confirmations being carried out (staged tokens, `rm:<source>`): a second press finds its own. */
  const claiming = new Set<string>();
  const tooBig = (file: string, size?: number) => {
    const telegram = TELEGRAM_DOWNLOAD_LIMIT <= deps.maxDocumentBytes;
    const max = telegram ? `${TELEGRAM_DOWNLOAD_LIMIT / 1024 / 1024} MB` : sizeText(deps.maxDocumentBytes);
    if (size === undefined)
      return fill(telegram ? r.upload_too_big_unknown : r.upload_too_big_config_unknown, { file, max });
    return fill(telegram ? r.upload_too_big : r.upload_too_big_config, { file, size: sizeText(size), max });
  };

  /** The document a new file matches: chosen from the list, or the same number or title. */
  const matchOf = (m: Incoming, doc: { title: string; meta: Record<string, unknown> }, name: string) => {
    const documents = deps.documents();
    const chosen = replacing.get(who(m));
    if (chosen && chosen.until > now().getTime()) {
      const d = documents.find((x) => x.source === chosen.source);
      if (d) return d;
    }
    const number = typeof doc.meta.number === "string" ? squash(doc.meta.number) : "";
    const title = squash(doc.title);
    return (
      documents.find(
        (d) => number !== "" && typeof d.meta.number === "string" && squash(d.meta.number) === number,
      ) ??
      documents.find((d) => squash(d.title) === title) ??
      documents.find((d) => d.source === name)
    );
  };

  /** Makes the change, rebuilds, and says what came of it (waits for a rebuild already running). */
  const rebuild = async (
    m: Incoming,
    change: { action: ChangeAction; file: string },
    apply: (steps: ChangeSteps) => Promise<void>,
  ): Promise<{ job: ReindexJob } | { said: Reply[] }> => {
    const log = m.logger ?? deps.logger;
    // Changes queue: each waits for the one being written and rebuilt (bounded: 20 in turn).
    for (let attempt = 0; attempt < 20; attempt++) {
      let job: ReindexJob | undefined;
      try {
        job = await deps.reindexer.start({ ...change, admin: who(m) }, apply);
      } catch (err) {
        if (err instanceof Refused) return { said: text(err.said) };
        const code = errorCode(err);
        log.error(
          { err: errorSummary(err), code, action: change.action, file: change.file },
          "không thay đổi được tài liệu",
        );
        return {
          said: text(fill(r.upload_save_failed_chat, { file: change.file, reason: reasonText(code, r) })),
        };
      }
      if (job) {
        await deps.reindexer.idle();
        log.info(
          { admin: who(m), action: change.action, file: change.file, state: job.state },
          "quản trị viên thay đổi tài liệu trong cuộc trò chuyện",
        );
        return { job };
      }
      // Another change is being indexed: this one follows it.
      await deps.reindexer.idle();
    }
    return { said: text(r.upload_busy_chat) };
  };

  /** What a finished rebuild means for the changed file. */
  const outcome = (job: ReindexJob, ok: (d: NonNullable<ReindexJob["document"]>) => string): Reply[] => {
    if (job.state === "failed") return failed(job);
    if (!job.document)
      return text(fill(r.upload_not_indexed, { file: job.file, reason: job.fileSkipped ?? "" }));
    return text(ok(job.document));
  };

  /** A failed rebuild: the index in use is the previous one, and the change was taken back (or not). */
  const failed = (job: ReindexJob): Reply[] =>
    text(
      fill(job.rolledBack ? r.upload_failed : r.upload_failed_not_undone, {
        reason: reasonText(job.errorCode, r),
      }),
    );

  /**
   * Takes the passages of a document about to be replaced or removed from the index in use (old
   * source buttons) and returns what keeps them, dated when it runs: once the new index is live.
   */
  const retire = (source: string, action: "replace" | "remove") => {
    const d = deps.documents().find((x) => x.source === source);
    if (!d) return async () => {};
    const passages = deps.passagesOf(d.id).map((p) => ({
      id: p.id,
      section: formatSectionPath(p.sectionPath),
      label: shortSection(citationPath(p.sectionPath)),
      text: p.text,
    }));
    return () =>
      deps.ledger.retire({
        docId: d.id,
        source,
        title: d.shortTitle,
        action,
        at: now().toISOString(),
        passages,
      });
  };
  /** Records `source`'s dates; returns how to put the ledger back as it was. */
  const touch = async (source: string, by: string, replacing?: string): Promise<Undo> => {
    const before = await deps.ledger.entry(source);
    const replaced = replacing ? await deps.ledger.entry(replacing) : undefined;
    await deps.ledger.touch(source, by, replacing);
    return async () => {
      await deps.ledger.put(source, before);
      if (replacing && replacing !== source) await deps.ledger.put(replacing, replaced);
    };
  };
  const forget = async (source: string): Promise<Undo> => {
    const before = await deps.ledger.entry(source);
    await deps.ledger.forget(source);
    return () => deps.ledger.put(source, before);
  };

  /** Carries out a confirmed preview (add, or replace the document it matched). */
  const confirm = async (
    m: Incoming,
    choice: "add" | "replace",
    staged: { target: string; original: string; data: Uint8Array },
  ) => {
    const listed = await deps.files.list();
    const target = staged.target;
    if (choice === "replace" && target && listed.includes(target)) {
      const old = titleOf(target);
      const done = await rebuild(
        m,
        { action: "replace", file: replacementName(target, staged.original) },
        async (steps) => {
          // Listed again now that this change holds the slot: another may have changed the folder.
          const current = await deps.files.list();
          if (!current.includes(target)) throw new Refused(fill(r.upload_target_gone, { title: old }));
          // Under the target's stem with the new extension, unless another document has that name.
          const next = replacementName(target, staged.original);
          const name = next === target ? target : freeName(next, current);
          steps.file(name);
          steps.live(retire(target, "replace"));
          steps.undo(await deps.files.write(name, staged.data));
          if (name !== target) steps.undo(await deps.files.remove(target, { keepSidecar: true }));
          steps.undo(await touch(name, who(m), target));
        },
      );
      if ("said" in done) return done;
      return {
        job: done.job,
        said: outcome(done.job, (d) =>
          fill(r.upload_replaced, { old, title: d.title, passages: d.passages }),
        ),
      };
    }
    // Added beside the others: a name already taken gets a number, never overwriting a document.
    const done = await rebuild(
      m,
      { action: "upload", file: freeName(staged.original, listed) },
      async (steps) => {
        const name = freeName(staged.original, await deps.files.list());
        steps.file(name);
        steps.undo(await deps.files.write(name, staged.data));
        steps.undo(await touch(name, who(m)));
      },
    );
    if ("said" in done) return done;
    return {
      job: done.job,
      said: outcome(done.job, (d) => fill(r.upload_added, { title: d.title, passages: d.passages })),
    };
  };

  const bySource = async (key: string) => (await deps.files.list()).find((s) => fileKey(s) === key);
  const titleOf = (source: string) => deps.documents().find((d) => d.source === source)?.shortTitle ?? source;

  const library: Library = {
    maxBytes,
    tooBig,
    history: { retire, touch, forget },

    async preview(m, file) {
      const log = m.logger ?? deps.logger;
      const sniffed = sniffDocument(file.bytes, file.name);
      const name = safeFileName(
        file.name || "tai-lieu",
        sniffed.kind === "document" ? sniffed.format : undefined,
      );
      if (file.bytes.length > maxBytes) return text(tooBig(name, file.bytes.length));
      // Read exactly as the loader will read it from the folder: a copy under its safe name.
      const dir = await mkdtemp(join(tmpdir(), "danvan-upload-"));
      let doc: Awaited<ReturnType<typeof loadDocument>>;
      try {
        await writeFile(join(dir, name), file.bytes);
        doc = await loadDocument({ path: join(dir, name), source: name }, deps.read);
      } catch (err) {
        // The readers' reasons are Vietnamese already; a system error's (a full disk) is said by its code.
        const code = errorCode(err);
        const reason = code ? reasonText(code, r) : err instanceof Error ? err.message : String(err);
        log.info(
          { file: name, bytes: file.bytes.length, code, reason },
          "tệp quản trị viên gửi không đọc được",
        );
        return text(fill(r.upload_unreadable, { file: name, reason }));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const passages = chunkDocument(
        doc.id,
        doc.shortTitle === doc.title ? doc.title : `${doc.shortTitle} \n ${doc.title}`,
        doc.text,
      );
      const sections = [
        ...new Set(passages.map((p) => formatSectionPath(p.sectionPath)).filter((s) => s !== "phần mở đầu")),
      ].slice(0, PREVIEW_SECTIONS);
      const match = matchOf(m, doc, name);
      const staged = await deps.files.stage(
        { admin: who(m), target: match?.source ?? "", original: name },
        file.bytes,
      );
      replacing.delete(who(m));
      const details = describeDocument(doc.meta) || "—";
      const lines = [
        fill(r.upload_preview, {
          file: name,
          format: sniffed.kind === "document" ? sniffed.label : "",
          title: doc.title,
          details,
          passages: passages.length,
          sections: sections.join("; ") || "—",
        }),
      ];
      if (doc.warnings?.length)
        lines.push(fill(r.upload_preview_warnings, { warnings: doc.warnings.join("; ") }));
      log.info(
        { file: name, bytes: file.bytes.length, passages: passages.length, match: match?.source },
        "đã đọc tệp quản trị viên gửi",
      );
      const row: { label: string; action: Action }[] = [
        { label: r.upload_button_add, action: { kind: "upload", token: staged.token, choice: "add" } },
      ];
      if (match)
        row.push({
          label: fill(r.upload_button_replace, { title: match.shortTitle }),
          action: { kind: "upload", token: staged.token, choice: "replace" },
        });
      return [
        {
          kind: "choices",
          text: lines.join("\n\n"),
          buttons: [
            row,
            [
              {
                label: r.upload_button_cancel,
                action: { kind: "upload", token: staged.token, choice: "cancel" },
              },
            ],
          ],
        },
      ];
    },

    async list(m, page = 0) {
      if (!deps.isAdmin(m)) return text(r.admin_only);
      const buttoned = m.channel === "telegram";
      const documents = deps.documents();
      const skipped = await deps.skipped().catch(() => [] as SkippedFile[]);
      const listed = [
        ...documents.map((d) => ({
          source: d.source,
          document: d as DocumentSummary | undefined,
          reason: "",
        })),
        ...skipped.map((s) => ({ source: s.source, document: undefined, reason: s.reason })),
      ];
      if (listed.length === 0) return text(r.library_empty);
      // Telegram shows about 100 buttons under a message: a page of documents at a time, with ‹ ›.
      // Without buttons (Zalo, the terminal) the whole list.
      const pages = buttoned ? Math.ceil(listed.length / LIST_PAGE) : 1;
      const shown = Math.min(Math.max(0, page), pages - 1);
      const first = buttoned ? shown * LIST_PAGE : 0;
      const lines = [pages > 1 ? fill(r.library_header_page, { page: shown + 1, pages }) : r.library_header];
      const buttons: { label: string; action: Action }[][] = [];
      for (const [i, item] of listed.entries()) {
        if (i < first || i >= first + (buttoned ? LIST_PAGE : listed.length)) continue;
        const n = i + 1;
        const mtime = await stat(join(deps.files.dir, item.source)).then(
          (s) => s.mtime,
          () => now(),
        );
        const entry = await deps.ledger.entry(item.source);
        const updated = dateText(entry?.updatedAt ?? mtime);
        if (item.document)
          lines.push(
            fill(r.library_line, {
              n,
              title: item.document.shortTitle,
              file: item.source,
              passages: item.document.passages,
              added: dateText(entry?.addedAt ?? mtime),
              updated,
            }),
          );
        else lines.push(fill(r.library_skipped_line, { n, file: item.source, reason: item.reason, updated }));
        const key = fileKey(item.source);
        buttons.push([
          { label: fill(r.library_button_remove, { n }), action: { kind: "library", key, op: "remove" } },
          ...(item.document
            ? [
                {
                  label: fill(r.library_button_replace, { n }),
                  action: { kind: "library", key, op: "replace" } as Action,
                },
              ]
            : []),
        ]);
      }
      const turn: { label: string; action: Action }[] = [];
      if (shown > 0)
        turn.push({
          label: r.library_button_previous,
          action: { kind: "library", op: "page", page: shown - 1 },
        });
      if (shown < pages - 1)
        turn.push({ label: r.library_button_next, action: { kind: "library", op: "page", page: shown + 1 } });
      if (turn.length) buttons.push(turn);
      // The buttons are Telegram's; elsewhere (Zalo, the terminal) the last line says where they are.
      lines.push(buttoned ? r.library_hint : r.library_hint_no_buttons);
      return [{ kind: "choices", text: lines.join("\n"), buttons }];
    },

    async act(m, action) {
      if (!deps.isAdmin(m)) return text(r.admin_only);
      if (action.kind === "library") {
        if (action.op === "page") return library.list(m, action.page);
        // A second confirmation while the first is carried out (a double tap) finds it claimed.
        const claim = `rm:${action.key}`;
        if (action.op === "remove_yes" && claiming.has(claim)) return text(r.change_already_done);
        const source = await bySource(action.key);
        if (action.op === "cancel") return text(r.library_cancelled);
        if (!source) return text(r.library_unknown);
        const title = titleOf(source);
        switch (action.op) {
          case "remove":
            return [
              {
                kind: "choices",
                text: fill(r.library_remove_confirm, { title, file: source }),
                buttons: [
                  [
                    {
                      label: fill(r.library_button_remove_yes, { title }),
                      action: { ...action, op: "remove_yes" },
                    },
                    { label: r.upload_button_cancel, action: { ...action, op: "cancel" } },
                  ],
                ],
              },
            ];
          case "replace":
            replacing.set(who(m), { source, until: now().getTime() + REPLACE_WAIT_MS });
            return text(fill(r.library_replace_wait, { title }));
          case "remove_yes": {
            // One confirmation, one change: a second press while it is carried out is told so.
            if (claiming.has(claim)) return text(r.change_already_done);
            claiming.add(claim);
            try {
              const done = await rebuild(m, { action: "remove", file: source }, async (steps) => {
                if (!(await deps.files.list()).includes(source)) throw new Refused(r.change_already_done);
                steps.live(retire(source, "remove"));
                steps.undo(await deps.files.remove(source));
                steps.undo(await forget(source));
              });
              if ("said" in done) return done.said;
              if (done.job.state === "failed") return failed(done.job);
              return text(fill(r.library_removed, { title, file: source }));
            } finally {
              claiming.delete(claim);
            }
          }
        }
      }
      // Claimed before anything is awaited: of two presses delivered together, one carries it out.
      if (claiming.has(action.token)) return text(r.change_already_done);
      if (action.choice === "cancel") {
        if (!(await deps.files.staged(action.token, who(m)))) return text(r.upload_expired);
        await deps.files.unstage(action.token);
        return text(r.upload_cancelled);
      }
      claiming.add(action.token);
      try {
        const staged = await deps.files.claim(action.token, who(m));
        if (staged === "claimed") return text(r.change_already_done);
        if (!staged) return text(r.upload_expired);
        const done = await confirm(m, action.choice, staged);
        // Made (and rebuilt, or taken back): the upload is done with; not made: it waits again.
        if ("job" in done) await deps.files.unstage(action.token);
        else await staged.release();
        return done.said;
      } finally {
        claiming.delete(action.token);
      }
    },
  };
  return library;
}

/** `name`, or "name (2).ext", "name (3).ext"… when the folder already has it. */
function freeName(name: string, listed: readonly string[]): string {
  const taken = new Set(listed.map((s) => s.toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** Folded, without spaces and punctuation: "123-KH/TU" and "123 KH/TU" compare equal. */
function squash(s: string): string {
  return fold(s.toLowerCase()).replace(/[^a-z0-9]+/g, "");
}
