import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256 } from "../../src/server/web/sign-in.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { tempDir } from "../helpers.js";
import { runCli } from "./run-cli.js";

describe("npm run admin-link", () => {
  it("prints a one-time sign-in link for the operator, or for a named administrator", async () => {
    const dataDir = await tempDir();
    const env = {
      DATA_DIR: dataDir,
      PUBLIC_URL: "https://bot.example.vn",
      TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
      TELEGRAM_ADMIN_IDS: "1001",
    };
    const operator = await runCli("src/cli/admin-link.ts", [], env);
    expect(operator.code).toBe(0);
    const token = /https:\/\/bot\.example\.vn\/quantri\/vao\?t=([\w-]+)/.exec(operator.stdout)?.[1] ?? "";
    expect(token).not.toBe("");
    expect(operator.stdout).toContain("hết hạn sau 10 phút");
    const named = await runCli("src/cli/admin-link.ts", ["--admin", "telegram:1001"], env);
    expect(named.code).toBe(0);
    const other = /t=([\w-]+)/.exec(named.stdout)?.[1] ?? "";
    const storage = openSqliteStorage(join(dataDir, "bot.sqlite"));
    const at = new Date().toISOString();
    expect(await storage.webSignIn.peekLink(sha256(token), at)).toMatch(/^console:/);
    expect(await storage.webSignIn.peekLink(sha256(other), at)).toBe("telegram:1001");
    expect((await storage.audit.recent(5)).map((e) => e.action)).toEqual(["sign-in-link", "sign-in-link"]);
    await storage.close();
  });

  it("says PUBLIC_URL is missing, and refuses someone who is not an administrator", async () => {
    const dataDir = await tempDir();
    const off = await runCli("src/cli/admin-link.ts", [], { DATA_DIR: dataDir });
    expect(off.code).toBe(2);
    expect(off.stderr).toContain("PUBLIC_URL");
    expect(off.stdout).toBe("");
    const bad = await runCli("src/cli/admin-link.ts", [], {
      DATA_DIR: dataDir,
      PUBLIC_URL: "bot.example.vn",
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("PUBLIC_URL");
    const stranger = await runCli("src/cli/admin-link.ts", ["--admin", "telegram:666"], {
      DATA_DIR: dataDir,
      PUBLIC_URL: "https://bot.example.vn",
      TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
      TELEGRAM_ADMIN_IDS: "1001",
    });
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain("telegram:666 không phải quản trị viên");
    expect(stranger.stdout).toBe("");
  });
});
