/**
 * The rebuild lock main.ts shares between the knowledge sync (another instance changed the
 * documents) and the Documents page: two rebuilds never write the index at the same time, and a
 * failed one does not block the next.
 */
import { describe, expect, it } from "vitest";
import { createLock } from "../../../src/server/web/reindex.js";

describe("the rebuild lock", () => {
  it("runs one rebuild at a time, in order, and goes on after one fails", async () => {
    const lock = createLock();
    const events: string[] = [];
    let inside = 0;
    let most = 0;
    const work = (name: string, ms: number, fail = false) =>
      lock(async () => {
        inside += 1;
        most = Math.max(most, inside);
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        inside -= 1;
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([work("sync", 30), work("page", 5, true), work("next", 1)]);
    expect(most).toBe(1);
    expect(events).toEqual(["start sync", "end sync", "start page", "end page", "start next", "end next"]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason)))).toEqual([
      "sync",
      "Error: page failed",
      "next",
    ]);
  });
});
