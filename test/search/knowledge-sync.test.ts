import { describe, expect, it } from "vitest";
import { createKnowledgeSync } from "../../src/search/knowledge-sync.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { tempDir } from "../helpers.js";

describe("the documents' version shared by instances", () => {
  it("rebuilds when another process moves the version, once per change, and retries a failed rebuild", async () => {
    const path = `${await tempDir()}/bot.sqlite`;
    const mine = openSqliteStorage(path);
    const other = openSqliteStorage(path);
    const log = memoryLogger();
    let rebuilds = 0;
    let fail = false;
    const sync = createKnowledgeSync({
      versions: mine.knowledge,
      logger: log.logger,
      rebuild: async () => {
        if (fail) throw new Error("embeddings server down");
        rebuilds += 1;
      },
    });
    expect(await sync.check()).toBe(false);
    expect(sync.state()).toMatchObject({ version: 0, error: null });
    await other.knowledge.bump("2026-12-01T01:00:00.000Z");
    expect(await sync.check()).toBe(true);
    expect(await sync.check()).toBe(false);
    expect(rebuilds).toBe(1);
    fail = true;
    await other.knowledge.bump("2026-12-01T02:00:00.000Z");
    expect(await sync.check()).toBe(false);
    expect(sync.state()).toMatchObject({ version: 1, error: "embeddings server down" });
    fail = false;
    expect(await sync.check()).toBe(true);
    expect(sync.state()).toMatchObject({ version: 2, error: null });
    // A change this instance made itself is announced, not rebuilt again.
    expect(await sync.announce()).toBe(3);
    expect(await sync.check()).toBe(false);
    expect(rebuilds).toBe(2);
    await mine.close();
    await other.close();
  });
});
