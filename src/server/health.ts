/**
 * The report `/healthz` gives: this instance, a round trip to the database (bounded in time),
 * the index it answers from and, with several instances, the documents' version it has caught
 * up with. Healthy means the database answers (an instance always has an index loaded); a
 * reverse proxy or an orchestrator reads the status code (200 or 503), an operator the JSON.
 */
import type { HealthCheck } from "./app.js";

export interface HealthDeps {
  /** An id of this process (host and pid), to tell the instances apart behind a proxy. */
  instance: string;
  /** A round trip to the database; resolves with the backend's name, throws when unreachable. */
  database: () => Promise<{ backend: string }>;
  /** The index in use. */
  index: () => { version?: string; documents: number; passages: number; builtAt?: string };
  /** The documents' version caught up with, when instances share them. */
  knowledge?: () => { version: number | undefined; checkedAt: string | null; error: string | null };
  /** Whether this instance runs a broadcast worker, and holds the lease (sends) right now. */
  worker?: () => { running: boolean; holdsLease: boolean };
  /** Longest wait for the database (default 2 s). */
  timeoutMs?: number;
}

/** The health check over these parts. */
export function createHealthCheck(deps: HealthDeps): HealthCheck {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return async () => {
    const t0 = performance.now();
    let database: Record<string, unknown>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const { backend } = await Promise.race([
        deps.database(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      database = { ok: true, backend, ms: Math.round((performance.now() - t0) * 10) / 10 };
    } catch (err) {
      database = { ok: false, error: (err as Error).message.slice(0, 200) };
    } finally {
      clearTimeout(timer);
    }
    const index = deps.index();
    const knowledge = deps.knowledge?.();
    return {
      ok: database.ok === true,
      instance: deps.instance,
      database,
      index,
      ...(knowledge ? { knowledge } : {}),
      ...(deps.worker ? { worker: deps.worker() } : {}),
    };
  };
}
