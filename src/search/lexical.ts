/**
 * A BM25 index over three fields of each passage: its text; its headings (document title and
 * enclosing section titles), weighted lower but present so "công tác dân vận của cơ quan Nhà nước"
 * finds the bullets under that heading; and the everyday wording of its official terms (from the
 * lexicon, without the words the passage says itself), weighted lower again. Terms come from
 * `terms.ts`.
 */
import { documentTerms, type QueryTerms, queryTerms, type TermType } from "./terms.js";

export interface Bm25Params {
  k1: number;
  b: number;
  /** Weight of each term type in a query. */
  typeWeight: Record<TermType, number>;
  /** Weight of the headings field relative to the text. */
  headingWeight: number;
  /** Weight of question words and particles ("là gì", "có được không") in a question. */
  stopwordWeight: number;
  /** Weight of the lexicon's official wording added to a question (0: lexicon off). */
  expansionWeight: number;
  /**
   * Weight of the third field, the everyday wording of the unit's official terms (the lexicon
   * read backwards, see `everydayFor`); 0 turns it off.
   */
  aliasWeight: number;
}

export const DEFAULT_PARAMS: Bm25Params = {
  k1: 1.2,
  b: 0.75,
  typeWeight: { w: 1, f: 1, W: 0.5, F: 0.5, "#": 2 },
  headingWeight: 0.3,
  stopwordWeight: 0.5,
  expansionWeight: 0.5,
  aliasWeight: 0.5,
};

/** What the index stores about each unit it ranks. */
export interface LexicalUnit {
  text: string;
  headings: string;
  /** Everyday expressions for the unit's official terms (from the lexicon), a third field. */
  aliases?: readonly string[];
}

interface Field {
  /** term → [unit, tf, unit, tf, …] */
  postings: Map<string, number[]>;
  lengths: Float64Array;
  avgLength: number;
}

/** A ranked unit with its BM25 score. */
export interface LexicalHit {
  unit: number;
  score: number;
}

/** How much of a question's topic a unit covers, by IDF weight (0..1). */
export interface Coverage {
  coverage: number;
  /** True when the unit shares a phrase with the question (see `coverage()`). */
  phrase: boolean;
}

/** Serialised form, stable JSON. */
export interface LexicalIndexData {
  version: 1;
  count: number;
  fields: { postings: [string, number[]][]; lengths: number[] }[];
}

export class LexicalIndex {
  private constructor(
    readonly count: number,
    private readonly fields: [Field, Field, Field],
    public params: Bm25Params,
  ) {}

  /** Builds the index; `onProgress` is called every 1,000 units for large corpora. */
  static build(
    units: readonly LexicalUnit[],
    params = DEFAULT_PARAMS,
    onProgress?: (done: number) => void,
  ): LexicalIndex {
    const text = emptyField(units.length);
    const heads = emptyField(units.length);
    const aliases = emptyField(units.length);
    const headCache = new Map<string, string[]>();
    units.forEach((u, i) => {
      const own = documentTerms(u.text);
      addTerms(text, i, own);
      let h = headCache.get(u.headings);
      if (!h) {
        h = documentTerms(u.headings);
        headCache.set(u.headings, h);
      }
      addTerms(heads, i, h);
      if (u.aliases && u.aliases.length > 0) {
        // The everyday field speaks only for words the unit does not say itself: a question in
        // the documents' own wording is ranked as without it.
        const said = new Set([...own, ...h]);
        addTerms(
          aliases,
          i,
          // Each expression on its own: no word pairs across two expressions.
          u.aliases.flatMap((x) => documentTerms(x)).filter((t) => !said.has(t)),
        );
      }
      if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
    });
    finish(text);
    finish(heads);
    finish(aliases);
    return new LexicalIndex(units.length, [text, heads, aliases], params);
  }

  static fromJSON(data: LexicalIndexData, params = DEFAULT_PARAMS): LexicalIndex {
    // An index saved before the everyday field (two fields) still loads, so that its manifest can
    // say why it must be rebuilt.
    if (data.version !== 1 || data.fields.length < 2 || data.fields.length > 3)
      throw new Error("unsupported lexical index format");
    const saved =
      data.fields.length === 3
        ? data.fields
        : [...data.fields, { postings: [], lengths: new Array<number>(data.count).fill(0) }];
    const fields = saved.map((f) => {
      const lengths = Float64Array.from(f.lengths);
      if (lengths.length !== data.count) throw new Error("lexical index lengths do not match its unit count");
      const field: Field = { postings: new Map(f.postings), lengths, avgLength: 0 };
      finish(field);
      return field;
    }) as [Field, Field, Field];
    return new LexicalIndex(data.count, fields, params);
  }

  toJSON(): LexicalIndexData {
    return {
      version: 1,
      count: this.count,
      fields: this.fields.map((f) => ({ postings: [...f.postings], lengths: [...f.lengths] })),
    };
  }

  /** Inverse document frequency of a term in the text or headings (unknown: the rarest there is). */
  idf(term: string): number {
    const p = this.fields[0].postings.get(term) ?? this.fields[1].postings.get(term);
    const df = p ? p.length / 2 : 0;
    return Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
  }

  /** Scores every unit for a question and returns the best `k`, best first. */
  search(question: string, k = 10): { hits: LexicalHit[]; coverage: (unit: number) => Coverage } {
    const q = queryTerms(question, this.params.stopwordWeight, this.params.expansionWeight);
    const scores = new Float64Array(this.count);
    const { k1, b, typeWeight, headingWeight } = this.params;
    this.fields.forEach((field, fi) => {
      const fieldWeight = fi === 0 ? 1 : fi === 1 ? headingWeight : this.params.aliasWeight;
      if (fieldWeight === 0) return;
      for (const term of q.terms) {
        const postings = field.postings.get(term);
        if (!postings) continue;
        // Rarity is the documents' own, in every field: an everyday word no document uses ("quỵt")
        // is strong evidence for the passages whose everyday field holds it. (Measured against the
        // field's own document frequency, which did worse on the dev questions.)
        const idf = this.idf(term);
        const w = fieldWeight * typeWeight[term[0] as TermType] * (q.weights.get(term) ?? 1) * idf;
        if (w === 0) continue;
        for (let i = 0; i < postings.length; i += 2) {
          const unit = postings[i] as number;
          const tf = postings[i + 1] as number;
          const norm = k1 * (1 - b + (b * (field.lengths[unit] ?? 0)) / (field.avgLength || 1));
          scores[unit] = (scores[unit] ?? 0) + (w * (tf * (k1 + 1))) / (tf + norm);
        }
      }
    });
    const hits = topK(scores, k);
    const coverage = (unit: number): Coverage => this.coverage(q, unit);
    return { hits, coverage };
  }

  private coverage(q: QueryTerms, unit: number): Coverage {
    let total = 0;
    let matched = 0;
    // The everyday field does not count: a question is covered by what the passage itself says.
    const inUnit = (term: string) =>
      this.fields.some((f, fi) => fi < 2 && hasUnit(f.postings.get(term), unit));
    for (const term of q.content) {
      const w = this.idf(term) * (q.contentWeight.get(term) ?? 1);
      total += w;
      if (inUnit(term)) matched += w;
    }
    for (const g of q.groups) {
      // An everyday expression weighs what its own words would have weighed.
      const w = g.factor * g.weightOf.reduce((sum, t) => sum + this.idf(t), 0);
      total += w;
      // Covered by its official wording, or by its own words when the passage says them too.
      if (g.alternatives.some((alt) => alt.length > 0 && alt.every(inUnit)) || g.weightOf.every(inUnit))
        matched += w;
    }
    // A phrase in common: two topic words side by side, an everyday expression's official wording,
    // or a document number. Scattered common words alone say the question is about something else.
    const phrase =
      q.phrases.some(inUnit) ||
      q.content.some((t) => t.startsWith("#") && inUnit(t)) ||
      q.groups.some((g) => g.alternatives.some((alt) => alt.length > 1 && alt.every(inUnit)));
    return { coverage: total === 0 ? 0 : matched / total, phrase };
  }
}

function emptyField(n: number): Field {
  return { postings: new Map(), lengths: new Float64Array(n), avgLength: 0 };
}

function addTerms(field: Field, unit: number, terms: string[]): void {
  const tf = new Map<string, number>();
  let length = 0;
  for (const t of terms) {
    tf.set(t, (tf.get(t) ?? 0) + 1);
    // Length counts syllables (folded unigrams), not every derived term.
    if (t[0] === "f") length += 1;
  }
  field.lengths[unit] = length;
  for (const [t, n] of tf) {
    let p = field.postings.get(t);
    if (!p) {
      p = [];
      field.postings.set(t, p);
    }
    p.push(unit, n);
  }
}

function finish(field: Field): void {
  let sum = 0;
  for (const l of field.lengths) sum += l;
  field.avgLength = field.lengths.length > 0 ? sum / field.lengths.length : 0;
}

function hasUnit(postings: number[] | undefined, unit: number): boolean {
  if (!postings) return false;
  // Postings are in unit order: binary search over the even positions.
  let lo = 0;
  let hi = postings.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = postings[mid * 2] as number;
    if (u === unit) return true;
    if (u < unit) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The `k` best-scoring units with a positive score, best first (ties by unit order). */
export function topK(scores: Float64Array, k: number): LexicalHit[] {
  const hits: LexicalHit[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (s <= 0) continue;
    if (hits.length < k) {
      hits.push({ unit: i, score: s });
      if (hits.length === k) hits.sort((a, b) => b.score - a.score || a.unit - b.unit);
    } else if (s > (hits[k - 1] as LexicalHit).score) {
      hits[k - 1] = { unit: i, score: s };
      for (let j = k - 1; j > 0 && (hits[j] as LexicalHit).score > (hits[j - 1] as LexicalHit).score; j--) {
        const tmp = hits[j - 1] as LexicalHit;
        hits[j - 1] = hits[j] as LexicalHit;
        hits[j] = tmp;
      }
    }
  }
  hits.sort((a, b) => b.score - a.score || a.unit - b.unit);
  return hits;
}
