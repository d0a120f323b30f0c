/**
 * The administrators' web page, mounted on the bot's one HTTP app under /quantri: server-rendered
 * Vietnamese HTML that works on a phone, with a little JavaScript (the chart, live progress) and
 * every asset served by the bot itself (uPlot from node_modules: these deployments are often on
 * closed networks). Pages: overview, questions (search, filters, gaps, CSV), announcements
 * (compose, preview as each platform shows it, send or schedule, progress, report, cancel),
 * subscribers, documents (upload, replace, remove, the rebuild's progress) and study. Signed in by one-time links (sign-in.ts); every form carries the
 * session's CSRF token; what administrators do goes to the audit log.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { Citation } from "../../answer/citations.js";
import type { BroadcastService } from "../../broadcast/service.js";
import type { SkippedFile } from "../../knowledge/types.js";
import { errorSummary, type Logger } from "../../logger.js";
import { fill, type Replies } from "../../prompts.js";
import type { DocumentSummary } from "../../search/knowledge-index.js";
import type { Storage, WebSession } from "../../storage/ports.js";
import type { QuizFigures } from "../../study/service.js";
import { sizeText } from "./document-files.js";
import { type Html, type PageContext, page } from "./layout.js";
import { announcementRoutes } from "./pages/announcements.js";
import { type DocumentUploads, documentRoutes } from "./pages/documents.js";
import { overviewPage } from "./pages/overview.js";
import { questionRoutes } from "./pages/questions.js";
import { studyPage } from "./pages/study.js";
import { subscribersPage } from "./pages/subscribers.js";
import {
  LINK_MINUTES,
  newSession,
  type SessionPolicy,
  sameSecret,
  sessionAlive,
  sha256,
  WEB_PREFIX,
} from "./sign-in.js";
import type { WebTexts } from "./texts.js";

export interface AdminWebDeps {
  storage: Pick<
    Storage,
    | "questions"
    | "subscriptions"
    | "notices"
    | "webSignIn"
    | "audit"
    | "questionInsights"
    | "subscriberDirectory"
    | "noticeInsights"
    | "study"
  >;
  /** The quizzes' figures (the study service's), for the Study page; none without quizzes. */
  quizFigures?: () => Promise<QuizFigures>;
  broadcasts: BroadcastService;
  /** The channels notices go out on (recipients are counted per channel). */
  channels: readonly string[];
  /** Whether an identity ("telegram:123") is still an administrator: a session ends when it is not. */
  isAdmin(admin: string): boolean;
  documents(): readonly DocumentSummary[];
  /** A passage as a citation, by id, from the index in use. */
  citation(passageId: string): Citation | undefined;
  /** When the index in use was built, its passages, and the files it skipped (with why). */
  indexInfo(): Promise<{ builtAt: string; passages: number; skipped: SkippedFile[] } | undefined>;
  /** Changing the documents from the page (upload, replace, remove); without it the page only lists them. */
  uploads?: DocumentUploads;
  replies: Replies;
  texts: WebTexts;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** Cookies marked Secure (PUBLIC_URL is https). */
  secure: boolean;
  session: SessionPolicy;
  logger: Logger;
  now?: () => Date;
}

/** Hono's per-request variables on the signed-in pages. */
export type WebEnv = { Variables: { session: WebSession; ctx: PageContext } };

/** What the page modules get: the dependencies, the clock, and a helper to write the audit log. */
export interface WebKit {
  deps: AdminWebDeps;
  now: () => Date;
  audit(c: Context<WebEnv>, action: string, detail: string): Promise<void>;
  /** The page context of a signed-in request. */
  ctx(c: Context<WebEnv>): PageContext;
}

const COOKIE = "quantri_phien";

const require = createRequire(import.meta.url);
const ASSETS: Record<string, { type: string; path: string }> = {
  "uPlot.iife.min.js": { type: "text/javascript", path: require.resolve("uplot/dist/uPlot.iife.min.js") },
  "uPlot.min.css": { type: "text/css", path: require.resolve("uplot/dist/uPlot.min.css") },
  "app.js": { type: "text/javascript", path: new URL("./assets/app.js", import.meta.url).pathname },
  "app.css": { type: "text/css", path: new URL("./assets/app.css", import.meta.url).pathname },
};

/** The web page as a hono app, to mount at `/quantri` on the bot's HTTP app. */
export function createAdminWeb(deps: AdminWebDeps): Hono<WebEnv> {
  const now = deps.now ?? (() => new Date());
  const t = deps.texts;
  const base = `${new URL(deps.publicUrl).pathname.replace(/\/+$/, "")}${WEB_PREFIX}`;
  const anonymous: PageContext = { t, base };
  const assets = new Map(
    Object.entries(ASSETS).map(([name, a]) => [name, { type: a.type, body: readFileSync(a.path) }]),
  );
  const web = new Hono<WebEnv>();

  const kit: WebKit = {
    deps,
    now,
    ctx: (c) => c.get("ctx"),
    async audit(c, action, detail) {
      const s = c.get("session");
      try {
        await deps.storage.audit.record({ actor: s.admin, action, detail, at: now().toISOString() });
      } catch (err) {
        deps.logger.error({ err: errorSummary(err), action }, "không ghi được nhật ký quản trị");
      }
    },
  };

  // Every answer: no caching, no framing, no referrer (a sign-in link never leaks), and only
  // the bot's own scripts and styles.
  web.use("*", async (c, next) => {
    await next();
    c.header(
      "content-security-policy",
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    c.header("x-frame-options", "DENY");
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  });
  // Forms are small; only a document upload may be as large as MAX_DOCUMENT_BYTES (and its
  // multipart envelope). A larger body is refused unread, with the limit said in Vietnamese.
  const formLimit = bodyLimit({ maxSize: 200_000, onError: (c) => c.text("", 413) });
  const uploads = deps.uploads;
  const uploadLimit = uploads
    ? bodyLimit({
        maxSize: uploads.maxDocumentBytes + 64_000,
        onError: (c) => {
          c.header("connection", "close");
          return c.html(
            page(
              anonymous,
              "none",
              t.documents_title,
              html`<p class="error">${fill(t.upload_body_too_large, { max: sizeText(uploads.maxDocumentBytes) })}</p>
<p><a href="${base}/tai-lieu">${t.back}</a></p>`,
            ),
            413,
          );
        },
      })
    : formLimit;
  web.use("*", (c, next) =>
    (c.req.method === "POST" && c.req.path.endsWith("/tai-lieu/tai-len") ? uploadLimit : formLimit)(c, next),
  );

  web.get("/tai-nguyen/:file", (c) => {
    const a = assets.get(c.req.param("file"));
    if (!a) return c.text("", 404);
    c.header("cache-control", "public, max-age=3600");
    return c.body(a.body, 200, { "content-type": `${a.type}; charset=utf-8` });
  });

  const signInPage = (c: Context, status: 200 | 401 | 403 = 200, message?: string) =>
    c.html(
      page(
        anonymous,
        "none",
        t.sign_in_title,
        html`${message ? html`<p class="error">${message}</p>` : ""}
<p>${t.sign_in_how}</p>
<p class="hint">${t.sign_in_operator}</p>`,
      ),
      status,
    );

  web.get("/dang-nhap", (c) => signInPage(c));

  web.get("/vao", async (c) => {
    const token = c.req.query("t") ?? "";
    const admin = token
      ? await deps.storage.webSignIn.peekLink(sha256(token), now().toISOString())
      : undefined;
    if (!admin || !deps.isAdmin(admin)) return signInPage(c, 403, t.link_refused);
    // Opening the link only asks: a link preview or a virus scanner fetching it uses nothing.
    return c.html(
      page(
        anonymous,
        "none",
        t.sign_in_title,
        html`<form method="post" action="${base}/vao" class="sign-in">
<input type="hidden" name="t" value="${token}">
<p>${fill(t.sign_in_confirm, { admin, minutes: LINK_MINUTES })}</p>
<button type="submit">${t.sign_in_button}</button>
</form>`,
      ),
    );
  });

  web.post("/vao", async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.t === "string" ? body.t : "";
    const at = now();
    const admin = token ? await deps.storage.webSignIn.useLink(sha256(token), at.toISOString()) : undefined;
    if (!admin || !deps.isAdmin(admin)) {
      deps.logger.warn("liên kết đăng nhập trang quản trị bị từ chối");
      return signInPage(c, 403, t.link_refused);
    }
    const { id, session } = newSession(admin, at, deps.session);
    await deps.storage.webSignIn.createSession(session);
    await deps.storage.audit.record({ actor: admin, action: "sign-in", detail: "", at: at.toISOString() });
    setCookie(c, COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      secure: deps.secure,
      path: base,
      maxAge: deps.session.maxHours * 3600,
    });
    deps.logger.info({ admin }, "quản trị viên đăng nhập trang quản trị");
    return c.redirect(base, 303);
  });

  // Everything below needs a live session; a POST also its CSRF token.
  web.use("*", async (c, next) => {
    const id = getCookie(c, COOKIE);
    const at = now();
    const session = id ? await deps.storage.webSignIn.getSession(sha256(id)) : undefined;
    if (!session || !sessionAlive(session, at, deps.session) || !deps.isAdmin(session.admin)) {
      if (session) await deps.storage.webSignIn.endSession(session.idHash);
      if (id) deleteCookie(c, COOKIE, { path: base });
      if (c.req.method === "GET" && !c.req.path.endsWith("/tien-do"))
        return c.redirect(`${base}/dang-nhap`, 303);
      return signInPage(c, 401);
    }
    if (c.req.method === "POST") {
      const body = await c.req.parseBody();
      const sent = typeof body._csrf === "string" ? body._csrf : "";
      if (!sameSecret(sent, session.csrf)) {
        deps.logger.warn({ admin: session.admin, path: c.req.path }, "biểu mẫu không có mã CSRF đúng");
        return c.html(
          page({ t, base, session }, "none", t.forbidden_csrf, html`<p><a href="${base}">${t.back}</a></p>`),
          403,
        );
      }
    }
    // The progress poll is not activity: a page left open still expires when idle.
    if (!c.req.path.endsWith("/tien-do"))
      await deps.storage.webSignIn.touchSession(session.idHash, at.toISOString());
    c.set("session", session);
    c.set("ctx", { t, base, session: { admin: session.admin, csrf: session.csrf } });
    await next();
  });

  web.post("/dang-xuat", async (c) => {
    const s = c.get("session");
    await kit.audit(c, "sign-out", "");
    await deps.storage.webSignIn.endSession(s.idHash);
    deleteCookie(c, COOKIE, { path: base });
    return c.html(
      page(anonymous, "none", t.sign_in_title, html`<p>${t.signed_out}</p><p>${t.sign_in_how}</p>`),
    );
  });

  web.get("/", async (c) => c.html(await overviewPage(kit, kit.ctx(c))));
  questionRoutes(web, kit);
  announcementRoutes(web, kit);
  web.get("/nguoi-dang-ky", async (c) =>
    c.html(await subscribersPage(kit, kit.ctx(c), new URL(c.req.url).searchParams)),
  );
  documentRoutes(web, kit);
  web.get("/hoc-tap", async (c) => c.html(await studyPage(kit, kit.ctx(c))));
  // A page that fails (the database away, a statement timed out) says so in Vietnamese; the log
  // gets the chosen fields of the error, never the whole object (hono's default prints it).
  web.onError((err, c) => {
    deps.logger.error({ err: errorSummary(err), path: c.req.path }, "lỗi khi hiển thị trang quản trị");
    const ctx = c.get("ctx") ?? anonymous;
    return c.html(
      page(
        ctx,
        "none",
        t.server_error,
        html`<p>${t.server_error_hint}</p><p><a href="${ctx.base}">${t.back}</a></p>`,
      ),
      500,
    );
  });
  web.all("*", (c) => {
    // "/quantri/" is the overview too.
    if (c.req.method === "GET" && /\/quantri\/+$/.test(c.req.path)) return c.redirect(base, 301);
    return c.html(notFound(kit.ctx(c)), 404);
  });
  return web;
}

/** The page for an address that names nothing (a notice or question that does not exist). */
export function notFound(ctx: PageContext): Html {
  return page(ctx, "none", ctx.t.not_found, html`<p><a href="${ctx.base}">${ctx.t.back}</a></p>`);
}
