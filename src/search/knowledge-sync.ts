/**
 * Keeping several instances on the same documents: whoever changes them (an ingest, an upload
 * through one instance) bumps the documents' version in the shared database; every instance polls
 * that version and, when it moves, rebuilds its own index from the shared knowledge folder
 * (incrementally: only changed documents) and swaps it in, without a restart. A failed rebuild is
 * logged and tried again at the next poll; the index in use keeps answering meanwhile.
 */
import { errorSummary, type Logger } from "../logger.js";
import type { KnowledgeVersions } from "../storage/ports.js";

export interface KnowledgeSyncState {
  /** The documents' version this instance's index reflects (undefined before the first read). */
  version: number | undefined;
  /** When the version was last read, ISO time. */
  checkedAt: string | null;
  /** The last error reading the version or rebuilding, cleared by a success. */
  error: string | null;
}

export interface KnowledgeSync {
  /** Reads the current version and polls it every `intervalMs`. */
  start(): Promise<void>;
  /** One poll: rebuilds when the version moved; true when it did. */
  check(): Promise<boolean>;
  /** Announces a change made by this instance (its index already reflects it). */
  announce(): Promise<number>;
  state(): KnowledgeSyncState;
  stop(): void;
}

/** Watches `versions`; `rebuild` brings this instance's index up to date with the documents. */
export function createKnowledgeSync(deps: {
  versions: KnowledgeVersions;
  rebuild: () => Promise<void>;
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}): KnowledgeSync {
  const now = deps.now ?? (() => new Date());
  const state: KnowledgeSyncState = { version: undefined, checkedAt: null, error: null };
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<boolean> | undefined;
  const check = async (): Promise<boolean> => {
    try {
      const { version } = await deps.versions.current();
      state.checkedAt = now().toISOString();
      if (state.version === undefined || version === state.version) {
        state.version = version;
        state.error = null;
        return false;
      }
      deps.logger.info(
        { from: state.version, to: version },
        "tài liệu đã thay đổi ở một máy khác, đang cập nhật chỉ mục",
      );
      await deps.rebuild();
      state.version = version;
      state.error = null;
      return true;
    } catch (err) {
      state.error = String(errorSummary(err).message);
      deps.logger.warn(
        { err: errorSummary(err) },
        "không cập nhật được chỉ mục theo tài liệu chung, sẽ thử lại",
      );
      return false;
    }
  };
  const sync: KnowledgeSync = {
    async start() {
      await sync.check();
      timer = setInterval(() => void sync.check(), deps.intervalMs ?? 2000);
      timer.unref?.();
    },
    check() {
      running ??= check().finally(() => {
        running = undefined;
      });
      return running;
    },
    async announce() {
      const version = await deps.versions.bump(now().toISOString());
      state.version = version;
      return version;
    },
    state: () => ({ ...state }),
    stop() {
      if (timer) clearInterval(timer);
    },
  };
  return sync;
}
