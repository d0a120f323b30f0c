/**
 * The knowledge index on disk, under `<DATA_DIR>/index/`:
 *
 *   CURRENT            name of the version folder in use (replaced atomically by rename)
 *   v-<time>-<rand>/   manifest.json (what was indexed, file checksums) and index.json
 *
 * A new index is written to a fresh version folder and only then made current, so an ingest that
 * is killed at any moment leaves the previous index usable. Checksums in the manifest catch a
 * truncated or edited file at load.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { hashKnowledgeFile, listKnowledgeFiles, loadKnowledge } from "../knowledge/loader.js";
import { CHUNKING_VERSION } from "../knowledge/structure.js";
import type { SkippedFile } from "../knowledge/types.js";
import { KnowledgeIndex, type KnowledgeIndexData } from "./knowledge-index.js";
import { ANALYZER_VERSION } from "./terms.js";

export const INDEX_FORMAT = 1;

export interface Manifest {
  format: number;
  chunkingVersion: number;
  analyzerVersion: number;
  builtAt: string;
  /** Every document file found, loaded or not, with its content hash. */
  sources: { source: string; hash: string }[];
  documents: { id: string; source: string; title: string; passages: number }[];
  skipped: SkippedFile[];
  passages: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** The index on disk cannot be used: missing parts, wrong checksum, unreadable JSON. */
export class IndexCorruptError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "IndexCorruptError";
  }
}

const POINTER = "CURRENT";
const INDEX_FILE = "index.json";
const MANIFEST_FILE = "manifest.json";

/** Writes the index as a new version and makes it current; removes older versions afterwards. */
export async function saveIndex(
  indexDir: string,
  index: KnowledgeIndex,
  info: { sources: Manifest["sources"]; skipped: SkippedFile[] },
): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const version = `v-${Date.now()}-${randomBytes(3).toString("hex")}`;
  const dir = join(indexDir, version);
  await mkdir(dir);
  const body = Buffer.from(JSON.stringify(index.toJSON()));
  await writeDurable(join(dir, INDEX_FILE), body);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    chunkingVersion: CHUNKING_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    builtAt: new Date().toISOString(),
    sources: info.sources,
    documents: index.documents.map((d) => ({
      id: d.id,
      source: d.source,
      title: d.title,
      passages: d.passages,
    })),
    skipped: info.skipped,
    passages: index.passages.length,
    files: { [INDEX_FILE]: { bytes: body.length, sha256: sha256(body) } },
  };
  await writeDurable(join(dir, MANIFEST_FILE), Buffer.from(JSON.stringify(manifest, null, 2)));
  const tmpPointer = join(indexDir, `${POINTER}.${version}.tmp`);
  await writeDurable(tmpPointer, Buffer.from(`${version}\n`));
  await rename(tmpPointer, join(indexDir, POINTER));
  await fsyncDir(indexDir);
  await removeOtherVersions(indexDir, version);
  return manifest;
}

/** Loads the current index, or `undefined` when none was ever built. Throws IndexCorruptError. */
export async function loadIndex(
  indexDir: string,
): Promise<{ index: KnowledgeIndex; manifest: Manifest } | undefined> {
  let version: string;
  try {
    version = (await readFile(join(indexDir, POINTER), "utf8")).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new IndexCorruptError("cannot read the index pointer", join(indexDir, POINTER), { cause: err });
  }
  const dir = join(indexDir, version);
  if (!/^v-[\w-]+$/.test(version))
    throw new IndexCorruptError("the index pointer is damaged", join(indexDir, POINTER));
  const manifest = await readJson<Manifest>(join(dir, MANIFEST_FILE));
  if (manifest.format !== INDEX_FORMAT)
    throw new IndexCorruptError("index format is not this version's", dir);
  const expected = manifest.files?.[INDEX_FILE];
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, INDEX_FILE));
  } catch (err) {
    throw new IndexCorruptError("index data is missing", join(dir, INDEX_FILE), { cause: err });
  }
  if (!expected || expected.bytes !== bytes.length || expected.sha256 !== sha256(bytes)) {
    throw new IndexCorruptError(
      "index data does not match its checksum (truncated or modified)",
      join(dir, INDEX_FILE),
    );
  }
  try {
    const data = JSON.parse(bytes.toString("utf8")) as KnowledgeIndexData;
    return { index: KnowledgeIndex.fromJSON(data), manifest };
  } catch (err) {
    throw new IndexCorruptError(
      `index data cannot be read: ${(err as Error).message}`,
      join(dir, INDEX_FILE),
      {
        cause: err,
      },
    );
  }
}

/** The documents folder as the manifest records it: each document file and its hash. */
export async function fingerprint(knowledgeDir: string): Promise<Manifest["sources"]> {
  const { files } = await listKnowledgeFiles(knowledgeDir);
  return Promise.all(files.map(async (f) => ({ source: f.source, hash: await hashKnowledgeFile(f) })));
}

/** Why the index must be rebuilt, or undefined when it matches the folder and this code. */
export function staleReason(manifest: Manifest, sources: Manifest["sources"]): string | undefined {
  if (manifest.chunkingVersion !== CHUNKING_VERSION || manifest.analyzerVersion !== ANALYZER_VERSION) {
    return "cách phân đoạn hoặc phân tích văn bản đã thay đổi";
  }
  const before = new Map(manifest.sources.map((s) => [s.source, s.hash]));
  const now = new Map(sources.map((s) => [s.source, s.hash]));
  for (const [source, hash] of now) {
    if (!before.has(source)) return `tài liệu mới: ${source}`;
    if (before.get(source) !== hash) return `tài liệu đã sửa: ${source}`;
  }
  for (const source of before.keys()) if (!now.has(source)) return `tài liệu đã xoá: ${source}`;
  return undefined;
}

export interface BuildReport {
  index: KnowledgeIndex;
  manifest: Manifest;
  ms: number;
}

/** Loads every document of the folder, indexes it, saves it as the current index. */
export async function buildIndex(
  knowledgeDir: string,
  indexDir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<BuildReport> {
  const t0 = performance.now();
  const sources = await fingerprint(knowledgeDir);
  const { documents, skipped } = await loadKnowledge(knowledgeDir);
  const index = KnowledgeIndex.build(documents, { onProgress });
  const manifest = await saveIndex(indexDir, index, { sources, skipped });
  return { index, manifest, ms: performance.now() - t0 };
}

export type EnsureOutcome =
  | { action: "loaded"; index: KnowledgeIndex; manifest: Manifest }
  | { action: "built"; index: KnowledgeIndex; manifest: Manifest; reason: string; ms: number };

/**
 * The index to answer from: the saved one when it matches the documents folder, else a new one
 * (built and saved). A damaged index is reported through `onCorrupt` and rebuilt.
 */
export async function ensureIndex(
  knowledgeDir: string,
  indexDir: string,
  hooks: { onCorrupt?: (err: IndexCorruptError) => void } = {},
): Promise<EnsureOutcome> {
  const sources = await fingerprint(knowledgeDir);
  let reason = "chưa có chỉ mục";
  try {
    const loaded = await loadIndex(indexDir);
    if (loaded) {
      const stale = staleReason(loaded.manifest, sources);
      if (!stale) return { action: "loaded", ...loaded };
      reason = stale;
    }
  } catch (err) {
    if (!(err instanceof IndexCorruptError)) throw err;
    hooks.onCorrupt?.(err);
    reason = "chỉ mục cũ bị hỏng";
  }
  const built = await buildIndex(knowledgeDir, indexDir);
  return { action: "built", reason, ...built };
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch (err) {
    throw new IndexCorruptError(`cannot read ${path}`, path, { cause: err });
  }
}

async function writeDurable(path: string, data: Buffer): Promise<void> {
  const fh = await open(path, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    await fh.sync().finally(() => fh.close());
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}

async function removeOtherVersions(indexDir: string, keep: string): Promise<void> {
  for (const e of await readdir(indexDir, { withFileTypes: true })) {
    if (e.name === keep || e.name === POINTER) continue;
    if ((e.isDirectory() && e.name.startsWith("v-")) || e.name.endsWith(".tmp")) {
      await rm(join(indexDir, e.name), { recursive: true, force: true });
    }
  }
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
