/**
 * The ids of the last updates seen (bounded: the oldest are forgotten first), so an update a
 * platform delivers twice (a webhook retried, a poll repeated) is answered once.
 */

export interface RecentIds {
  /** True the first time `id` is seen (and remembers it); an undefined id is always new. */
  firstTime(id: string | number | undefined): boolean;
}

export function createRecentIds(max = 10_000): RecentIds {
  const seen = new Set<string>();
  return {
    firstTime(id) {
      if (id === undefined) return true;
      const key = String(id);
      if (seen.has(key)) return false;
      seen.add(key);
      // A Set iterates in insertion order: its first element is the oldest.
      if (seen.size > max) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
}
