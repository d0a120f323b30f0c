/** Leases on SQLite (table `leases`): taken or renewed in one statement, so two processes never both hold one. */
import type { LeaseStore } from "../ports.js";
import type { Db } from "./database.js";

export function createSqliteLease(db: Db): LeaseStore {
  const hold = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
     ON CONFLICT (name) DO UPDATE SET holder = @holder, expires_at = @expires
     WHERE leases.holder = @holder OR leases.expires_at < @now`,
  );
  const release = db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?");
  return {
    async hold(name, holder, untilMs, nowMs) {
      return hold.run({ name, holder, expires: untilMs, now: nowMs }).changes > 0;
    },
    async release(name, holder) {
      release.run(name, holder);
    },
  };
}
