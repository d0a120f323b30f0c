/** Per-chat sessions on SQLite (table `sessions`, the value as JSON). */
import type { SessionStore } from "../ports.js";
import type { Db } from "./database.js";

export function createSqliteSessions(db: Db, now: () => Date = () => new Date()): SessionStore {
  const get = db.prepare("SELECT data FROM sessions WHERE key = ?");
  const set = db.prepare(
    "INSERT INTO sessions (key, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
  );
  const del = db.prepare("DELETE FROM sessions WHERE key = ?");
  return {
    async get(key) {
      const row = get.get(key) as { data: string } | undefined;
      return row ? (JSON.parse(row.data) as unknown) : undefined;
    },
    async set(key, value) {
      set.run(key, JSON.stringify(value), now().toISOString());
    },
    async delete(key) {
      del.run(key);
    },
  };
}
