import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, type HttpApp, MAX_BODY_BYTES, type WebhookRequest } from "../../src/server/app.js";
import { memoryLogger } from "../fakes/memory-logger.js";

let http: HttpApp;
let base: string;
const seen: WebhookRequest[] = [];
let finished = false;

beforeAll(async () => {
  const log = memoryLogger();
  http = createHttpApp(
    new Map([
      [
        "/hook",
        (req: WebhookRequest) => {
          seen.push(req);
          return {
            status: req.headers["x-key"] === "k" ? 200 : 401,
            work: async () => {
              await new Promise((r) => setTimeout(r, 300));
              finished = true;
            },
          };
        },
      ],
    ]),
    log.logger,
  );
  http.app.get("/quantri/ping", (c) => c.text("pong"));
  base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
});

afterAll(async () => {
  await http.close().catch(() => undefined);
});

const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  fetch(`${base}/hook`, { method: "POST", headers, body });

/** A POST without content-length (chunked), so the limit is found while reading. */
function chunkedPost(bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/hook`,
      { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    const chunk = "x".repeat(64 * 1024);
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

describe("the HTTP app", () => {
  it("answers /healthz to GET and HEAD", async () => {
    const get = await fetch(`${base}/healthz`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ ok: true });
    expect((await fetch(`${base}/healthz`, { method: "HEAD" })).status).toBe(200);
  });

  it("gives a webhook its headers and parsed body, and the route's status", async () => {
    const res = await post(JSON.stringify({ a: 1 }), { "content-type": "application/json", "x-key": "k" });
    expect(res.status).toBe(200);
    expect(seen.at(-1)?.body).toEqual({ a: 1 });
    expect((await post("{}")).status).toBe(401);
  });

  it("refuses unknown paths, other methods, other types, bad JSON and oversized bodies", async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/hook`)).status).toBe(405);
    expect((await post("{}", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES) }))).status).toBe(413);
    expect(await chunkedPost(MAX_BODY_BYTES + 100_000)).toBe(413);
  });

  it("serves routes mounted under their own prefix", async () => {
    const res = await fetch(`${base}/quantri/ping`);
    expect(await res.text()).toBe("pong");
  });

  it("waits on close for work a webhook started", async () => {
    finished = false;
    expect((await post("{}", { "content-type": "application/json", "x-key": "k" })).status).toBe(200);
    await http.close();
    expect(finished).toBe(true);
  });
});
