import { afterEach, describe, expect, it } from "vitest";
import { createHttpApp, type HttpApp } from "../../src/server/app.js";
import { createHealthCheck } from "../../src/server/health.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";

const apps: HttpApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function serve(database: () => Promise<{ backend: string }>, timeoutMs?: number) {
  const http = createHttpApp(
    new Map(),
    memoryLogger().logger,
    createHealthCheck({
      instance: "may-1:42",
      database,
      index: () => ({ documents: 7, passages: 1132 }),
      knowledge: () => ({ version: 3, checkedAt: "2026-12-01T01:00:00.000Z", error: null }),
      timeoutMs,
    }),
  );
  apps.push(http);
  const port = await http.listen(0, "127.0.0.1");
  return fetch(`http://127.0.0.1:${port}/healthz`);
}

describe("/healthz with several instances", () => {
  it("reports the instance, the database round trip, the index and the documents' version", async () => {
    const storage = openSqliteStorage(":memory:");
    const res = await serve(() => storage.ping());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      instance: "may-1:42",
      database: { ok: true, backend: "sqlite" },
      index: { documents: 7, passages: 1132 },
      knowledge: { version: 3, error: null },
    });
    expect(typeof (body.database as { ms: unknown }).ms).toBe("number");
    await storage.close();
  });

  it("answers 503 when the database fails or does not answer in time, so a proxy stops sending", async () => {
    const closed = openSqliteStorage(":memory:");
    await closed.close();
    const failed = await serve(() => closed.ping());
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({
      ok: false,
      database: { ok: false },
      index: { passages: 1132 },
    });
    const hung = await serve(() => new Promise(() => undefined), 100);
    expect(hung.status).toBe(503);
    expect(await hung.json()).toMatchObject({ database: { ok: false, error: "no answer within 100 ms" } });
  });
});
