/**
 * The knowledge index on disk, under `<DATA_DIR>/index/`:
 *
 *   CURRENT            name of the version folder in use (replaced atomically by rename)
 *   v-<time>-<rand>/   manifest.json (what was indexed, embedder identity, file checksums),
 *                      index.json (passages, lexical indexes), embedder.json (the corpus model),
 *                      vectors.hnsw + vectors.json (passage vectors)
 *
 * A new index is written to a fresh version folder and only then made current, so an ingest that
 * is killed at any moment leaves the previous index usable. Checksums in the manifest catch a
 * truncated or edited file at load. Ingests are incremental: passages of unchanged documents keep
 * their vectors; a change of embedder, chunking or analysis (abbreviations, question words
 * included) rebuilds everything; a change of the lexicon rebuilds the lexical index and keeps the
 * vectors.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { READER_VERSION } from "../knowledge/extraction-cache.js";
import { defaultOcr } from "../knowledge/formats/ocr.js";
import type { DocumentFormat, ExtractOptions } from "../knowledge/formats/types.js";
import {
  hashKnowledgeFile,
  type LoadOptions,
  listKnowledgeFiles,
  loadKnowledge,
} from "../knowledge/loader.js";
import { CHUNKING_VERSION } from "../knowledge/structure.js";
import type { SkippedFile } from "../knowledge/types.js";
import { CorpusEmbeddings, type CorpusModelData } from "./embeddings/corpus.js";
import {
  configKind,
  type EmbedderConfig,
  embedderFor,
  embedderKind,
  type PassageEmbedder,
} from "./embeddings/index.js";
import { KnowledgeIndex, type KnowledgeIndexData } from "./knowledge-index.js";
import { ANALYZER_VERSION, LEXICON_VERSION } from "./terms.js";
import { GRAPH_FILE, HnswVectorStore, LABELS_FILE } from "./vector-store.js";

export const INDEX_FORMAT = 2;

export interface Manifest {
  format: number;
  chunkingVersion: number;
  /** A number in indexes made by earlier releases. */
  analyzerVersion: string | number;
  /** The lexicon the passages' everyday field was made from (absent in earlier releases). */
  lexiconVersion?: string;
  builtAt: string;
  /**
   * The document readers' version (READER_VERSION) and whether OCR could run when the documents
   * were read (both absent in earlier releases): a change of either reads the documents again.
   */
  readerVersion?: number;
  ocr?: boolean;
  /** Every document file found, loaded or not, with its content hash. */
  sources: { source: string; hash: string }[];
  documents: {
    id: string;
    source: string;
    title: string;
    passages: number;
    hash: string;
    /** The format the file was read from, and its reading's warnings (absent in earlier releases). */
    format?: DocumentFormat;
    warnings?: string[];
  }[];
  skipped: SkippedFile[];
  passages: number;
  /** Identity of the embedder that made the passage vectors (absent: no vectors). */
  embedder?: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** An index ready to answer from: passages, lexical and vector indexes, the query embedder. */
export interface LoadedIndex {
  index: KnowledgeIndex;
  manifest: Manifest;
  embedder?: PassageEmbedder;
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
const EMBEDDER_FILE = "embedder.json";

/** Writes the index as a new version and makes it current; removes older versions afterwards. */
export async function saveIndex(
  indexDir: string,
  loaded: Omit<LoadedIndex, "manifest">,
  info: {
    sources: Manifest["sources"];
    skipped: SkippedFile[];
    hashes: Map<string, string>;
    /** Whether OCR could run while the documents were read. */
    ocr?: boolean;
  },
): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const version = `v-${Date.now()}-${randomBytes(3).toString("hex")}`;
  const dir = join(indexDir, version);
  await mkdir(dir);
  const files: Manifest["files"] = {};
  const put = async (name: string, data: Buffer) => {
    await writeDurable(join(dir, name), data);
    files[name] = { bytes: data.length, sha256: sha256(data) };
  };
  const { index, embedder } = loaded;
  await put(INDEX_FILE, Buffer.from(JSON.stringify(index.toJSON())));
  if (embedder instanceof CorpusEmbeddings)
    await put(EMBEDDER_FILE, Buffer.from(JSON.stringify(embedder.toJSON())));
  const store = index.vectorStore;
  if (store) {
    await store.save(dir);
    for (const name of [LABELS_FILE, ...(store.size > 0 ? [GRAPH_FILE] : [])]) {
      const data = await readFile(join(dir, name));
      await fsyncFile(join(dir, name));
      files[name] = { bytes: data.length, sha256: sha256(data) };
    }
  }
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    chunkingVersion: CHUNKING_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    lexiconVersion: LEXICON_VERSION,
    builtAt: new Date().toISOString(),
    readerVersion: READER_VERSION,
    ...(info.ocr !== undefined ? { ocr: info.ocr } : {}),
    sources: info.sources,
    documents: index.documents.map((d) => ({
      id: d.id,
      source: d.source,
      title: d.title,
      passages: d.passages,
      hash: info.hashes.get(d.id) ?? d.hash,
      ...(d.format ? { format: d.format } : {}),
      ...(d.warnings?.length ? { warnings: d.warnings } : {}),
    })),
    skipped: info.skipped,
    passages: index.passages.length,
    embedder: store ? embedder?.identity() : undefined,
    files,
  };
  await writeDurable(join(dir, MANIFEST_FILE), Buffer.from(JSON.stringify(manifest, null, 2)));
  await fsyncDir(dir);
  const tmpPointer = join(indexDir, `${POINTER}.${version}.tmp`);
  await writeDurable(tmpPointer, Buffer.from(`${version}\n`));
  await rename(tmpPointer, join(indexDir, POINTER));
  await fsyncDir(indexDir);
  await removeOtherVersions(indexDir, version);
  return manifest;
}

/** The version folder CURRENT points at, or undefined when no index was ever built. */
export async function currentVersion(indexDir: string): Promise<string | undefined> {
  try {
    const version = (await readFile(join(indexDir, POINTER), "utf8")).trim();
    if (!/^v-[\w-]+$/.test(version))
      throw new IndexCorruptError("the index pointer is damaged", join(indexDir, POINTER));
    return version;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (err instanceof IndexCorruptError) throw err;
    throw new IndexCorruptError("cannot read the index pointer", join(indexDir, POINTER), { cause: err });
  }
}

/**
 * Loads the current index, or `undefined` when none was ever built. Throws IndexCorruptError.
 * `config` gives the query embedder for vectors made by a remote model.
 */
export async function loadIndex(
  indexDir: string,
  config: EmbedderConfig = { kind: "corpus" },
): Promise<LoadedIndex | undefined> {
  const version = await currentVersion(indexDir);
  if (!version) return undefined;
  const dir = join(indexDir, version);
  const manifest = await readJson<Manifest>(join(dir, MANIFEST_FILE));
  if (manifest.format !== INDEX_FORMAT)
    throw new IndexCorruptError("index format is not this version's", dir);
  for (const [name, expected] of Object.entries(manifest.files ?? {})) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name));
    } catch (err) {
      throw new IndexCorruptError(`index file ${name} is missing`, join(dir, name), { cause: err });
    }
    if (expected.bytes !== bytes.length || expected.sha256 !== sha256(bytes)) {
      throw new IndexCorruptError(
        `index file ${name} does not match its checksum (truncated or modified)`,
        join(dir, name),
      );
    }
  }
  if (!manifest.files?.[INDEX_FILE])
    throw new IndexCorruptError("index data is missing", join(dir, INDEX_FILE));
  try {
    const data = JSON.parse(await readFile(join(dir, INDEX_FILE), "utf8")) as KnowledgeIndexData;
    const index = KnowledgeIndex.fromJSON(data);
    let embedder: PassageEmbedder | undefined;
    if (manifest.embedder) {
      embedder = manifest.files[EMBEDDER_FILE]
        ? CorpusEmbeddings.fromJSON(
            JSON.parse(await readFile(join(dir, EMBEDDER_FILE), "utf8")) as CorpusModelData,
          )
        : embedderFor(config, () => []);
      if (!embedder) throw new Error("the index has vectors but no embedder is configured for questions");
      index.withVectors(await HnswVectorStore.load(dir, embedder));
    }
    return { index, manifest, embedder };
  } catch (err) {
    if (err instanceof IndexCorruptError) throw err;
    throw new IndexCorruptError(`index data cannot be read: ${(err as Error).message}`, dir, { cause: err });
  }
}

/** The documents folder as the manifest records it: each document file and its hash. */
export async function fingerprint(knowledgeDir: string): Promise<Manifest["sources"]> {
  const { files } = await listKnowledgeFiles(knowledgeDir);
  return Promise.all(files.map(async (f) => ({ source: f.source, hash: await hashKnowledgeFile(f) })));
}

/**
 * Why the saved passage vectors cannot be carried into a new index (chunking, text analysis or
 * embedder changed), or undefined when they can.
 */
export function vectorsStale(manifest: Manifest, config: EmbedderConfig): string | undefined {
  if (manifest.chunkingVersion !== CHUNKING_VERSION || manifest.analyzerVersion !== ANALYZER_VERSION) {
    return "cách phân đoạn hoặc phân tích văn bản đã thay đổi";
  }
  if (embedderKind(manifest.embedder) !== configKind(config)) return "bộ tạo vector đã thay đổi";
  return undefined;
}

/**
 * Why an index was not made for this code and configuration (chunking, text analysis, embedder or
 * lexicon differ), or undefined when it was.
 */
export function otherCodeReason(manifest: Manifest, config: EmbedderConfig): string | undefined {
  const vectors = vectorsStale(manifest, config);
  if (vectors) return vectors;
  if (manifest.lexiconVersion !== LEXICON_VERSION) return "từ điển cách nói thường ngày đã thay đổi";
  return undefined;
}

/**
 * Why the index must be rebuilt, or undefined when it matches the folder, the embedder and this
 * code. `ocr` (whether OCR can run now) rebuilds an index read without OCR once it is installed,
 * and one read with OCR when it is gone (its scans would be refused by name).
 */
export function staleReason(
  manifest: Manifest,
  sources: Manifest["sources"],
  config: EmbedderConfig,
  ocr?: boolean,
): string | undefined {
  const code = otherCodeReason(manifest, config);
  if (code) return code;
  if (manifest.readerVersion !== READER_VERSION) return "cách đọc tài liệu đã thay đổi";
  if (ocr !== undefined && manifest.ocr !== ocr)
    return ocr ? "máy đã có OCR, đọc lại các bản quét" : "máy không còn OCR";
  const before = new Map(manifest.sources.map((s) => [s.source, s.hash]));
  const now = new Map(sources.map((s) => [s.source, s.hash]));
  for (const [source, hash] of now) {
    if (!before.has(source)) return `tài liệu mới: ${source}`;
    if (before.get(source) !== hash) return `tài liệu đã sửa: ${source}`;
  }
  for (const source of before.keys()) if (!now.has(source)) return `tài liệu đã xoá: ${source}`;
  return undefined;
}

export interface BuildOptions {
  embedder?: EmbedderConfig;
  /** Document files larger than this are skipped by name (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes?: number;
  /** PDFs with more pages are refused by name (MAX_DOCUMENT_PAGES). */
  maxDocumentPages?: number;
  /**
   * Where readings of PDFs, scans and Word files are cached by content; unset: `extracted/` beside
   * an index folder named `index` (`<DATA_DIR>/extracted`), none otherwise; false: no cache.
   */
  cacheDir?: string | false;
  /** Passed to every reader (the OCR engine, a time bound, progress). */
  extract?: ExtractOptions;
  /** Rebuild everything, the corpus embedder included, even when an index exists. */
  full?: boolean;
  onProgress?: (stage: "documents" | "vectors", done: number, total: number) => void;
  /** Each file begun, and each page its reader reports (`npm run ingest`'s progress bar). */
  onFile?: LoadOptions["onProgress"];
}

export interface BuildReport extends LoadedIndex {
  ms: number;
  /** Passages embedded in this build, and passages whose vectors were carried over. */
  embedded: number;
  reused: number;
}

/**
 * Loads every document of the folder, indexes it and saves it as the current index. Passages of
 * documents unchanged since the previous index keep their vectors when the embedder is the same.
 */
export async function buildIndex(
  knowledgeDir: string,
  indexDir: string,
  options: BuildOptions = {},
): Promise<BuildReport> {
  const t0 = performance.now();
  const config = options.embedder ?? { kind: "corpus" };
  const sources = await fingerprint(knowledgeDir);
  const ocr = (await (options.extract?.ocr ?? defaultOcr()).capability()).available;
  const { documents, skipped } = await loadKnowledge(knowledgeDir, {
    maxBytes: options.maxDocumentBytes,
    maxPages: options.maxDocumentPages,
    cacheDir: extractionCacheDir(indexDir, options.cacheDir),
    extract: options.extract,
    onProgress: options.onFile,
  });
  const index = KnowledgeIndex.build(documents, {
    onProgress: (done, total) => options.onProgress?.("documents", done, total),
  });
  let previous: LoadedIndex | undefined;
  if (!options.full) {
    try {
      previous = await loadIndex(indexDir, config);
    } catch {
      previous = undefined;
    }
    if (previous && vectorsStale(previous.manifest, config)) previous = undefined;
  }
  const built = await embedPassages(index, config, previous, options.onProgress);
  const { embedder, embedded, reused } = built;
  const hashes = new Map(documents.map((d) => [d.id, d.hash]));
  const manifest = await saveIndex(indexDir, { index, embedder }, { sources, skipped, hashes, ocr });
  return { index, manifest, embedder, ms: performance.now() - t0, embedded, reused };
}

/** The cache folder of readings for an index folder (see BuildOptions.cacheDir). */
export function extractionCacheDir(indexDir: string, option?: string | false): string | undefined {
  if (option === false) return undefined;
  if (option) return option;
  return basename(indexDir) === "index" ? join(dirname(indexDir), "extracted") : undefined;
}

/**
 * Computes passage vectors for an index and attaches them. Passages of documents unchanged since
 * `previous` (same content hash, same embedder identity) keep their vectors without embedding.
 */
export async function embedPassages(
  index: KnowledgeIndex,
  config: EmbedderConfig,
  previous?: LoadedIndex,
  onProgress?: BuildOptions["onProgress"],
): Promise<{ embedder?: PassageEmbedder; embedded: number; reused: number }> {
  const documents = index.documents;
  const texts = () => index.passages.map(KnowledgeIndex.embeddingText);
  const savedModel = previous?.embedder instanceof CorpusEmbeddings ? previous.embedder.toJSON() : undefined;
  const embedder = embedderFor(config, texts, savedModel);
  let embedded = 0;
  let reused = 0;
  if (embedder) {
    const unchanged = new Set<string>();
    const before = new Map(previous?.manifest.documents.map((d) => [d.id, d.hash]) ?? []);
    for (const d of documents) if (before.get(d.id) === d.hash) unchanged.add(d.id);
    const oldStore =
      previous?.manifest.embedder === embedder.identity() ? previous.index.vectorStore : undefined;
    // A passage keeps its vector only when its text is the same: a file read again (OCR
    // installed, a new reader) keeps its hash but may give other text under the same ids.
    const oldText = new Map(oldStore ? previous?.index.passages.map((p) => [p.id, p.text]) : []);
    const vectors: (number[] | undefined)[] = index.passages.map((p) =>
      oldStore && unchanged.has(p.docId) && oldText.get(p.id) === p.text
        ? oldStore.vectorOf(p.id)
        : undefined,
    );
    const todo = vectors.flatMap((v, i) => (v ? [] : [i]));
    reused = vectors.length - todo.length;
    const batch = 256;
    for (let i = 0; i < todo.length; i += batch) {
      const slice = todo.slice(i, i + batch);
      const out = await embedder.embedDocuments(
        slice.map((j) => KnowledgeIndex.embeddingText(index.passages[j] as never)),
      );
      slice.forEach((j, k) => {
        vectors[j] = out[k];
      });
      embedded += slice.length;
      onProgress?.("vectors", Math.min(i + batch, todo.length), todo.length);
    }
    const store = new HnswVectorStore(embedder);
    await store.addVectors(
      vectors as number[][],
      index.passages.map((p) => ({ id: p.id, pageContent: "", metadata: {} })),
    );
    index.withVectors(store);
  }
  return { embedder, embedded, reused };
}

/** An index of documents held in memory only (evaluations, benchmarks, tests). */
export async function indexInMemory(
  documents: Parameters<typeof KnowledgeIndex.build>[0],
  config: EmbedderConfig = { kind: "corpus" },
): Promise<Omit<LoadedIndex, "manifest"> & { embedded: number }> {
  const index = KnowledgeIndex.build(documents);
  const { embedder, embedded } = await embedPassages(index, config);
  return { index, embedder, embedded };
}

export type EnsureOutcome =
  | ({ action: "loaded" } & LoadedIndex)
  | ({ action: "built"; reason: string } & BuildReport);

/**
 * The index to answer from: the saved one when it matches the documents folder and embedder,
 * else a new one (built and saved). A damaged index is reported through `onCorrupt` and rebuilt.
 */
export async function ensureIndex(
  knowledgeDir: string,
  indexDir: string,
  options: {
    embedder?: EmbedderConfig;
    maxDocumentBytes?: number;
    maxDocumentPages?: number;
    onCorrupt?: (err: IndexCorruptError) => void;
  } = {},
): Promise<EnsureOutcome> {
  const config = options.embedder ?? { kind: "corpus" };
  const sources = await fingerprint(knowledgeDir);
  let reason = "chưa có chỉ mục";
  try {
    const loaded = await loadIndex(indexDir, config);
    if (loaded) {
      const ocr = (await defaultOcr().capability()).available;
      const stale = staleReason(loaded.manifest, sources, config, ocr);
      if (!stale) return { action: "loaded", ...loaded };
      reason = stale;
    }
  } catch (err) {
    if (!(err instanceof IndexCorruptError)) throw err;
    options.onCorrupt?.(err);
    reason = "chỉ mục cũ bị hỏng";
  }
  const built = await buildIndex(knowledgeDir, indexDir, {
    embedder: config,
    maxDocumentBytes: options.maxDocumentBytes,
    maxDocumentPages: options.maxDocumentPages,
  });
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

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, "r+");
  await fh.sync().finally(() => fh.close());
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
