/** Per-chat sessions on PostgreSQL (table `sessions`, the value as jsonb), shared by every instance. */
import type { SessionStore } from "../ports.js";
import type { Pg } from "./pool.js";

/** The conversation of each chat, whichever instance answers its next message. */
export function createPgSessions(pg: Pg, now: () => Date = () => new Date()): SessionStore {
  return {
    get: async (key) =>
      (await pg.one<{ data: unknown }>("SELECT data FROM sessions WHERE key = $1", [key]))?.data,
    async set(key, value) {
      await pg.run(
        "INSERT INTO sessions (key, data, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        [key, JSON.stringify(value), now()],
      );
    },
    async delete(key) {
      await pg.run("DELETE FROM sessions WHERE key = $1", [key]);
    },
  };
}
