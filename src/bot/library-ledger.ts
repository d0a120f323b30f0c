/**
 * What the documents folder does not say by itself, kept beside the documents in
 * `<KNOWLEDGE_DIR>/.library.json` (a hidden name: the loader skips it; one file, shared by every
 * instance that shares the folder): when each document was added and last replaced, and the
 * passages of documents replaced or removed, so a source button pressed under an old answer still
 * shows the text it quoted. Written atomically (a temp file, then rename).
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

/** When a document file came and last changed, and who changed it. */
export interface LedgerEntry {
  addedAt: string;
  updatedAt: string;
  by: string;
}

/** A passage of a document that was replaced or removed, as it was quoted. */
export interface RetiredPassage {
  id: string;
  section: string;
  label: string;
  text: string;
}

/** A document replaced or removed, with its passages at that moment. */
export interface RetiredDocument {
  docId: string;
  source: string;
  /** Its short title, as citations named it. */
  title: string;
  action: "replace" | "remove";
  at: string;
  passages: RetiredPassage[];
}

interface LedgerData {
  documents: Record<string, LedgerEntry>;
  retired: RetiredDocument[];
}

/** The most retired documents kept (the oldest dropped first): bounded, like every store. */
const MAX_RETIRED = 200;

export interface LibraryLedger {
  /** The entry of a document file (relative source), if the bot changed it. */
  entry(source: string): Promise<LedgerEntry | undefined>;
  /** Records that `source` was added (or replaced, keeping its first date) by `by`. */
  touch(source: string, by: string, replacing?: string): Promise<void>;
  /** Forgets a removed document file's dates. */
  forget(source: string): Promise<void>;
  /** Sets (or, undefined, forgets) `source`'s entry as it was: a change taken back. */
  put(source: string, entry: LedgerEntry | undefined): Promise<void>;
  /** Keeps a replaced or removed document's passages. */
  retire(doc: RetiredDocument): Promise<void>;
  /**
   * The retired passage `passageId`, when its document was replaced or removed after `askedAt`
   * (an answer given before the change): the text it quoted then.
   */
  retiredPassage(
    passageId: string,
    askedAt: string,
  ): Promise<{ document: RetiredDocument; passage: RetiredPassage } | undefined>;
}

/** The ledger file of the documents folder `knowledgeDir`. */
export function createLibraryLedger(knowledgeDir: string, now: () => Date = () => new Date()): LibraryLedger {
  const path = join(knowledgeDir, ".library.json");
  let tail: Promise<unknown> = Promise.resolve();
  /** One change at a time in this process; each reads the file afresh (another instance may have written it). */
  const change = (fn: (d: LedgerData) => void): Promise<void> => {
    const run = tail.then(async () => {
      const data = await read();
      fn(data);
      await write(data);
    });
    tail = run.catch(() => undefined);
    return run;
  };
  const read = async (): Promise<LedgerData> => {
    try {
      const d = JSON.parse(await readFile(path, "utf8")) as Partial<LedgerData>;
      return {
        documents: d.documents && typeof d.documents === "object" ? d.documents : {},
        retired: Array.isArray(d.retired) ? d.retired : [],
      };
    } catch {
      // Missing (nothing changed yet) or damaged: the documents themselves are untouched.
      return { documents: {}, retired: [] };
    }
  };
  const write = async (data: LedgerData) => {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    const fh = await open(tmp, "wx");
    try {
      await fh.writeFile(JSON.stringify(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path).catch(async (err: unknown) => {
      await rm(tmp, { force: true });
      throw err;
    });
  };
  return {
    async entry(source) {
      return (await read()).documents[source];
    },
    touch(source, by, replacing) {
      return change((d) => {
        const at = now().toISOString();
        const before = d.documents[source] ?? (replacing ? d.documents[replacing] : undefined);
        if (replacing && replacing !== source) delete d.documents[replacing];
        d.documents[source] = { addedAt: before?.addedAt ?? at, updatedAt: at, by };
      });
    },
    forget(source) {
      return change((d) => {
        delete d.documents[source];
      });
    },
    put(source, entry) {
      return change((d) => {
        if (entry) d.documents[source] = entry;
        else delete d.documents[source];
      });
    },
    retire(doc) {
      return change((d) => {
        d.retired.push(doc);
        if (d.retired.length > MAX_RETIRED) d.retired.splice(0, d.retired.length - MAX_RETIRED);
      });
    },
    async retiredPassage(passageId, askedAt) {
      const asked = Date.parse(askedAt);
      // The first change after the answer: the text as it was when it was quoted.
      const candidates = (await read()).retired
        .filter((r) => Date.parse(r.at) >= asked)
        .sort((a, b) => a.at.localeCompare(b.at));
      for (const document of candidates) {
        const passage = document.passages.find((p) => p.id === passageId);
        if (passage) return { document, passage };
      }
      return undefined;
    },
  };
}
