/** Retrieval metrics over ranked lists of ids. */

export interface RankedQuery {
  ranked: readonly string[];
  gold: readonly string[];
}

export interface RetrievalMetrics {
  queries: number;
  r1: number;
  r5: number;
  r10: number;
  mrr10: number;
}

/**
 * R@k counts a query as found when any gold id is in its top k (the convention of the ALQAC
 * reference figures, where most questions have one gold article); MRR@10 uses the first gold hit.
 */
export function retrievalMetrics(results: readonly RankedQuery[]): RetrievalMetrics {
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  let mrr = 0;
  for (const { ranked, gold } of results) {
    const goldSet = new Set(gold);
    const rank = ranked.slice(0, 10).findIndex((id) => goldSet.has(id));
    if (rank < 0) continue;
    if (rank < 1) r1++;
    if (rank < 5) r5++;
    r10++;
    mrr += 1 / (rank + 1);
  }
  const n = results.length || 1;
  return { queries: results.length, r1: r1 / n, r5: r5 / n, r10: r10 / n, mrr10: mrr / n };
}

/** Percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
