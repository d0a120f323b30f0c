import { expect, it } from "vitest";
import { sha256 } from "../../src/server/web/sign-in.js";
import { openPostgresStorage } from "../../src/storage/postgres/index.js";
import { tempDir } from "../helpers.js";
import { withPostgres } from "../storage/postgres/suite.js";
import { runCli } from "./run-cli.js";

withPostgres("npm run admin-link with DATABASE_URL", (server) => {
  it("keeps the link in PostgreSQL, where the bot's instances look for it", async () => {
    const url = await server().createDatabase();
    const result = await runCli("src/cli/admin-link.ts", [], {
      DATA_DIR: await tempDir(),
      DATABASE_URL: url,
      PUBLIC_URL: "https://bot.example.vn",
    });
    expect(result.code).toBe(0);
    const token = /t=([\w-]+)/.exec(result.stdout)?.[1] ?? "";
    expect(token).not.toBe("");
    const storage = await openPostgresStorage(url, { max: 2 });
    try {
      expect(await storage.webSignIn.peekLink(sha256(token), new Date().toISOString())).toMatch(/^console:/);
    } finally {
      await storage.close();
    }
  });
});
