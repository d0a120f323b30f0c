/** Update claims on PostgreSQL (table `update_claims`): the first INSERT of an id wins, whichever instance makes it. */
import type { UpdateClaims } from "../ports.js";
import type { Pg } from "./pool.js";

/** Claims of incoming update ids, so an update delivered to two instances is answered once. */
export function createPgClaims(pg: Pg): UpdateClaims {
  return {
    claim: async (channel, id, atMs) =>
      (await pg.run(
        "INSERT INTO update_claims (channel, update_id, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [channel, id, atMs],
      )) > 0,
    prune: (beforeMs) => pg.run("DELETE FROM update_claims WHERE claimed_at < $1", [beforeMs]),
  };
}
