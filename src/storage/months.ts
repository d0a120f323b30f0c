/** Calendar months in Vietnam's time, for per-month counters (quotas) whatever the backend. */

/** The month an instant falls in, in Vietnam's time ("2026-11"). */
export function monthOf(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 7);
}

/** Milliseconds from `d` to the start of the next month, in Vietnam's time. */
export function untilNextMonth(d: Date): number {
  const v = new Date(d.getTime() + 7 * 3600_000);
  const next = Date.UTC(v.getUTCFullYear(), v.getUTCMonth() + 1, 1) - 7 * 3600_000;
  return next - d.getTime();
}
