/**
 * The HTTP server for webhooks and health checks (node:http, nothing more is needed): routes by
 * exact path, a body size limit, JSON only, and a tracker of work still running after the
 * response, so a shutdown can wait for it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { errorSummary, type Logger } from "../logger.js";

export interface WebhookRequest {
  headers: IncomingMessage["headers"];
  body: unknown;
}

/** A route answers with a status; `work` (optional) goes on after the response is sent. */
export type Route = (req: WebhookRequest) => { status: number; work?: () => Promise<void> };

export interface HttpServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting requests and waits for work started by earlier ones. */
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 1_000_000;

export function createHttpServer(routes: Map<string, Route>, logger: Logger): HttpServer {
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD"))
      return reply(res, 200, { ok: true });
    const route = routes.get(path);
    if (!route) return reply(res, 404, { ok: false });
    if (req.method !== "POST") return reply(res, 405, { ok: false });
    if (!String(req.headers["content-type"] ?? "").includes("application/json"))
      return reply(res, 415, { ok: false });
    readBody(req).then(
      (raw) => {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return reply(res, 400, { ok: false });
        }
        const { status, work } = route({ headers: req.headers, body });
        reply(res, status, { ok: status < 300 });
        if (work) {
          const p = work()
            .catch((err: unknown) => logger.error({ err: errorSummary(err) }, "lỗi khi xử lý webhook"))
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
      },
      () => {
        res.setHeader("connection", "close");
        reply(res, 413, { ok: false });
        res.on("finish", () => req.destroy());
      },
    );
  });
  return {
    server,
    listen: (port, host = "0.0.0.0") =>
      new Promise((resolve) => {
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        reject(new Error("body too large"));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
