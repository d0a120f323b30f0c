/**
 * What reading a file gave, kept by the file's content: reading a scan by OCR takes minutes, and
 * the index is rebuilt from every file on each change. One JSON file per document under the cache
 * folder (`<DATA_DIR>/extracted/`), named by the SHA-256 of the reader version and the file's
 * bytes, written atomically (a temporary file renamed); entries of files no longer present are
 * pruned after each full load. Text and Markdown files are read faster than the cache, and a
 * reading that lacked OCR (its warning says to install it) is not kept, so it is read again once
 * OCR is there.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger, errorSummary, type Logger } from "../logger.js";
import { OCR_INSTALL } from "./formats/ocr.js";
import type { Extracted } from "./formats/types.js";

/**
 * The readers' version. RULE: bump it in the same commit as any change to src/knowledge/formats/*
 * that can change a reading (text, warnings, a refusal, the pages chosen for OCR, the legacy
 * conversion), so cached readings are remade and an index read by the older readers is rebuilt
 * (the index manifest records it, search/index-store.ts). No test can tell when a change needs
 * it; a reviewer must. 3: the broken-page check changed without a bump.
 */
export const READER_VERSION = 3;

const ENTRY = /^[0-9a-f]{64}\.json$/;

/** The cache of one load: readings looked up and kept by content, the unused ones pruned after. */
export interface ExtractionCache {
  /** The cached reading of `bytes`, or `read()`'s, kept for next time. */
  extract(bytes: Uint8Array, read: () => Promise<Extracted>): Promise<Extracted>;
  /** Removes the entries not used since the cache was opened; returns how many. */
  prune(): Promise<number>;
}

/** The key of a file's reading. */
export function extractionKey(bytes: Uint8Array): string {
  return createHash("sha256").update(`reader-v${READER_VERSION}\0`).update(bytes).digest("hex");
}

/** A temporary file older than this was left by a process that died; younger ones may be writing. */
export const STALE_TEMP_MS = 60 * 60_000;

/** Where a cache reports a write it could not make (default: a warning on standard error). */
export interface ExtractionCacheOptions {
  log?: Pick<Logger, "warn">;
}

/**
 * Opens the cache in `dir` (created at the first write). The cache only saves time: a write that
 * fails (a full disk, an unwritable DATA_DIR) is logged once and the reading is still returned.
 */
export function openExtractionCache(dir: string, options: ExtractionCacheOptions = {}): ExtractionCache {
  const used = new Set<string>();
  let writeFailed = false;
  return {
    async extract(bytes, read) {
      const key = extractionKey(bytes);
      const path = join(dir, `${key}.json`);
      const cached = await readEntry(path);
      if (cached) {
        used.add(`${key}.json`);
        return cached;
      }
      const extracted = await read();
      if (!worthKeeping(extracted)) return extracted;
      const tmp = join(dir, `.${key}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, JSON.stringify({ version: READER_VERSION, extracted }));
        await rename(tmp, path);
        used.add(`${key}.json`);
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => undefined);
        // Logged once a load: the next files would fail the same way.
        if (!writeFailed) {
          writeFailed = true;
          (options.log ?? defaultLog()).warn(
            { dir, err: errorSummary(err) },
            "không ghi được bộ đệm bản đọc tài liệu; tài liệu vẫn được lập chỉ mục, lần sau sẽ đọc lại",
          );
        }
      }
      return extracted;
    },
    async prune() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return 0;
      }
      let removed = 0;
      for (const name of names) {
        // Entries of files gone, and temporary files a killed process left: not this run's, and
        // old enough that no other process (an ingest beside the bot) is still writing them.
        const stale = ENTRY.test(name)
          ? !used.has(name)
          : /^\..*\.tmp$/.test(name) &&
            !name.includes(`.${process.pid}.`) &&
            (await olderThan(join(dir, name), STALE_TEMP_MS));
        if (!stale) continue;
        await rm(join(dir, name), { force: true });
        removed += 1;
      }
      return removed;
    },
  };
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

let fallbackLog: Logger | undefined;
function defaultLog(): Logger {
  fallbackLog ??= createLogger(process.env.LOG_LEVEL ?? "info");
  return fallbackLog;
}

function worthKeeping(e: Extracted): boolean {
  if (e.format === "text" || e.format === "markdown") return false;
  return !e.warnings.some((w) => w.includes(OCR_INSTALL));
}

async function readEntry(path: string): Promise<Extracted | undefined> {
  try {
    const data = JSON.parse(await readFile(path, "utf8")) as { version?: number; extracted?: Extracted };
    const e = data.extracted;
    if (data.version !== READER_VERSION || !e || typeof e.text !== "string" || !Array.isArray(e.warnings))
      return undefined;
    return e;
  } catch {
    // Missing or damaged: read the file again (and the entry is rewritten).
    return undefined;
  }
}
