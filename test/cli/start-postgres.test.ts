import { expect, it } from "vitest";
import { createPg } from "../../src/storage/postgres/pool.js";
import { tempDir } from "../helpers.js";
import { withPostgres } from "../storage/postgres/suite.js";
import { runCli } from "./run-cli.js";

withPostgres("npm start with DATABASE_URL", (server) => {
  it("says the schema could not be brought up to date, not that the server is unreachable, naming the step", async () => {
    const url = await server().createDatabase();
    // Another program's table where the bot's would go.
    const pg = createPg(url, { max: 1 });
    await pg.run("CREATE TABLE web_links (id integer)");
    await pg.pool.end();
    const r = await runCli("src/main.ts", [], { DATA_DIR: await tempDir(), DATABASE_URL: url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("không cập nhật được cấu trúc dữ liệu (bước 3)");
    expect(r.stderr).not.toContain("Không kết nối được");
  });
});
