import { describe, expect, it } from "vitest";
import { createSharedRateLimiter } from "../../src/bot/rate-limit.js";
import type { RateLimitStore } from "../../src/storage/ports.js";

describe("the rate limit shared through the database", () => {
  it("falls back to this process's limit when the database fails, and says so once a minute, not per question", async () => {
    let t = 0;
    const down: RateLimitStore = {
      take: async () => {
        throw new Error("connection refused");
      },
      prune: async () => 0,
    };
    const heard: number[] = [];
    const limiter = createSharedRateLimiter(
      down,
      2,
      60_000,
      () => t,
      (_err, failures) => heard.push(failures),
    );
    expect(await limiter.take("telegram:1")).toBe(0);
    expect(await limiter.take("telegram:1")).toBe(0);
    // The third question in the minute is limited by the local fallback.
    expect(await limiter.take("telegram:1")).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) await limiter.take(`telegram:${i + 2}`);
    expect(heard).toEqual([1]);
    t = 61_000;
    await limiter.take("telegram:1");
    expect(heard).toEqual([1, 53]);
  });
});
