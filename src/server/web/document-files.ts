/**
 * The documents folder as the Documents page changes it: what an uploaded file is (by its bytes,
 * never the browser's mime type or the extension alone), a safe file name for it (no path, no
 * traversal, Vietnamese kept readable), and the changes themselves: written atomically (a temp
 * file beside the target, then rename), an upload that would replace a file staged until the
 * administrator confirms, and nothing destroyed (a removed or replaced file is moved into a
 * `.removed/` folder beside it, which the loader skips like every hidden name).
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { listKnowledgeFiles } from "../../knowledge/loader.js";

/** What the bytes of an uploaded file are. */
export type Sniffed =
  | { kind: "text" }
  | { kind: "empty" }
  /** Text, but not UTF-8 (UTF-16, a legacy code page). */
  | { kind: "not-utf8" }
  /** A format the loader cannot read yet, named as people know it ("Word (.docx)", "PDF"). */
  | { kind: "binary"; format: string };

const MAGIC: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], "PDF"],
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], "Word (.doc)"],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], "Word (.rtf)"],
  [[0x89, 0x50, 0x4e, 0x47], "ảnh PNG"],
  [[0xff, 0xd8, 0xff], "ảnh JPEG"],
  [[0x47, 0x49, 0x46, 0x38], "ảnh GIF"],
  [[0x49, 0x49, 0x2a, 0x00], "ảnh TIFF"],
  [[0x4d, 0x4d, 0x00, 0x2a], "ảnh TIFF"],
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Recognises a document by its bytes: UTF-8 text (the loader's formats), or what it is instead. */
export function sniffDocument(bytes: Uint8Array): Sniffed {
  for (const [magic, format] of MAGIC) if (startsWith(bytes, magic)) return { kind: "binary", format };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A zip: Word's .docx names its parts word/…; OpenDocument says its mimetype first.
    const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
    if (head.includes("word/")) return { kind: "binary", format: "Word (.docx)" };
    if (head.includes("opendocument.text")) return { kind: "binary", format: "OpenDocument (.odt)" };
    return { kind: "binary", format: "tệp nén (zip)" };
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return { kind: "not-utf8" };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { kind: "binary", format: "tệp nhị phân" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { kind: "not-utf8" };
  }
  // Control characters other than tab, line breaks and form feed do not occur in a document.
  let controls = 0;
  for (const ch of text) if (isControl(ch) && !"\t\n\r\f".includes(ch)) controls += 1;
  if (controls > Math.max(2, text.length / 1000)) return { kind: "binary", format: "tệp nhị phân" };
  if (text.replace(/^\uFEFF/, "").trim() === "") return { kind: "empty" };
  return { kind: "text" };
}

function isControl(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x20 || c === 0x7f;
}

/** `text` without control characters (a name with them is not one a person typed). */
export function withoutControls(text: string): string {
  return [...text].filter((ch) => !isControl(ch)).join("");
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file name safe to create in the documents folder from the name a browser sent: the last
 * path segment only, NFC, no control or reserved characters, no leading dot (hidden files are
 * not documents), at most 100 characters before the extension, which is `.md` for Markdown and
 * `.txt` otherwise. Letters with diacritics and spaces are kept: "Kế hoạch 12.docx" stays readable.
 */
export function safeFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? "";
  let name = withoutControls(last.normalize("NFC"))
    .replace(/[<>:"|?*]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const ext = extname(name).toLowerCase();
  const markdown = ext === ".md" || ext === ".markdown";
  // An extension of a few letters is the file's type, not part of its name.
  if (/^\.[a-z0-9]{1,8}$/.test(ext)) name = name.slice(0, -ext.length);
  let stem = [...name.replace(/^[.\s]+|[.\s]+$/g, "")].slice(0, 100).join("").trim();
  // A sidecar's name or the folder's README would not be read as a document.
  stem = stem.replace(/\.meta$/i, "-meta");
  if (stem === "" || RESERVED.test(stem)) stem = stem ? `${stem}-tai-lieu` : "tai-lieu";
  if (stem.toLowerCase() === "readme") stem = "readme-tai-lieu";
  return `${stem}${markdown ? ".md" : ".txt"}`;
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

export interface DocumentFiles {
  readonly dir: string;
  /** Every file the folder lists (documents, and files the index skips), as relative sources. */
  list(): Promise<string[]>;
  /** Writes `bytes` as `source` atomically; an existing file is moved to `.removed/` first. */
  write(source: string, bytes: Uint8Array): Promise<void>;
  /** Moves `source` (and its sidecar) into `.removed/` beside it; returns where it went. */
  remove(source: string): Promise<string>;
  /** Keeps an upload aside until confirmed; returns its token. */
  stage(upload: Omit<StagedUpload, "token" | "at" | "bytes">, bytes: Uint8Array): Promise<StagedUpload>;
  /** The staged upload `token` of `admin`, with its bytes; undefined when unknown or expired. */
  staged(token: string, admin: string): Promise<(StagedUpload & { data: Buffer }) | undefined>;
  unstage(token: string): Promise<void>;
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
      if ((await stat(path).catch(() => undefined))?.isDirectory())
        throw new Error(`đã có một thư mục tên «${source}»`);
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
    },
    async remove(source) {
      const path = join(dir, source);
      const sidecar = path.slice(0, -extname(path).length) + SIDECAR;
      const to = await keep(path);
      if (extname(path) && (await exists(sidecar))) await keep(sidecar);
      return to;
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
    async unstage(token) {
      if (!validToken(token)) return;
      await rm(join(stagingDir, `${token}.bin`), { force: true });
      await rm(join(stagingDir, `${token}.json`), { force: true });
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
