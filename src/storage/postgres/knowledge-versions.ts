/** The documents' version on PostgreSQL (table `knowledge_version`, one row), watched by every instance. */
import type { KnowledgeVersions } from "../ports.js";
import { iso, type Pg } from "./pool.js";

/** The version an instance polls to notice a change of the documents made through another one. */
export function createPgKnowledgeVersions(pg: Pg): KnowledgeVersions {
  return {
    async current() {
      const row = await pg.one<{ version: number; changed_at: Date }>(
        "SELECT version, changed_at FROM knowledge_version WHERE id = 1",
      );
      return row ? { version: row.version, changedAt: iso(row.changed_at) } : { version: 0, changedAt: null };
    },
    bump: async (at) =>
      (
        (await pg.one<{ version: number }>(
          `INSERT INTO knowledge_version (id, version, changed_at) VALUES (1, 1, $1)
           ON CONFLICT (id) DO UPDATE SET version = knowledge_version.version + 1, changed_at = excluded.changed_at
           RETURNING version`,
          [at],
        )) as { version: number }
      ).version,
  };
}
