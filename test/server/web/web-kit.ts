/**
 * The administrators' web page over a fresh in-memory database, mounted on the bot's HTTP app
 * as main.ts mounts it, with a clock the test moves, and a tiny cookie jar for `app.request`.
 * With `knowledge`, the Documents page works on a real copy of the shipped documents, its index
 * built, held, rebuilt and announced as main.ts does it.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

import { createLibrary } from "../../../src/bot/library.js";
import { createLibraryLedger } from "../../../src/bot/library-ledger.js";
import { createBroadcastService } from "../../../src/broadcast/service.js";
import { loadPrompts } from "../../../src/prompts.js";
import type { EmbedderConfig } from "../../../src/search/embeddings/index.js";
import { currentVersion, ensureIndex } from "../../../src/search/index-store.js";
import { createKnowledgeSync } from "../../../src/search/knowledge-sync.js";
import { createIndexHolder } from "../../../src/search/retriever.js";
import { createHttpApp } from "../../../src/server/app.js";
import { createDocumentFiles } from "../../../src/server/web/document-files.js";
import { createAdminWeb } from "../../../src/server/web/index.js";
import { readIndexInfo } from "../../../src/server/web/index-info.js";
import { createLock, createReindexer, ingestPipeline } from "../../../src/server/web/reindex.js";
import { createSignInLinks, WEB_PREFIX } from "../../../src/server/web/sign-in.js";
import { loadWebTexts } from "../../../src/server/web/texts.js";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import type { QuizFigures } from "../../../src/study/service.js";
import { memoryLogger } from "../../fakes/memory-logger.js";
import { KNOWLEDGE } from "../../helpers.js";

export const ADMIN = "telegram:1001";

export async function webKit(
  options: {
    publicUrl?: string;
    /** The Study page's quiz figures, made from the kit's storage (the study service's, in a test). */
    quizFigures?: (storage: ReturnType<typeof openSqliteStorage>) => () => Promise<QuizFigures>;
    /** A copy of the shipped documents the page can change, with a real index over it. */
    knowledge?: { embedder?: EmbedderConfig; maxDocumentBytes?: number };
  } = {},
) {
  const clock = { now: new Date("2026-12-01T03:00:00Z") };
  const now = () => new Date(clock.now);
  const storage = openSqliteStorage(":memory:", now);
  const prompts = await loadPrompts();
  const log = memoryLogger();
  const broadcasts = createBroadcastService(storage, ["telegram", "zalo"], now);
  const publicUrl = options.publicUrl ?? "http://127.0.0.1:8080";
  const admins = new Set([ADMIN, "zalo:z-admin"]);
  const knowledge = options.knowledge
    ? await knowledgeKit(storage, options.knowledge, log.logger)
    : undefined;
  const web = createAdminWeb({
    storage,
    broadcasts,
    channels: ["telegram", "zalo"],
    isAdmin: (who) => admins.has(who),
    documents: () => knowledge?.holder.current().index.documents ?? [],
    citation: () => undefined,
    indexInfo: async () => (knowledge ? readIndexInfo(knowledge.indexDir) : undefined),
    uploads: knowledge?.uploads,
    replies: prompts.replies,
    texts: await loadWebTexts(),
    publicUrl,
    secure: publicUrl.startsWith("https:"),
    session: { idleMinutes: 30, maxHours: 12 },
    logger: log.logger,
    quizFigures: options.quizFigures?.(storage),
    now,
  });
  const http = createHttpApp(new Map(), log.logger);
  http.app.route(WEB_PREFIX, web);
  const links = createSignInLinks({ store: storage.webSignIn, audit: storage.audit, publicUrl, now });

  /** A browser of sorts: keeps the cookies the page sets and sends them back. */
  const browser = () => {
    const jar = new Map<string, string>();
    const request = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
      const res = await http.app.request(path, { ...init, headers, redirect: "manual" });
      for (const c of res.headers.getSetCookie()) {
        const [pair = ""] = c.split(";");
        const [k = "", v = ""] = pair.split("=");
        if (v === "" || /max-age=0/i.test(c)) jar.delete(k);
        else jar.set(k, v);
      }
      return res;
    };
    const post = (path: string, fields: Record<string, string>) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    /** The CSRF token of the page at `path` (every form carries it). */
    const csrf = async (path = "/quantri") => {
      const body = await (await request(path)).text();
      const m = /name="_csrf" value="([^"]+)"/.exec(body);
      if (!m) throw new Error(`no CSRF field on ${path}`);
      return m[1] as string;
    };
    /** Signs in through a fresh one-time link for `admin`. */
    const signIn = async (admin = ADMIN) => {
      const url = new URL(await links.issue(admin));
      const token = url.searchParams.get("t") ?? "";
      const res = await post("/quantri/vao", { t: token });
      if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
      return res;
    };
    return { jar, request, post, csrf, signIn };
  };
  return { clock, storage, broadcasts, links, browser, log, http, prompts, knowledge };
}

/** The documents folder (a copy of the shipped one), its index and the page's changes, as main.ts wires them. */
async function knowledgeKit(
  storage: ReturnType<typeof openSqliteStorage>,
  options: NonNullable<Parameters<typeof webKit>[0]>["knowledge"] & object,
  logger: ReturnType<typeof memoryLogger>["logger"],
) {
  const root = await mkdtemp(join(tmpdir(), "danvan-web-kb-"));
  const dir = join(root, "knowledge");
  const indexDir = join(root, "index");
  await cp(KNOWLEDGE, dir, { recursive: true });
  const embedder = options.embedder ?? { kind: "corpus" };
  const maxDocumentBytes = options.maxDocumentBytes ?? 50_000_000;
  const outcome = await ensureIndex(dir, indexDir, { embedder, maxDocumentBytes });
  const holder = createIndexHolder(outcome, {
    indexDir,
    embedder,
    logger,
    version: await currentVersion(indexDir),
  });
  const lock = createLock();
  const sync = createKnowledgeSync({
    versions: storage.knowledge,
    logger,
    rebuild: () => lock(async () => void (await holder.reload())),
  });
  await sync.start();
  const reindexer = createReindexer({
    logger,
    pipeline: ingestPipeline({
      knowledgeDir: dir,
      indexDir,
      embedder,
      maxDocumentBytes,
      swap: () => holder.reload(),
      announce: () => sync.announce(),
      lock,
      logger,
    }),
  });
  onTestFinished(async () => {
    sync.stop();
    await reindexer.idle();
    await rm(root, { recursive: true, force: true });
  });
  const files = createDocumentFiles(dir);
  // The same ledger as the chat's (main.ts): dates of changes, old passages for old source buttons.
  const ledger = createLibraryLedger(dir);
  const library = createLibrary({
    files,
    reindexer,
    ledger,
    documents: () => holder.current().index.documents,
    passagesOf: (docId) => holder.current().index.passages.filter((p) => p.docId === docId),
    skipped: async () => (await readIndexInfo(indexDir))?.skipped ?? [],
    isAdmin: () => true,
    replies: (await loadPrompts()).replies,
    logger,
    maxDocumentBytes,
  });
  return {
    dir,
    indexDir,
    holder,
    sync,
    reindexer,
    ledger,
    uploads: { files, reindexer, maxDocumentBytes, history: library.history },
  };
}
