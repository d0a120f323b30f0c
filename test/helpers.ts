/** Shared test helpers: temporary folders that clean up after themselves. */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** A fresh temporary folder, removed when the test file finishes. */
export async function tempDir(prefix = "danvan-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The project's shipped knowledge folder. */
export const KNOWLEDGE = new URL("../knowledge/", import.meta.url).pathname;

/** A temporary copy of the shipped knowledge folder, to change without touching the real one. */
export async function copyOfKnowledge(): Promise<string> {
  const dir = await tempDir("danvan-kb-");
  await cp(KNOWLEDGE, dir, { recursive: true });
  return dir;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
