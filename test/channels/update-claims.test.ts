import { describe, expect, it } from "vitest";
import { createUpdateClaimer } from "../../src/channels/update-claims.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { tempDir } from "../helpers.js";

describe("which instance answers an update", () => {
  it("lets one of two processes on the same database answer each update", async () => {
    const path = `${await tempDir()}/bot.sqlite`;
    const [a, b] = [openSqliteStorage(path), openSqliteStorage(path)];
    const log = memoryLogger().logger;
    const ca = createUpdateClaimer(a.claims, log);
    const cb = createUpdateClaimer(b.claims, log);
    const wins = await Promise.all(
      Array.from({ length: 50 }, (_, i) => [ca.first("telegram", i), cb.first("telegram", i)]).flat(),
    );
    expect(wins.filter(Boolean)).toHaveLength(50);
    // The same id on another channel is another update; no id at all is always answered.
    expect(await ca.first("zalo", 1)).toBe(true);
    expect(await ca.first("zalo", undefined)).toBe(true);
    expect(await cb.first("zalo", undefined)).toBe(true);
    await a.close();
    await b.close();
  });

  it("answers when the database cannot be reached, and says so in the log", async () => {
    const s = openSqliteStorage(":memory:");
    await s.close();
    const log = memoryLogger();
    const claimer = createUpdateClaimer(s.claims, log.logger);
    expect(await claimer.first("telegram", 7)).toBe(true);
    // A duplicate delivered to this same process is still caught in memory.
    expect(await claimer.first("telegram", 7)).toBe(false);
    expect(log.lines().some((l) => l.level === 50)).toBe(true);
  });
});
