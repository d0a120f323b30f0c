/**
 * The administrators' web page over a fresh in-memory database, mounted on the bot's HTTP app
 * as main.ts mounts it, with a clock the test moves, and a tiny cookie jar for `app.request`.
 */

import { createBroadcastService } from "../../../src/broadcast/service.js";
import { loadPrompts } from "../../../src/prompts.js";
import { createHttpApp } from "../../../src/server/app.js";
import { createAdminWeb } from "../../../src/server/web/index.js";
import { createSignInLinks, WEB_PREFIX } from "../../../src/server/web/sign-in.js";
import { loadWebTexts } from "../../../src/server/web/texts.js";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import type { QuizFigures } from "../../../src/study/service.js";
import { memoryLogger } from "../../fakes/memory-logger.js";

export const ADMIN = "telegram:1001";

export async function webKit(
  options: {
    publicUrl?: string;
    /** The Study page's quiz figures, made from the kit's storage (the study service's, in a test). */
    quizFigures?: (storage: ReturnType<typeof openSqliteStorage>) => () => Promise<QuizFigures>;
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
  const web = createAdminWeb({
    storage,
    broadcasts,
    channels: ["telegram", "zalo"],
    isAdmin: (who) => admins.has(who),
    documents: () => [],
    citation: () => undefined,
    indexInfo: async () => undefined,
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
  return { clock, storage, broadcasts, links, browser, log, http, prompts };
}
