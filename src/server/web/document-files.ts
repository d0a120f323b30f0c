/**
 * The documents folder as the Documents page and the chat change it (what a file is, its bytes
 * tell: src/knowledge/formats/sniff.ts): a safe file name for it (no path, no traversal,
 * Vietnamese kept readable, the extension its format has), and the changes themselves: written
 * atomically (a temp file beside the target, then rename), an upload that would replace a file
 * staged until the administrator confirms, and nothing destroyed (a removed or replaced file is moved into a
 * `.removed/` folder beside it, which the loader skips like every hidden name).
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { DocumentFormat } from "../../knowledge/formats/types.js";
import { listKnowledgeFiles } from "../../knowledge/loader.js";

function isControl(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x20 || c === 0x7f;
}

/** `text` without control characters (a name with them is not one a person typed). */
export function withoutControls(text: string): string {
  return [...text].filter((ch) => !isControl(ch)).join("");
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** The extension a file of each binary format keeps (text is `.txt`, Markdown `.md`). */
const BINARY_EXTENSIONS: Partial<Record<DocumentFormat, readonly string[]>> = {
  docx: [".docx"],
  doc: [".doc"],
  pdf: [".pdf"],
  image: [".png", ".jpg", ".jpeg", ".tif", ".tiff"],
};

/**
 * A file name safe to create in the documents folder from the name a browser or a chat sent: the
 * last path segment only, NFC, no control or reserved characters, no leading dot (hidden files are
 * not documents), at most 100 characters before the extension. The extension follows `format`
 * (what the bytes are): `.md` for Markdown, `.txt` for other text, and for Word, PDF and images
 * the sent extension when it is one of that format's, else the format's own (".docx", ".pdf",
 * ".png"). Without `format` the name is treated as text. Letters with diacritics and spaces are
 * kept: "Kế hoạch 12.docx" stays readable.
 */
export function safeFileName(raw: string, format?: DocumentFormat): string {
  const last = raw.split(/[/\\]/).pop() ?? "";
  let name = withoutControls(last.normalize("NFC"))
    .replace(/[<>:"|?*]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const ext = extname(name).toLowerCase();
  const markdown = format === "markdown" || (!format && (ext === ".md" || ext === ".markdown"));
  // An extension of a few letters is the file's type, not part of its name.
  if (/^\.[a-z0-9]{1,8}$/.test(ext)) name = name.slice(0, -ext.length);
  let stem = [...name.replace(/^[.\s]+|[.\s]+$/g, "")].slice(0, 100).join("").trim();
  // A sidecar's name or the folder's README would not be read as a document.
  stem = stem.replace(/\.meta$/i, "-meta");
  if (stem === "" || RESERVED.test(stem)) stem = stem ? `${stem}-tai-lieu` : "tai-lieu";
  if (stem.toLowerCase() === "readme") stem = "readme-tai-lieu";
  const binary = format ? BINARY_EXTENSIONS[format] : undefined;
  const out = binary ? (binary.includes(ext) ? ext : (binary[0] as string)) : markdown ? ".md" : ".txt";
  return `${stem}${out}`;
}

/**
 * The name a replacement of `target` is written under (`uploaded`: the new file's safe name):
 * `target` itself when both are text (.txt, .md) or have the same extension, else the target's
 * name with the new file's extension (the old file is then removed), so the document keeps its id
 * ("ke-hoach.txt" replaced by a Word file: "ke-hoach.docx").
 */
export function replacementName(target: string, uploaded: string): string {
  const ext = extname(target);
  const next = extname(uploaded);
  const text = (e: string) => [".md", ".markdown", ".txt"].includes(e.toLowerCase());
  if (ext.toLowerCase() === next.toLowerCase() || (text(ext) && text(next))) return target;
  return target.slice(0, target.length - ext.length) + next;
}

/** A file waiting for the administrator to confirm that it replaces `target`. */
export interface StagedUpload {
  token: string;
  admin: string;
  /** The document it replaces, as the folder lists it ("luat/luat-10.md"). */
  target: string;
  /** The name the browser sent. */
  original: string;
  bytes: number;
  at: string;
}

/** Takes a change of the folder back (the file written moved out, the file moved away put back). */
export type UndoFile = () => Promise<void>;

export interface DocumentFiles {
  readonly dir: string;
  /** Every file the folder lists (documents, and files the index skips), as relative sources. */
  list(): Promise<string[]>;
  /**
   * Writes `bytes` as `source` atomically; an existing file is moved to `.removed/` first.
   * Returns how to take it back: the new file moved into `.removed/`, the previous one restored.
   */
  write(source: string, bytes: Uint8Array): Promise<UndoFile>;
  /**
   * Moves `source` (and its sidecar, unless `keepSidecar`: a replacement under the same stem and
   * another extension keeps the document's metadata) into `.removed/` beside it; returns how to
   * put them back.
   */
  remove(source: string, options?: { keepSidecar?: boolean }): Promise<UndoFile>;
  /** Keeps an upload aside until confirmed; returns its token. */
  stage(upload: Omit<StagedUpload, "token" | "at" | "bytes">, bytes: Uint8Array): Promise<StagedUpload>;
  /** The staged upload `token` of `admin`, with its bytes; undefined when unknown, expired or claimed. */
  staged(token: string, admin: string): Promise<(StagedUpload & { data: Buffer }) | undefined>;
  /**
   * Takes the staged upload `token` of `admin` for one confirmation only (an atomic rename: of two
   * presses, or two instances, one wins): the upload with its bytes and `release` (gives it back
   * when the change did not happen), "claimed" when another press has it, undefined when unknown
   * or expired.
   */
  claim(
    token: string,
    admin: string,
  ): Promise<(StagedUpload & { data: Buffer; release: () => Promise<void> }) | "claimed" | undefined>;
  unstage(token: string): Promise<void>;
}

/** A folder already has a subfolder under the name a document would be written as. */
export class FolderExistsError extends Error {
  readonly code = "EISDIR";
  constructor(source: string) {
    super(`a folder named ${source} is in the way`);
  }
}

const STAGING = ".uploads";
const REMOVED = ".removed";
const STAGE_MINUTES = 30;
const SIDECAR = ".meta.yaml";

/**
 * The documents folder `dir`, for the page. Sources come only from the folder's own listing, so
 * a name sent by a browser can never reach outside it.
 */
export function createDocumentFiles(dir: string, now: () => Date = () => new Date()): DocumentFiles {
  const stamp = () =>
    now()
      .toISOString()
      .replace(/\.\d+Z$/, "")
      .replace(/:/g, "-")
      .replace("T", " ");
  /** Moves `path` into `.removed/` beside it, under its name prefixed with the time. */
  const keep = async (path: string): Promise<string> => {
    const folder = join(dirname(path), REMOVED);
    await mkdir(folder, { recursive: true });
    let to = join(folder, `${stamp()} ${basename(path)}`);
    for (let n = 2; await exists(to); n++) to = join(folder, `${stamp()} (${n}) ${basename(path)}`);
    await rename(path, to);
    return to;
  };
  const stagingDir = join(dir, STAGING);
  const validToken = (t: string) => /^[\w-]{20,64}$/.test(t);
  const files: DocumentFiles = {
    dir,
    async list() {
      const { files: found, skipped } = await listKnowledgeFiles(dir);
      return [...found.map((f) => f.source), ...skipped.map((s) => s.source)].sort((a, b) =>
        a.localeCompare(b),
      );
    },
    async write(source, bytes) {
      const path = join(dir, source);
      if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new FolderExistsError(source);
      const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
      const fh = await open(tmp, "wx");
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      let kept: string | undefined;
      try {
        if (await exists(path)) kept = await keep(path);
        await rename(tmp, path);
      } catch (err) {
        // The folder stays as it was: the old file back in place, the temp file gone.
        if (kept) await rename(kept, path).catch(() => undefined);
        await rm(tmp, { force: true });
        throw err;
      }
      return async () => {
        // The new file goes to `.removed/` too (nothing destroyed), the previous one comes back.
        if (await exists(path)) await keep(path);
        if (kept) await rename(kept, path);
      };
    },
    async remove(source, options = {}) {
      const path = join(dir, source);
      const sidecar = path.slice(0, -extname(path).length) + SIDECAR;
      const to = await keep(path);
      const sidecarTo =
        !options.keepSidecar && extname(path) && (await exists(sidecar)) ? await keep(sidecar) : undefined;
      return async () => {
        await rename(to, path);
        if (sidecarTo) await rename(sidecarTo, sidecar);
      };
    },
    async stage(upload, bytes) {
      await mkdir(stagingDir, { recursive: true });
      await dropExpired(stagingDir, now());
      const staged: StagedUpload = {
        ...upload,
        token: randomBytes(18).toString("base64url"),
        bytes: bytes.length,
        at: now().toISOString(),
      };
      await writeFile(join(stagingDir, `${staged.token}.bin`), bytes);
      await writeFile(join(stagingDir, `${staged.token}.json`), JSON.stringify(staged));
      return staged;
    },
    async staged(token, admin) {
      if (!validToken(token)) return undefined;
      try {
        const s = JSON.parse(await readFile(join(stagingDir, `${token}.json`), "utf8")) as StagedUpload;
        if (s.admin !== admin || expired(s.at, now())) return undefined;
        return { ...s, data: await readFile(join(stagingDir, `${token}.bin`)) };
      } catch {
        return undefined;
      }
    },
    async claim(token, admin) {
      if (!validToken(token)) return undefined;
      const json = join(stagingDir, `${token}.json`);
      const claimed = join(stagingDir, `${token}.claimed.json`);
      let s: StagedUpload;
      try {
        s = JSON.parse(await readFile(json, "utf8")) as StagedUpload;
        if (s.admin !== admin || expired(s.at, now())) return undefined;
        await rename(json, claimed);
      } catch {
        // Gone before the read or the rename: another press took it first, or it is unknown.
        return (await exists(claimed)) ? "claimed" : undefined;
      }
      const release = () => rename(claimed, json).catch(() => undefined);
      try {
        return { ...s, data: await readFile(join(stagingDir, `${token}.bin`)), release };
      } catch {
        await release();
        return undefined;
      }
    },
    async unstage(token) {
      if (!validToken(token)) return;
      await rm(join(stagingDir, `${token}.bin`), { force: true });
      await rm(join(stagingDir, `${token}.json`), { force: true });
      await rm(join(stagingDir, `${token}.claimed.json`), { force: true });
    },
  };
  return files;
}

function expired(at: string, now: Date): boolean {
  return Date.parse(at) + STAGE_MINUTES * 60_000 < now.getTime();
}

async function dropExpired(stagingDir: string, now: Date): Promise<void> {
  for (const name of await readdir(stagingDir)) {
    const path = join(stagingDir, name);
    const { mtime } = await stat(path).catch(() => ({ mtime: now }));
    if (expired(mtime.toISOString(), now)) await rm(path, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A size as a person reads it: "84,0 KB", "50,0 MB". */
export function sizeText(bytes: number): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, "MB"] : [bytes / 1000, "KB"];
  return `${value.toFixed(1).replace(".", ",")} ${unit}`;
}
