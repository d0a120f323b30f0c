/**
 * The one HTTP app of the bot (hono on @hono/node-server): `/healthz`, the webhook routes of the
 * channels, and room for an administrators' web page under its own prefix later
 * (`app.route("/quantri", …)`). Webhooks take JSON only, at most MAX_BODY_BYTES, POST only; work a
 * webhook starts after its response is tracked, so a shutdown can wait for it.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorSummary, type Logger } from "../logger.js";

/** What a webhook route sees of a request: lower-case header names, the parsed JSON body. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** A route answers with a status; `work` (optional) goes on after the response is sent. */
export type Route = (req: WebhookRequest) => { status: number; work?: () => Promise<void> };

export interface HttpApp {
  /** The hono app: more routes (a web page) mount on it under their own prefix. */
  app: Hono;
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting requests and waits for work started by earlier ones. */
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 1_000_000;

/**
 * What `/healthz` reports beyond `ok` (the database, the index…); `ok: false` answers 503, so a
 * load balancer stops sending webhooks to an instance that cannot serve them.
 */
export type HealthCheck = () => Promise<{ ok: boolean } & Record<string, unknown>>;

/** The app with `/healthz` (with `health`'s report when given) and one POST route per webhook path. */
export function createHttpApp(webhooks: Map<string, Route>, logger: Logger, health?: HealthCheck): HttpApp {
  const inFlight = new Set<Promise<void>>();
  const app = new Hono();
  app.on(["GET", "HEAD"], "/healthz", async (c) => {
    if (!health) return c.json({ ok: true });
    const report = await health().catch((err: unknown) => ({ ok: false, error: errorSummary(err).message }));
    return c.json(report, report.ok ? 200 : 503);
  });
  for (const [path, route] of webhooks) {
    app.post(
      path,
      async (c, next) => {
        if (!(c.req.header("content-type") ?? "").includes("application/json"))
          return c.json({ ok: false }, 415);
        await next();
      },
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: (c) => {
          // The rest of an oversized body is not read: the connection ends with the answer.
          c.header("connection", "close");
          return c.json({ ok: false }, 413);
        },
      }),
      async (c) => {
        let body: unknown;
        try {
          body = JSON.parse(await c.req.text());
        } catch {
          return c.json({ ok: false }, 400);
        }
        const { status, work } = route({ headers: c.req.header(), body });
        if (work) {
          const p = work()
            .catch((err: unknown) => logger.error({ err: errorSummary(err) }, "lỗi khi xử lý webhook"))
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        return c.json({ ok: status < 300 }, status as ContentfulStatusCode);
      },
    );
    app.all(path, (c) => c.json({ ok: false }, 405));
  }
  app.notFound((c) => c.json({ ok: false }, 404));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  return {
    app,
    server,
    listen: (port, host = "0.0.0.0") =>
      new Promise((resolve) => {
        server.listen(port, host, () => resolve((server.address() as AddressInfo | null)?.port ?? port));
      }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}
