/**
 * A real PostgreSQL 15 for the tests and benchmarks, started in a temporary folder: `initdb`
 * (trust authentication, UTF-8) and `pg_ctl` on a loopback port, with its socket in the same
 * folder, stopped and removed afterwards. initdb refuses to run as root, so under root (CI, this
 * machine) the server runs as the `postgres` system user on a folder given to it. When the
 * binaries are not installed, `findPostgres` says why, so the suite can report that it did not
 * run (or fail, under CI=true).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Where Debian's postgresql-15 puts the server binaries (PG_BIN overrides). */
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A new, empty database on this server; its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Why PostgreSQL cannot be started here, or undefined when it can. */
export function postgresMissing(): string | undefined {
  for (const b of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(PG_BIN, b)))
      return `${join(PG_BIN, b)} not found (install postgresql-15, or set PG_BIN)`;
  }
  if (process.getuid?.() === 0 && runAs() === undefined)
    return "running as root and there is no `postgres` system user to run the server as";
  return undefined;
}

/** The uid/gid of the `postgres` user when we are root (initdb refuses root), else undefined. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(PG_BIN, bin), args, {
      stdio: ["ignore", "pipe", "pipe"],
      // Only what the server needs: a clean locale, no inherited PG* settings.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
      ...(user ?? {}),
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${bin} exited with ${code}: ${out.slice(-2000)}`)),
    );
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Starts a PostgreSQL server in a fresh temporary folder. `settings` are extra server settings
 * (e.g. `{ max_connections: "300" }`). Durability is turned off: these are throw-away test servers.
 */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PostgresServer> {
  const missing = postgresMissing();
  if (missing) throw new Error(`cannot start PostgreSQL: ${missing}`);
  const user = runAs();
  const dir = await mkdtemp(join(tmpdir(), "danvan-pg-"));
  if (user) {
    await chown(dir, user.uid, user.gid);
    await chmod(dir, 0o700);
  }
  const data = join(dir, "data");
  await run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], user);
  const port = await freePort();
  const options = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: dir,
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: "200",
    ...settings,
  };
  const o = Object.entries(options)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  await run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", o, "-w", "-t", "60", "start"], user);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++n}_${Math.random().toString(36).slice(2, 7)}`) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], user).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
