/**
 * The PostgreSQL connection pool (node-postgres) and the few helpers every adapter in this
 * folder uses: one query, one row, a transaction on one client. Errors of the driver are
 * translated where they enter into `DatabaseError` (the statement's purpose, the SQLSTATE code,
 * the cause), never with the parameters (they may hold users' messages).
 */
import pg from "pg";

/** Pool size and timeouts (DATABASE_POOL_SIZE, DATABASE_*_TIMEOUT_MS). */
export interface PoolOptions {
  /** Connections per instance (PostgreSQL's max_connections must cover every instance's). */
  max: number;
  /** Longest wait for a connection, new or from the pool. */
  connectionTimeoutMs: number;
  /** An idle connection is closed after this long. */
  idleTimeoutMs: number;
  /** A statement running longer than this is cancelled by the server. */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  max: 10,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  statementTimeoutMs: 15_000,
};

/** A database operation that failed; `code` is PostgreSQL's SQLSTATE when the server gave one. */
export class DatabaseError extends Error {
  constructor(
    readonly operation: string,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(
      `PostgreSQL: ${operation} failed${code ? ` (${code})` : ""}: ${(options.cause as Error)?.message ?? String(options.cause)}`,
      options,
    );
    this.name = "DatabaseError";
  }
}

/** Something that runs queries: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** The pool and its helpers, shared by every port adapter. */
export interface Pg {
  pool: pg.Pool;
  /** Rows of one statement. */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[], on?: Queryable): Promise<T[]>;
  /** The first row, or undefined. */
  one<T = Record<string, unknown>>(sql: string, params?: unknown[], on?: Queryable): Promise<T | undefined>;
  /** Rows changed by one statement. */
  run(sql: string, params?: unknown[], on?: Queryable): Promise<number>;
  /** `work` inside BEGIN … COMMIT on one client (ROLLBACK when it throws). */
  tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T>;
}

// bigint (count(*), bigserial ids, millisecond times) and numeric (sum) as JS numbers: every
// value this bot keeps fits well within 2^53.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);
types.setTypeParser(pg.types.builtins.NUMERIC, Number);

/** A pool on `url` (postgres://…) with the given options; no connection is made until first use. */
export function createPg(url: string, options: Partial<PoolOptions> = {}): Pg {
  const o = { ...DEFAULT_POOL_OPTIONS, ...options };
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max,
    connectionTimeoutMillis: o.connectionTimeoutMs,
    idleTimeoutMillis: o.idleTimeoutMs,
    statement_timeout: o.statementTimeoutMs,
    application_name: "danvan-bot",
    types,
  });
  // An idle client that loses its server (a restart, a failover) must not crash the process;
  // the next query gets a new connection.
  pool.on("error", () => undefined);
  const wrap = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DatabaseError) throw err;
      throw new DatabaseError(operationOf(sql), (err as { code?: string }).code, { cause: err });
    }
  };
  const query = (sql: string, params: unknown[] | undefined, on: Queryable = pool) =>
    wrap(sql, () => on.query(sql, params));
  return {
    pool,
    rows: async <T>(sql: string, params?: unknown[], on?: Queryable) =>
      (await query(sql, params, on)).rows as T[],
    one: async <T>(sql: string, params?: unknown[], on?: Queryable) =>
      (await query(sql, params, on)).rows[0] as T | undefined,
    run: async (sql, params, on) => (await query(sql, params, on)).rowCount ?? 0,
    async tx(work) {
      const client = await wrap("BEGIN", () => pool.connect());
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (err instanceof DatabaseError) throw err;
        throw new DatabaseError("transaction", (err as { code?: string }).code, { cause: err });
      } finally {
        client.release();
      }
    },
  };
}

/** "INSERT INTO questions" → what is reported in errors (never the parameters). */
function operationOf(sql: string): string {
  return sql.replace(/\s+/g, " ").trim().slice(0, 60);
}

/** ISO time of a timestamptz value (or null). */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
