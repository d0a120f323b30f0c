/**
 * Loads the documents of a knowledge folder. Each file is read by the reader of its format, known
 * by its bytes (formats/extract.ts); metadata comes from YAML front matter (text files) or a
 * `<name>.meta.yaml` sidecar, so a document can stay byte-for-byte as received. One bad file is
 * reported by name and never stops the others.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { openExtractionCache } from "./extraction-cache.js";
import { DOCUMENT_EXTENSIONS, extractDocument } from "./formats/extract.js";
import { normaliseText } from "./formats/text.js";
import type { ExtractOptions } from "./formats/types.js";
import { citedName, identifyDocument, shortTitleOf } from "./metadata.js";
import type { DocumentMeta, KnowledgeDocument, SkippedFile } from "./types.js";

/** Extensions the loader reads (what a file really is, its bytes tell). */
export const SUPPORTED_EXTENSIONS = DOCUMENT_EXTENSIONS;
const SIDECAR = ".meta.yaml";
/** Largest document file read (MAX_DOCUMENT_BYTES): a larger one is skipped by name with its size. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 50_000_000;
/** Files that describe the folder rather than being documents. */
const IGNORED_NAMES = new Set(["readme.md", ".gitkeep", ".ds_store"]);

export interface LoadResult {
  documents: KnowledgeDocument[];
  skipped: SkippedFile[];
}

/** A document file found in the folder, with the hash of its bytes and of its sidecar. */
export interface FoundFile {
  path: string;
  source: string;
}

/** Lists the files under `dir` (recursively), sorted, split into candidates and skipped ones. */
export async function listKnowledgeFiles(
  dir: string,
): Promise<{ files: FoundFile[]; skipped: SkippedFile[] }> {
  const files: FoundFile[] = [];
  const skipped: SkippedFile[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const path = join(d, e.name);
      const source = relative(dir, path);
      if (e.name.startsWith(".")) continue;
      if (e.isDirectory()) {
        await walk(path);
        continue;
      }
      if (IGNORED_NAMES.has(e.name.toLowerCase()) || e.name.endsWith(SIDECAR)) continue;
      const ext = extname(e.name).toLowerCase();
      if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) {
        skipped.push({ source, reason: `định dạng ${ext || "(không có đuôi)"} chưa được hỗ trợ` });
        continue;
      }
      files.push({ path, source });
    }
  };
  await walk(dir);
  return { files, skipped };
}

/** Progress of a load: file `file` of `files` begun, or (with `page`) a page of it read. */
export interface LoadProgress {
  source: string;
  file: number;
  files: number;
  page?: number;
  pages?: number;
  stage?: "pages" | "ocr";
}

export interface LoadOptions {
  /** Files larger than this many bytes are skipped (default DEFAULT_MAX_DOCUMENT_BYTES). */
  maxBytes?: number;
  /** PDFs with more pages are refused by name (MAX_DOCUMENT_PAGES; default in formats/pdf.ts). */
  maxPages?: number;
  /** Where readings are cached by content (extraction-cache.ts); none when unset. */
  cacheDir?: string;
  /** Passed to every reader (the OCR engine, a time bound, progress). */
  extract?: ExtractOptions;
  /** Called as each file is begun and as its reader reports pages (the ingest progress bar). */
  onProgress?: (progress: LoadProgress) => void;
}

/** Loads every supported document under `dir`. */
export async function loadKnowledge(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const { files, skipped } = await listKnowledgeFiles(dir);
  const documents: KnowledgeDocument[] = [];
  const ids = new Set<string>();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const cache = options.cacheDir
    ? openExtractionCache(options.cacheDir, { ...(options.extract?.ocr ? { ocr: options.extract.ocr } : {}) })
    : undefined;
  for (const [i, f] of files.entries()) {
    const at = { source: f.source, file: i + 1, files: files.length };
    options.onProgress?.(at);
    try {
      const size = (await stat(f.path)).size;
      if (size > maxBytes)
        throw new Error(
          `tệp quá lớn (${sizeText(size)}; giới hạn MAX_DOCUMENT_BYTES là ${sizeText(maxBytes)})`,
        );
      const doc = await loadDocument(f, {
        extract: {
          ...options.extract,
          ...(options.maxPages ? { maxPages: options.maxPages } : {}),
          onProgress: (page, pages, stage) => {
            options.extract?.onProgress?.(page, pages, stage);
            options.onProgress?.({ ...at, page, pages, stage });
          },
        },
        cache,
      });
      if (ids.has(doc.id)) throw new Error(`trùng mã tài liệu "${doc.id}" với một tệp khác`);
      ids.add(doc.id);
      documents.push(doc);
    } catch (err) {
      skipped.push({ source: f.source, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  nameFromCitations(documents);
  // Every file was just read: readings of files no longer there are dropped.
  await cache?.prune();
  return { documents, skipped };
}

/**
 * A document known only as "Luật số 75/2015/QH13" (its own text never names it) takes the name
 * the other documents cite it by ("Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13"). Its hash
 * then covers the name too, so its passage vectors are remade when the name changes.
 */
function nameFromCitations(documents: KnowledgeDocument[]): void {
  const texts = documents.map((d) => d.text);
  for (const d of documents) {
    const { kind, number } = d.meta;
    if (typeof kind !== "string" || typeof number !== "string" || d.title !== `${kind} số ${number}`)
      continue;
    const name = citedName(kind, number, texts);
    if (!name) continue;
    d.title = `${kind} ${name}`;
    d.hash = createHash("sha256").update(d.hash).update(d.title).digest("hex");
  }
}

/** A size as a person reads it: "84,0 KB", "200,0 MB". */
function sizeText(bytes: number): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, "MB"] : [bytes / 1000, "KB"];
  return `${value.toFixed(1).replace(".", ",")} ${unit}`;
}

/** How a file is read: the readers' options, and the cache of readings when there is one. */
export interface ReadOptions {
  extract?: ExtractOptions;
  cache?: ReturnType<typeof openExtractionCache>;
}

/** Reads one file into a document; throws with a reason a person understands. */
export async function loadDocument(file: FoundFile, options: ReadOptions = {}): Promise<KnowledgeDocument> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (err) {
    throw new Error(`không đọc được tệp (${(err as NodeJS.ErrnoException).code ?? "lỗi"})`, { cause: err });
  }
  const read = () => extractDocument(bytes, basename(file.path), options.extract);
  const extracted = options.cache ? await options.cache.extract(bytes, read) : await read();
  // Front matter is a text file's; a Word or PDF file's metadata is its sidecar's.
  const { meta: given, body } =
    extracted.format === "text" || extracted.format === "markdown"
      ? splitFrontMatter(extracted.text)
      : { meta: {}, body: extracted.text };
  const sidecarPath = sidecarOf(file.path);
  const sidecarBytes = await readOptional(sidecarPath);
  const admin = sidecarBytes
    ? { ...parseMeta(decodeUtf8(sidecarBytes), basename(sidecarPath)), ...given }
    : given;
  if (body.trim().length === 0) throw new Error("tệp rỗng, không có nội dung");
  const fileStem = basename(file.path, extname(file.path));
  // What the document says about itself; the sidecar and the front matter override every field.
  const own = identifyDocument(body, fileStem);
  const stated: DocumentMeta = {};
  for (const k of ["kind", "number", "date", "issuer", "place"] as const) if (own[k]) stated[k] = own[k];
  const meta: DocumentMeta = { ...stated, ...admin };
  const title = admin.title?.trim() || own.title;
  return {
    id: slugId(meta.id ?? fileStem),
    title,
    shortTitle:
      admin.shortTitle?.trim() || shortTitleFor(meta, title, own.shortTitle, Boolean(admin.title?.trim())),
    source: file.source,
    hash: contentHash(bytes, sidecarBytes),
    meta,
    text: body,
    format: extracted.format,
    ...(extracted.warnings.length > 0 ? { warnings: extracted.warnings } : {}),
  };
}

/**
 * The hash the index manifest keeps for a document file: its bytes and its sidecar's, so editing
 * either re-indexes it. Computed without parsing, to tell cheaply whether the index is current.
 */
export async function hashKnowledgeFile(file: FoundFile): Promise<string> {
  // Streamed: a very large file (skipped at ingest) is never held in memory just to be hashed.
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
  } catch {
    // Unreadable: hashed as empty, and reported by name when loaded.
  }
  return finishHash(hash, await readOptional(sidecarOf(file.path)));
}

function contentHash(bytes: Buffer, sidecar: Buffer | undefined): string {
  return finishHash(createHash("sha256").update(bytes), sidecar);
}

function finishHash(hash: Hash, sidecar: Buffer | undefined): string {
  if (sidecar) hash.update("\0meta\0").update(sidecar);
  return hash.digest("hex");
}

function sidecarOf(path: string): string {
  return path.slice(0, -extname(path).length) + SIDECAR;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** UTF-8 without BOM, NFC, LF. Rejects bytes that are not UTF-8 rather than indexing mojibake. */
function decodeUtf8(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (err) {
    throw new Error("tệp siêu dữ liệu không phải văn bản UTF-8", { cause: err });
  }
  return normaliseText(text);
}

function splitFrontMatter(text: string): { meta: DocumentMeta; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!m) return { meta: {}, body: text };
  return { meta: parseMeta(m[1] ?? "", "front matter"), body: text.slice(m[0].length) };
}

function parseMeta(yamlText: string, where: string): DocumentMeta {
  let value: unknown;
  try {
    value = parseYaml(yamlText);
  } catch (err) {
    throw new Error(
      `siêu dữ liệu (${where}) không phải YAML hợp lệ: ${(err as Error).message.split("\n")[0]}`,
      {
        cause: err,
      },
    );
  }
  if (value == null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new Error(`siêu dữ liệu (${where}) phải là một bảng khoá: giá trị`);
  const meta = value as DocumentMeta;
  for (const k of ["id", "title", "shortTitle"] as const) {
    if (meta[k] != null && typeof meta[k] !== "string")
      throw new Error(`siêu dữ liệu (${where}): "${k}" phải là chuỗi`);
  }
  return meta;
}

/**
 * The short title when the administrator gave none: kind and number when both are known (either
 * from the administrator or from the document), else the administrator's title, else the one the
 * document gives.
 */
function shortTitleFor(meta: DocumentMeta, title: string, own: string, titleGiven: boolean): string {
  const kind = typeof meta.kind === "string" ? meta.kind.trim() : "";
  const number = typeof meta.number === "string" ? meta.number.trim() : "";
  if (kind && number) return shortTitleOf(kind, number);
  return titleGiven ? title : own;
}

/** Ids are file-system and URL safe: letters, digits, dash, underscore. */
function slugId(raw: string): string {
  const s = raw
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s || "tai-lieu";
}
