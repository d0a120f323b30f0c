/**
 * "Is this update mine to answer?" for instances behind one webhook address: the ids seen by
 * this process first (a duplicate delivered to the same instance costs no round trip), then a
 * claim in the database (UpdateClaims), which exactly one instance wins. Claims older than a day
 * are pruned now and then (platforms stop redelivering long before). If the database cannot be
 * reached the update is answered anyway: answering twice is better than not at all.
 */
import { errorSummary, type Logger } from "../logger.js";
import type { UpdateClaims } from "../storage/ports.js";
import { createRecentIds } from "./recent-ids.js";

/** Decides once per update id whether this instance answers it. */
export interface UpdateClaimer {
  /** True when this instance should answer the update `id` of `channel` (undefined id: always). */
  first(channel: string, id: string | number | undefined): Promise<boolean>;
}

const DAY_MS = 24 * 3600_000;

/** Claims through `claims` when given (several instances), else in this process's memory only. */
export function createUpdateClaimer(
  claims?: UpdateClaims,
  logger?: Logger,
  now: () => number = Date.now,
): UpdateClaimer {
  const recent = createRecentIds();
  let pruneAt = 0;
  return {
    async first(channel, id) {
      if (id === undefined) return true;
      if (!recent.firstTime(`${channel}:${id}`)) return false;
      if (!claims) return true;
      try {
        const t = now();
        if (t >= pruneAt) {
          pruneAt = t + 3600_000;
          void claims
            .prune(t - DAY_MS)
            .catch((err: unknown) =>
              logger?.warn({ err: errorSummary(err) }, "không dọn được các cập nhật cũ"),
            );
        }
        return await claims.claim(channel, String(id), t);
      } catch (err) {
        logger?.error({ err: errorSummary(err), channel }, "không ghi nhận được cập nhật, vẫn trả lời");
        return true;
      }
    },
  };
}
