/**
 * Registers tests that need a real PostgreSQL: the server is started once for the file (a temp
 * folder, a loopback port) and stopped after. Without the server binaries the tests are
 * reported as not run, with the reason in their name and on standard error; under CI=true that
 * is a failure instead, so CI cannot pass without running them.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { type PostgresServer, postgresMissing, startPostgres } from "./server.js";

/** `body` registers the tests; `server()` is the running server inside them. */
export function withPostgres(name: string, body: (server: () => PostgresServer) => void): void {
  const missing = postgresMissing();
  if (missing) {
    if (process.env.CI === "true") {
      describe(name, () => {
        it("runs against PostgreSQL 15 (required under CI)", () => {
          throw new Error(`the PostgreSQL suite must run under CI, but ${missing}`);
        });
      });
      return;
    }
    process.stderr.write(`\n⚠ PostgreSQL suite "${name}" NOT RUN: ${missing}\n`);
    describe(name, () => {
      it.skip(`NOT RUN: ${missing}`, () => undefined);
    });
    return;
  }
  describe(name, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error("PostgreSQL did not start");
      return server;
    });
  });
}
