/** The sliding-window rule both backends' shared rate limits apply (pure). */

/**
 * One take from a key's recent hits: the hits to keep (those inside the window, plus this one
 * when allowed) and 0, or the hits unchanged and the milliseconds until the oldest leaves the window.
 */
export function takeFromWindow(
  hits: readonly number[],
  limit: number,
  windowMs: number,
  nowMs: number,
): { hits: number[]; waitMs: number } {
  const inWindow = hits.filter((t) => t > nowMs - windowMs).sort((a, b) => a - b);
  if (inWindow.length >= limit) {
    return { hits: inWindow, waitMs: Math.max(1, (inWindow[0] ?? nowMs) + windowMs - nowMs) };
  }
  inWindow.push(nowMs);
  return { hits: inWindow, waitMs: 0 };
}
