import { describe, expect, it } from "vitest";
import { runCli } from "./cli/run-cli.js";
import { freePort, tempDir } from "./helpers.js";

describe("start-up with DATABASE_URL", () => {
  it("stops with a message naming DATABASE_URL and the server (not the password) when PostgreSQL cannot be reached", async () => {
    const port = await freePort();
    const r = await runCli("src/main.ts", [], {
      DATA_DIR: await tempDir(),
      DATABASE_URL: `postgres://bot:s3cret-pw@127.0.0.1:${port}/danvan`,
      DATABASE_CONNECT_TIMEOUT_MS: "1000",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DATABASE_URL");
    expect(r.stderr).toContain(`postgres://127.0.0.1:${port}/danvan`);
    expect(r.stderr).toContain("ECONNREFUSED");
    expect(r.stderr).not.toContain("s3cret-pw");
  });
});
