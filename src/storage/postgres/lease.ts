/** Leases on PostgreSQL (table `leases`): taken or renewed in one statement, so two instances never both hold one. */
import type { LeaseStore } from "../ports.js";
import type { Pg } from "./pool.js";

/** A named lease with an expiry (the broadcast worker's). */
export function createPgLease(pg: Pg): LeaseStore {
  return {
    hold: async (name, holder, untilMs, nowMs) =>
      (await pg.run(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at < $4`,
        [name, holder, untilMs, nowMs],
      )) > 0,
    async release(name, holder) {
      await pg.run("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
    },
  };
}
