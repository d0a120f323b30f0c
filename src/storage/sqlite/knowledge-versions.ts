/** The documents' version on SQLite (table `knowledge_version`, one row). */
import type { KnowledgeVersions } from "../ports.js";
import type { Db } from "./database.js";

/** The version every process on this database file watches to reload its index. */
export function createSqliteKnowledgeVersions(db: Db): KnowledgeVersions {
  const get = db.prepare("SELECT version, changed_at FROM knowledge_version WHERE id = 1");
  const bump = db.prepare(
    `INSERT INTO knowledge_version (id, version, changed_at) VALUES (1, 1, ?)
     ON CONFLICT (id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at
     RETURNING version`,
  );
  return {
    async current() {
      const row = get.get() as { version: number; changed_at: string } | undefined;
      return row ? { version: row.version, changedAt: row.changed_at } : { version: 0, changedAt: null };
    },
    bump: async (at) => (bump.get(at) as { version: number }).version,
  };
}
