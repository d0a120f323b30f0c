/**
 * The reference of ../shared/eval/alqac/README.md, rebuilt here to run side by side in the same
 * benchmark: BM25 (k1 1.2, b 0.75) over NFC-lower-cased syllable unigrams + bigrams, plus a
 * diacritic-folded copy of both, one unit per article. Deliberately independent of src/.
 */
export class ReferenceBm25 {
  private readonly postings = new Map<string, [number, number][]>();
  private readonly lengths: number[] = [];
  private avg = 0;

  constructor(texts: readonly string[]) {
    texts.forEach((t, i) => {
      const terms = tokens(t);
      this.lengths.push(terms.length);
      const tf = new Map<string, number>();
      for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
      for (const [term, n] of tf) {
        const p = this.postings.get(term);
        if (p) p.push([i, n]);
        else this.postings.set(term, [[i, n]]);
      }
    });
    this.avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  search(query: string, k = 10): number[] {
    const scores = new Map<number, number>();
    const n = this.lengths.length;
    for (const term of new Set(tokens(query))) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.length + 0.5) / (p.length + 0.5));
      for (const [doc, tf] of p) {
        const norm = 1.2 * (1 - 0.75 + (0.75 * (this.lengths[doc] ?? 0)) / this.avg);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * 2.2) / (tf + norm));
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([d]) => d);
  }
}

function strip(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .normalize("NFC");
}

function tokens(text: string): string[] {
  const syl =
    text
      .normalize("NFC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const out: string[] = [];
  for (const variant of [syl, syl.map(strip)]) {
    const tag = variant === syl ? "" : "~";
    for (let i = 0; i < variant.length; i++) {
      out.push(tag + variant[i]);
      if (i + 1 < variant.length) out.push(`${tag}${variant[i]} ${variant[i + 1]}`);
    }
  }
  return out;
}
