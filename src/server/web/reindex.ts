/**
 * Rebuilding the index after a change made on the Documents page, in the background, one at a
 * time: the same pipeline as `npm run ingest` (buildIndex: incremental, written beside the old
 * index and swapped in atomically), then the running bot's index holder reloads it and the change
 * is announced to the other instances (storage.knowledge.bump, through the knowledge sync). The
 * page polls the job's progress. A failed rebuild leaves CURRENT untouched, so the bot keeps
 * answering from the previous index.
 */

import type { SkippedFile } from "../../knowledge/types.js";
import { errorSummary, type Logger } from "../../logger.js";
import type { EmbedderConfig } from "../../search/embeddings/index.js";
import { buildIndex, type Manifest } from "../../search/index-store.js";

/** Reports the pipeline's progress: documents chunked, passages embedded. */
export type IngestProgress = (stage: "documents" | "vectors", done: number, total: number) => void;

/** Rebuilds the index from the documents folder, swaps it in and announces it; returns the manifest. */
export type IngestPipeline = (onProgress: IngestProgress) => Promise<Manifest>;

/** Runs `fn`s one after another: the page's rebuilds and the knowledge sync's never overlap. */
export function createLock(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The `npm run ingest` pipeline for a running bot: build, then `swap` (the index holder's
 * reload), then `announce` (the knowledge sync's bump). An announcement that fails is only
 * logged: this instance already serves the new index.
 */
export function ingestPipeline(deps: {
  knowledgeDir: string;
  indexDir: string;
  embedder?: EmbedderConfig;
  maxDocumentBytes?: number;
  maxDocumentPages?: number;
  swap: () => Promise<unknown>;
  announce: () => Promise<unknown>;
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  logger: Logger;
}): IngestPipeline {
  const lock = deps.lock ?? ((fn) => fn());
  return (onProgress) =>
    lock(async () => {
      const report = await buildIndex(deps.knowledgeDir, deps.indexDir, {
        embedder: deps.embedder,
        maxDocumentBytes: deps.maxDocumentBytes,
        maxDocumentPages: deps.maxDocumentPages,
        onProgress,
      });
      await deps.swap();
      await deps
        .announce()
        .catch((err: unknown) =>
          deps.logger.warn(
            { err: errorSummary(err) },
            "không báo được cho các máy khác rằng tài liệu đã đổi",
          ),
        );
      return report.manifest;
    });
}

export type ChangeAction = "upload" | "replace" | "remove";

/**
 * What a change registers while it is made, so the folder, the ledger and the index stay in step:
 * how to take each step back (run last-first when a later step or the rebuild fails, so "the bot
 * still answers as before" holds for the folder too), what to do once the new index is live (the
 * ledger's retirement, timed by the swap), and the file it finally named (a free name chosen
 * inside the change, where the folder is listed again).
 */
export interface ChangeSteps {
  undo(fn: () => Promise<void>): void;
  live(fn: () => Promise<void>): void;
  file(name: string): void;
}

/** One change of the documents and the rebuild it started, as the page shows it. */
export interface ReindexJob {
  id: number;
  action: ChangeAction;
  /** The document file changed, relative to the documents folder. */
  file: string;
  admin: string;
  state: "running" | "done" | "failed";
  startedAt: string;
  finishedAt: string | null;
  documentsDone: number;
  documentsTotal: number;
  vectorsDone: number;
  vectorsTotal: number;
  /** When done: the index's documents and passages. */
  documents: number | null;
  passages: number | null;
  /** When done: the changed file's document in the index (absent when removed or skipped). */
  document: { id: string; title: string; passages: number; warnings?: string[] } | null;
  /** When done: why the changed file was not indexed, when it was not. */
  fileSkipped: string | null;
  /** Every file the new index skipped. */
  skipped: SkippedFile[];
  /** When failed: why (a log's words, not a person's: see errorCode). */
  error: string | null;
  /** When failed with a system error: its code ("ENOSPC"), for a reason a person reads. */
  errorCode: string | null;
  /** When failed: whether the change was taken back (the folder as it was before). */
  rolledBack: boolean;
}

export interface Reindexer {
  /** The running job, or the last one. */
  current(): ReindexJob | undefined;
  busy(): boolean;
  /**
   * Makes the change (`apply`) and starts the rebuild in the background; undefined, with nothing
   * changed, when another change is being made or rebuilt. An `apply` that throws starts nothing
   * (the steps it registered are taken back); a rebuild that fails takes the change back.
   */
  start(
    change: { action: ChangeAction; file: string; admin: string },
    apply: (steps: ChangeSteps) => Promise<void>,
  ): Promise<ReindexJob | undefined>;
  /**
   * Resolves when the change being made or rebuilt (if any) has finished, its write step
   * included: a second change waits on it instead of finding the slot taken again at once.
   */
  idle(): Promise<void>;
}

/** One rebuild at a time through `pipeline`, the latest job kept for the page. */
export function createReindexer(deps: {
  pipeline: IngestPipeline;
  logger: Logger;
  now?: () => Date;
}): Reindexer {
  const now = deps.now ?? (() => new Date());
  let job: ReindexJob | undefined;
  /** The change holding the slot, from its first write to the end of its rebuild. */
  let slot: Promise<void> | undefined;
  let reserved = false;
  let ids = 0;
  /** Runs the registered undo steps last-first; false when one of them failed (logged). */
  const takeBack = async (undos: (() => Promise<void>)[], j: { action: ChangeAction; file: string }) => {
    let ok = true;
    for (const fn of [...undos].reverse()) {
      try {
        await fn();
      } catch (err) {
        ok = false;
        deps.logger.error(
          { err: errorSummary(err), action: j.action, file: j.file },
          "không hoàn lại được thay đổi tài liệu",
        );
      }
    }
    return ok;
  };
  const rebuild = async (
    j: ReindexJob,
    hooks: { undos: (() => Promise<void>)[]; lives: (() => Promise<void>)[] },
  ) => {
    try {
      const manifest = await deps.pipeline((stage, done, total) => {
        if (stage === "documents") {
          j.documentsDone = done;
          j.documentsTotal = total;
        } else {
          j.vectorsDone = done;
          j.vectorsTotal = total;
        }
      });
      const doc = manifest.documents.find((d) => d.source === j.file);
      j.documents = manifest.documents.length;
      j.passages = manifest.passages;
      j.document = doc
        ? {
            id: doc.id,
            title: doc.title,
            passages: doc.passages,
            ...(doc.warnings?.length ? { warnings: doc.warnings } : {}),
          }
        : null;
      j.fileSkipped = manifest.skipped.find((s) => s.source === j.file)?.reason ?? null;
      j.skipped = manifest.skipped;
      j.documentsDone = j.documentsTotal = manifest.documents.length;
      // The new index is live: what waited for it (the ledger's retirement) is recorded now.
      for (const fn of hooks.lives)
        await fn().catch((err: unknown) =>
          deps.logger.warn(
            { err: errorSummary(err), action: j.action, file: j.file },
            "không ghi được sổ tài liệu sau khi cập nhật chỉ mục",
          ),
        );
      j.state = "done";
      deps.logger.info(
        { action: j.action, file: j.file, documents: j.documents, passages: j.passages },
        "đã xây lại chỉ mục sau thay đổi tài liệu",
      );
    } catch (err) {
      j.error = String(errorSummary(err).message);
      j.errorCode = errorCode(err);
      deps.logger.warn(
        { err: errorSummary(err), code: j.errorCode, action: j.action, file: j.file },
        "không xây lại được chỉ mục sau thay đổi tài liệu, tiếp tục dùng chỉ mục trước",
      );
      // The index in use is the previous one: the folder and the ledger go back to match it.
      j.rolledBack = await takeBack(hooks.undos, j);
      j.state = "failed";
    } finally {
      j.finishedAt = now().toISOString();
    }
  };
  return {
    current: () => job,
    busy: () => reserved,
    async start(change, apply) {
      if (reserved) return undefined;
      reserved = true;
      let release = () => {};
      slot = new Promise<void>((resolve) => {
        release = resolve;
      });
      const free = () => {
        reserved = false;
        slot = undefined;
        release();
      };
      const hooks = { undos: [] as (() => Promise<void>)[], lives: [] as (() => Promise<void>)[] };
      let file = change.file;
      try {
        await apply({
          undo: (fn) => hooks.undos.push(fn),
          live: (fn) => hooks.lives.push(fn),
          file: (name) => {
            file = name;
          },
        });
      } catch (err) {
        // Half a change is no change: the steps already made are taken back.
        await takeBack(hooks.undos, change);
        free();
        throw err;
      }
      const j: ReindexJob = {
        id: ++ids,
        ...change,
        file,
        state: "running",
        startedAt: now().toISOString(),
        finishedAt: null,
        documentsDone: 0,
        documentsTotal: 0,
        vectorsDone: 0,
        vectorsTotal: 0,
        documents: null,
        passages: null,
        document: null,
        fileSkipped: null,
        skipped: [],
        error: null,
        errorCode: null,
        rolledBack: false,
      };
      job = j;
      void rebuild(j, hooks).finally(free);
      return j;
    },
    idle: () => slot ?? Promise.resolve(),
  };
}

/** A system error's code ("ENOSPC"), when the error has one. */
export function errorCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code !== "" ? code : null;
}
