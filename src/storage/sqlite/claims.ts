/** Update claims on SQLite (table `update_claims`): the first INSERT of an id wins. */
import type { UpdateClaims } from "../ports.js";
import type { Db } from "./database.js";

/** Claims of incoming update ids, so a duplicate delivery is answered once. */
export function createSqliteClaims(db: Db): UpdateClaims {
  const claim = db.prepare(
    "INSERT INTO update_claims (channel, update_id, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const prune = db.prepare("DELETE FROM update_claims WHERE claimed_at < ?");
  return {
    claim: async (channel, id, atMs) => claim.run(channel, id, atMs).changes > 0,
    prune: async (beforeMs) => prune.run(beforeMs).changes,
  };
}
