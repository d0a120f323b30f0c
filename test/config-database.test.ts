import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { databaseLabel } from "../src/storage/open.js";

describe("the database setting", () => {
  it("keeps SQLite without DATABASE_URL, and takes PostgreSQL with its pool settings", () => {
    expect(loadConfig({}, "/srv/bot").postgres).toBeUndefined();
    const c = loadConfig(
      {
        DATABASE_URL: "postgres://bot:pw@db.internal:5432/danvan",
        DATABASE_POOL_SIZE: "20",
        DATABASE_STATEMENT_TIMEOUT_MS: "5000",
      },
      "/srv/bot",
    );
    expect(c.postgres).toEqual({
      url: "postgres://bot:pw@db.internal:5432/danvan",
      poolSize: 20,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 5000,
      idleTimeoutMs: 30000,
    });
    // Logs name the server and database, never the password.
    expect(databaseLabel(c)).toBe("postgres://db.internal:5432/danvan");
    expect(databaseLabel(loadConfig({}, "/srv/bot"))).toBe("/srv/bot/data/bot.sqlite");
  });

  it("stops on a bad value, naming the variable (and not echoing the URL)", () => {
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error("accepted");
    };
    const url = bad({ DATABASE_URL: "mysql://bot:secretpw@db/danvan" });
    expect(url).toBeInstanceOf(ConfigError);
    expect(url.variable).toBe("DATABASE_URL");
    expect(url.message).toContain("postgres://");
    expect(url.message).not.toContain("secretpw");
    expect(bad({ DATABASE_URL: "postgres://db/x", DATABASE_POOL_SIZE: "0" }).variable).toBe(
      "DATABASE_POOL_SIZE",
    );
    expect(bad({ DATABASE_CONNECT_TIMEOUT_MS: "soon" }).variable).toBe("DATABASE_CONNECT_TIMEOUT_MS");
  });
});
