/**
 * Chooses the storage backend from the configuration: PostgreSQL when DATABASE_URL is set
 * (several instances share it), else the SQLite file under DATA_DIR (one instance, the default).
 * Only `main.ts` and the command-line tools call this.
 */
import type { Config } from "../config.js";
import type { Storage } from "./ports.js";
import { openPostgresStorage } from "./postgres/index.js";
import { openSqliteStorage } from "./sqlite/index.js";

/** The configured backend, opened and migrated. */
export async function openStorage(config: Pick<Config, "databasePath" | "postgres">): Promise<Storage> {
  const p = config.postgres;
  if (!p) return openSqliteStorage(config.databasePath);
  return openPostgresStorage(p.url, {
    max: p.poolSize,
    connectionTimeoutMs: p.connectTimeoutMs,
    statementTimeoutMs: p.statementTimeoutMs,
    idleTimeoutMs: p.idleTimeoutMs,
  });
}

/** The database as logs may name it: the file, or the PostgreSQL host and database without credentials. */
export function databaseLabel(config: Pick<Config, "databasePath" | "postgres">): string {
  if (!config.postgres) return config.databasePath;
  try {
    const u = new URL(config.postgres.url);
    return `postgres://${u.host}${u.pathname}`;
  } catch {
    return "postgres";
  }
}
