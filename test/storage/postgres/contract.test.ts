import { expect, it } from "vitest";
import { openPostgresStorage } from "../../../src/storage/postgres/index.js";
import { migratePostgres, PG_MIGRATIONS } from "../../../src/storage/postgres/migrations.js";
import { createPg } from "../../../src/storage/postgres/pool.js";
import { storageContract } from "../contract.js";
import { withPostgres } from "./suite.js";

withPostgres("PostgreSQL 15 backend", (server) => {
  // Each test gets a new, empty database on the one server.
  storageContract("PostgreSQL 15", async () =>
    openPostgresStorage(await server().createDatabase(), { max: 4 }),
  );

  it("migrates once when several instances start at the same moment (advisory lock)", async () => {
    const url = await server().createDatabase();
    const pools = Array.from({ length: 5 }, () => createPg(url, { max: 2 }));
    try {
      const applied = await Promise.all(pools.map((p) => migratePostgres(p)));
      expect(applied.flat().sort()).toEqual(PG_MIGRATIONS.map((m) => m.version).sort());
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      const rows = await pools[0]?.rows<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY 1",
      );
      expect(rows?.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      expect(await migratePostgres(pools[1] as never)).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.pool.end()));
    }
  });

  it("says which database it cannot reach, without the password", async () => {
    const port = server().port + 1;
    const err = await openPostgresStorage(`postgres://bot:s3cret-pass@127.0.0.1:${port}/danvan`, {
      connectionTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect((err as Error).message).not.toContain("s3cret-pass");
  });
});
