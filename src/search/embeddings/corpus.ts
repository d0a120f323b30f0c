/**
 * The default embedder: learned from the indexed corpus itself at ingest, so it works offline with
 * nothing downloaded.
 *
 * Reflective random indexing: every passage gets a sparse random signature; a word's vector is the
 * sum of the signatures of the passages it occurs in (TF-IDF weighted), so words used in the same
 * passages ("ly hôn", "tài sản chung", "chia") end up close even when a question and a passage
 * share none of them. A text's vector is the weighted sum of its words' vectors. Hashed character
 * trigrams of the folded words are added for spelling slips, and questions are first expanded
 * with the everyday-to-official lexicon (data/synonyms.json).
 */
import { createHash } from "node:crypto";
import { Embeddings } from "@langchain/core/embeddings";
import { analyze, isStopword } from "../../text/analyze.js";
import { officialWording } from "../../text/lexicon.js";

export interface CorpusEmbedderOptions {
  dimensions: number;
  /** Non-zero entries of each passage signature. */
  signatureSize: number;
  /** Most features (folded words and word pairs) kept, by document frequency. */
  maxFeatures: number;
  /** Weight of the hashed character trigrams relative to the learned word vectors. */
  charWeight: number;
  /** Weight of the lexicon's official wording added to a question. */
  lexiconWeight: number;
  seed: number;
}

export const DEFAULT_CORPUS_OPTIONS: CorpusEmbedderOptions = {
  dimensions: 256,
  signatureSize: 2,
  maxFeatures: 120_000,
  charWeight: 0.15,
  lexiconWeight: 0.7,
  seed: 20_191,
};

export interface CorpusModelData {
  version: 1;
  options: CorpusEmbedderOptions;
  features: string[];
  idf: number[];
  /** Feature vectors, row-major Float32, base64. */
  vectors: string;
}

/** Folded words (no question words) and folded word pairs, with counts. */
export function features(text: string): Map<string, number> {
  const a = analyze(text, { chat: true });
  const out = new Map<string, number>();
  const s = a.syllables;
  for (let i = 0; i < s.length; i++) {
    const cur = s[i];
    if (!cur) continue;
    const stop = isStopword(cur, false);
    if (!stop) out.set(cur.folded, (out.get(cur.folded) ?? 0) + 1);
    const next = s[i + 1];
    if (next && !(stop && isStopword(next, false))) {
      const pair = `${cur.folded} ${next.folded}`;
      out.set(pair, (out.get(pair) ?? 0) + 1);
    }
  }
  for (const n of a.docNumbers) out.set(n, (out.get(n) ?? 0) + 1);
  return out;
}

export class CorpusEmbeddings extends Embeddings {
  private readonly index = new Map<string, number>();

  private constructor(
    readonly options: CorpusEmbedderOptions,
    private readonly featureList: string[],
    private readonly idf: Float32Array,
    private readonly vectors: Float32Array,
  ) {
    super({});
    featureList.forEach((f, i) => {
      this.index.set(f, i);
    });
  }

  /** Learns feature vectors from the corpus texts. */
  static fit(texts: readonly string[], options: Partial<CorpusEmbedderOptions> = {}): CorpusEmbeddings {
    const o = { ...DEFAULT_CORPUS_OPTIONS, ...options };
    const perText = texts.map(features);
    const df = new Map<string, number>();
    for (const f of perText) for (const k of f.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    // Pairs seen once carry no co-occurrence to learn from; keep the most frequent features.
    const kept = [...df]
      .filter(([k, n]) => n >= 2 || !k.includes(" "))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, o.maxFeatures);
    const list = kept.map(([k]) => k);
    const index = new Map(list.map((k, i) => [k, i]));
    const n = texts.length;
    const idf = Float32Array.from(kept, ([, d]) => Math.log((n + 1) / (d + 0.5)));
    const dim = o.dimensions;
    const vectors = new Float32Array(list.length * dim);
    const rng = mulberry32(o.seed);
    const positions = new Int32Array(o.signatureSize);
    const signs = new Float32Array(o.signatureSize);
    perText.forEach((f) => {
      for (let j = 0; j < o.signatureSize; j++) {
        positions[j] = Math.floor(rng() * dim);
        signs[j] = rng() < 0.5 ? -1 : 1;
      }
      for (const [k, tf] of f) {
        const i = index.get(k);
        if (i === undefined) continue;
        const w = (1 + Math.log(tf)) * (idf[i] ?? 0);
        const row = i * dim;
        for (let j = 0; j < o.signatureSize; j++) {
          const at = row + (positions[j] ?? 0);
          vectors[at] = (vectors[at] ?? 0) + w * (signs[j] ?? 0);
        }
      }
    });
    for (let i = 0; i < list.length; i++) normalise(vectors.subarray(i * dim, (i + 1) * dim));
    return new CorpusEmbeddings(o, list, idf, vectors);
  }

  static fromJSON(data: CorpusModelData): CorpusEmbeddings {
    if (data.version !== 1) throw new Error("unsupported corpus embedder format");
    const buf = Buffer.from(data.vectors, "base64");
    const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (vectors.length !== data.features.length * data.options.dimensions) {
      throw new Error("corpus embedder vectors do not match its feature list");
    }
    return new CorpusEmbeddings(data.options, data.features, Float32Array.from(data.idf), vectors);
  }

  toJSON(): CorpusModelData {
    return {
      version: 1,
      options: this.options,
      features: this.featureList,
      idf: [...this.idf],
      vectors: Buffer.from(this.vectors.buffer, this.vectors.byteOffset, this.vectors.byteLength).toString(
        "base64",
      ),
    };
  }

  /** What the manifest records: a change means every vector must be computed again. */
  identity(): string {
    const h = createHash("sha256");
    h.update(JSON.stringify(this.options));
    h.update(this.featureList.join("\n"));
    h.update(Buffer.from(this.vectors.buffer, this.vectors.byteOffset, this.vectors.byteLength));
    return `corpus-rri-v1:${h.digest("hex").slice(0, 16)}`;
  }

  get dimensions(): number {
    return this.options.dimensions;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedSync(t, false));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedSync(text, true);
  }

  /** The vector of a text; questions are expanded with the lexicon first. */
  embedSync(text: string, isQuery: boolean): number[] {
    const dim = this.options.dimensions;
    const v = new Float32Array(dim);
    this.addText(v, features(text), 1);
    if (isQuery) {
      const official = officialWording(text);
      if (official.length > 0) this.addText(v, features(official.join(" . ")), this.options.lexiconWeight);
    }
    return [...normalise(v)];
  }

  private addText(v: Float32Array, f: Map<string, number>, scale: number): void {
    const dim = this.options.dimensions;
    for (const [k, tf] of f) {
      const i = this.index.get(k);
      const idf = i === undefined ? Math.log(this.featureList.length + 1) : (this.idf[i] ?? 0);
      const w = scale * (1 + Math.log(tf)) * idf;
      if (i !== undefined) {
        const row = i * dim;
        for (let j = 0; j < dim; j++) v[j] = (v[j] ?? 0) + w * (this.vectors[row + j] ?? 0);
      }
      // Character trigrams of single words: "chúng" typed "chung", "nghiên" for "nghiện".
      if (this.options.charWeight > 0 && !k.includes(" ")) {
        const padded = `<${k}>`;
        for (let c = 0; c + 3 <= padded.length; c++)
          addHashed(v, padded.slice(c, c + 3), (w * this.options.charWeight) / 2);
      }
    }
  }
}

function addHashed(v: Float32Array, gram: string, w: number): void {
  let h = 2166136261;
  for (let i = 0; i < gram.length; i++) h = Math.imul(h ^ gram.charCodeAt(i), 16777619);
  const dim = v.length;
  for (let j = 0; j < 2; j++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    const at = (h >>> 0) % dim;
    v[at] = (v[at] ?? 0) + (h & 1 ? w : -w);
  }
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / n;
  return v;
}

/** A small seeded PRNG: the same corpus always gives the same model. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
