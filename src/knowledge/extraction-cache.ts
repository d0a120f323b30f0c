/**
 * What reading a file gave, kept by the file's content: reading a scan by OCR takes minutes, and
 * the index is rebuilt from every file on each change. One JSON file per document under the cache
 * folder (`<DATA_DIR>/extracted/`), named by the SHA-256 of the reader version and the file's
 * bytes, written atomically (a temporary file renamed); entries of files no longer present are
 * pruned after each full load. Text and Markdown files are read faster than the cache, and a
 * reading that lacked OCR (its warning says to install it) is not kept, so it is read again once
 * OCR is there. A refusal is kept with whether OCR could run, and tried again when that changes.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger, errorSummary, type Logger } from "../logger.js";
import { defaultOcr, OCR_INSTALL, type OcrEngine } from "./formats/ocr.js";
import { type Extracted, UnreadableDocumentError } from "./formats/types.js";

/**
 * The readers' version. RULE: bump it in the same commit as any change to src/knowledge/formats/*
 * that can change a reading (text, warnings, a refusal, the pages chosen for OCR, the legacy
 * conversion), so cached readings are remade and an index read by the older readers is rebuilt
 * (the index manifest records it, search/index-store.ts). No test can tell when a change needs
 * it; a reviewer must. 3: the broken-page check (changed without a bump), a PDF's legacy
 * encoding decided once per document, refusals cached.
 */
export const READER_VERSION = 4;

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

/** How a cache reports a write it could not make, and tells whether OCR can run. */
export interface ExtractionCacheOptions {
  /** Where a failed write is reported (default: a warning on standard error). */
  log?: Pick<Logger, "warn">;
  /** The OCR engine the readers use (default the machine's): a refusal is kept with whether it could run. */
  ocr?: OcrEngine;
}

/** One entry: a reading, or the reason the file was refused and whether OCR could run then. */
type Entry = { version: number; extracted: Extracted } | { version: number; refused: string; ocr: boolean };

/**
 * Opens the cache in `dir` (created at the first write). The cache only saves time: a write that
 * fails (a full disk, an unwritable DATA_DIR) is logged once and the reading is still returned.
 * A refusal (a scan over the time bound, a damaged file) is kept too, so a rebuild does not spend
 * its time again; it is tried again once OCR appears or goes, or the readers change (the key).
 */
export function openExtractionCache(dir: string, options: ExtractionCacheOptions = {}): ExtractionCache {
  const used = new Set<string>();
  let writeFailed = false;
  const ocrAvailable = async () => (await (options.ocr ?? defaultOcr()).capability()).available;
  const write = async (key: string, entry: Entry): Promise<void> => {
    const tmp = join(dir, `.${key}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, JSON.stringify(entry));
      await rename(tmp, join(dir, `${key}.json`));
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
  };
  return {
    async extract(bytes, read) {
      const key = extractionKey(bytes);
      const cached = await readEntry(join(dir, `${key}.json`));
      if (cached && "extracted" in cached) {
        used.add(`${key}.json`);
        return cached.extracted;
      }
      if (cached && cached.ocr === (await ocrAvailable())) {
        used.add(`${key}.json`);
        throw new UnreadableDocumentError(cached.refused);
      }
      let extracted: Extracted;
      try {
        extracted = await read();
      } catch (err) {
        if (err instanceof UnreadableDocumentError)
          await write(key, { version: READER_VERSION, refused: err.message, ocr: await ocrAvailable() });
        throw err;
      }
      if (worthKeeping(extracted)) await write(key, { version: READER_VERSION, extracted });
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

async function readEntry(path: string): Promise<Entry | undefined> {
  try {
    const data = JSON.parse(await readFile(path, "utf8")) as Partial<{
      version: number;
      extracted: Extracted;
      refused: string;
      ocr: boolean;
    }>;
    if (data.version !== READER_VERSION) return undefined;
    const e = data.extracted;
    if (e && typeof e.text === "string" && Array.isArray(e.warnings))
      return { version: data.version, extracted: e };
    if (typeof data.refused === "string" && typeof data.ocr === "boolean")
      return { version: data.version, refused: data.refused, ocr: data.ocr };
    return undefined;
  } catch {
    // Missing or damaged: read the file again (and the entry is rewritten).
    return undefined;
  }
}
