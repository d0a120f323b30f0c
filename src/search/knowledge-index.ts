/**
 * The knowledge index: passages of every document, ranked by BM25 over the passage plus a share of
 * its whole document's BM25 (a passage of the right law or plan beats a look-alike elsewhere), and
 * the not-found rule that decides whether the best passage answers the question at all.
 */

import { chunkDocument } from "../knowledge/structure.js";
import type { DocumentMeta, KnowledgeDocument, Passage } from "../knowledge/types.js";
import { everydayFor } from "../text/lexicon.js";
import { answerType, canAnswer } from "./answer-type.js";
import { type Bm25Params, DEFAULT_PARAMS, LexicalIndex, type LexicalIndexData } from "./lexical.js";
import { DEFAULT_POLICY, isAnswerable, type NotFoundPolicy } from "./not-found.js";
import type { HnswVectorStore } from "./vector-store.js";

/** What the index keeps of a document (its text lives in the passages). */
export interface DocumentSummary {
  id: string;
  title: string;
  shortTitle: string;
  source: string;
  hash: string;
  meta: DocumentMeta;
  passages: number;
}

export interface Hit {
  passage: Passage;
  document: DocumentSummary;
  score: number;
}

export interface SearchResult {
  question: string;
  hits: Hit[];
  answered: boolean;
  /** Share of the question's topic (IDF-weighted) found in the best passage, 0..1. */
  coverage: number;
  /** Score of the best passage (0 when nothing matched). */
  topScore: number;
}

/** Weight of the whole document's score added to each of its passages. */
export const DOCUMENT_WEIGHT = 1;
/**
 * The best few passages are re-ranked by score × (0.1 + coverage): a passage that has all of the
 * question's topic beats a shorter one that repeats part of it (set on the dev questions).
 */
export const RERANK_DEPTH = 3;
/** How vector similarity joins the lexical scores (the best lexical score counts 1). */
export interface VectorWeights {
  /** Every candidate passage gains this × its cosine similarity (VECTOR_WEIGHT). */
  cosine: number;
  /** The passage the vectors rank first gains this × its lead over the runner-up (VECTOR_LEAD_WEIGHT). */
  lead: number;
}

/**
 * With the corpus-learned embedder, adding every passage's similarity was a net loss on every dev
 * set (the vectors order near-ties worse than BM25), while their favourite, when it leads clearly,
 * is usually right: so by default only the lead counts (set on the dev halves, BENCHMARKS.md).
 * Operators with a strong multilingual model can add the similarity itself through VECTOR_WEIGHT.
 */
export const VECTOR_WEIGHTS: VectorWeights = { cosine: 0, lead: 2 };
/**
 * BM25 for whole documents (long texts: term frequency saturates sooner) and for passages; set on
 * half of the ALQAC questions (odd lines), checked on the other half (BENCHMARKS.md).
 */
export const DOCUMENT_PARAMS: Bm25Params = { ...DEFAULT_PARAMS, k1: 0.8 };
export const PASSAGE_PARAMS: Bm25Params = { ...DEFAULT_PARAMS };

export interface KnowledgeIndexData {
  documents: DocumentSummary[];
  passages: Passage[];
  passageIndex: LexicalIndexData;
  documentIndex: LexicalIndexData;
}

export class KnowledgeIndex {
  private readonly docIndexOf = new Map<string, number>();
  private readonly unitOf = new Map<string, number>();
  private vectors: HnswVectorStore | undefined;
  private vectorWeights: VectorWeights = { ...VECTOR_WEIGHTS };

  private constructor(
    readonly documents: readonly DocumentSummary[],
    readonly passages: readonly Passage[],
    private readonly passageIndex: LexicalIndex,
    private readonly documentIndex: LexicalIndex,
    private policy: NotFoundPolicy,
  ) {
    documents.forEach((d, i) => {
      this.docIndexOf.set(d.id, i);
    });
    passages.forEach((p, i) => {
      this.unitOf.set(p.id, i);
    });
  }

  /** Chunks and indexes documents. `onProgress(done, total)` reports documents chunked. */
  static build(
    documents: readonly KnowledgeDocument[],
    options: { policy?: NotFoundPolicy; onProgress?: (done: number, total: number) => void } = {},
  ): KnowledgeIndex {
    const passages: Passage[] = [];
    const summaries: DocumentSummary[] = [];
    documents.forEach((d, i) => {
      const ps = chunkDocument(
        d.id,
        d.shortTitle === d.title ? d.title : `${d.shortTitle} \n ${d.title}`,
        d.text,
      );
      // One by one: spreading a document of 100,000+ passages into push() overflows the stack.
      for (const p of ps) passages.push(p);
      summaries.push({
        id: d.id,
        title: d.title,
        shortTitle: d.shortTitle,
        source: d.source,
        hash: d.hash,
        meta: d.meta,
        passages: ps.length,
      });
      options.onProgress?.(i + 1, documents.length);
    });
    const passageIndex = LexicalIndex.build(
      passages.map((p) => ({
        text: p.text,
        headings: p.headings,
        // "cấp dưỡng" in the passage: "tiền nuôi con" is indexed beside it (lower weight).
        aliases: everydayFor(`${p.headings}\n${p.text}`),
      })),
      PASSAGE_PARAMS,
    );
    const documentIndex = LexicalIndex.build(
      // The title is part of the document's text too: a question that names the article or plan
      // by its title should find it even when the body words are spread over many passages.
      documents.map((d) => ({ text: `${d.title}\n${d.text}`, headings: `${d.shortTitle} \n ${d.title}` })),
      DOCUMENT_PARAMS,
    );
    return new KnowledgeIndex(
      summaries,
      passages,
      passageIndex,
      documentIndex,
      options.policy ?? DEFAULT_POLICY,
    );
  }

  static fromJSON(data: KnowledgeIndexData, policy: NotFoundPolicy = DEFAULT_POLICY): KnowledgeIndex {
    const passageIndex = LexicalIndex.fromJSON(data.passageIndex, PASSAGE_PARAMS);
    const documentIndex = LexicalIndex.fromJSON(data.documentIndex, DOCUMENT_PARAMS);
    if (passageIndex.count !== data.passages.length || documentIndex.count !== data.documents.length) {
      throw new Error("index parts disagree on the number of passages or documents");
    }
    return new KnowledgeIndex(data.documents, data.passages, passageIndex, documentIndex, policy);
  }

  toJSON(): KnowledgeIndexData {
    return {
      documents: [...this.documents],
      passages: [...this.passages],
      passageIndex: this.passageIndex.toJSON(),
      documentIndex: this.documentIndex.toJSON(),
    };
  }

  /**
   * The `k` best passages for a question, best first, and whether they answer it. Lexical scores
   * are divided by the best one; with a query vector (and passage vectors), the passage the vectors
   * rank first gains `lead` × its lead in cosine similarity over the runner-up, so a clear semantic
   * favourite rises (or joins the candidates) while close calls stay lexical, and every candidate
   * gains `cosine` × its similarity (0 by default).
   */
  search(question: string, k = 5, queryVector?: readonly number[]): SearchResult {
    const depth = Math.max(50, k * 10);
    const docs = this.documentIndex.search(question, Math.min(this.documents.length, 200)).hits;
    const docScore = new Map<number, number>();
    for (const h of docs) docScore.set(h.unit, h.score);
    const { hits, coverage } = this.passageIndex.search(question, depth);
    const lexical = new Map<number, number>();
    for (const h of hits) {
      const passage = this.passages[h.unit] as Passage;
      lexical.set(
        h.unit,
        h.score + DOCUMENT_WEIGHT * (docScore.get(this.docIndexOf.get(passage.docId) ?? -1) ?? 0),
      );
    }
    const { cosine, lead } = this.vectorWeights;
    const similarity = new Map<number, number>();
    let favourite: { unit: number; lead: number } | undefined;
    if (queryVector && this.vectors && this.vectors.size > 1 && (cosine > 0 || lead > 0)) {
      const found = this.vectors.search(queryVector, cosine > 0 ? depth : 2);
      if (cosine > 0) {
        for (const [id, cos] of found) {
          const unit = this.unitOf.get(id);
          if (unit !== undefined) similarity.set(unit, cos);
        }
      }
      const [first, second] = found;
      const unit = first ? this.unitOf.get(first[0]) : undefined;
      if (lead > 0 && first && second && unit !== undefined)
        favourite = { unit, lead: Math.max(0, first[1] - second[1]) };
    }
    const lexMax = Math.max(0, ...lexical.values()) || 1;
    const units = new Set([...lexical.keys(), ...similarity.keys()]);
    if (favourite) units.add(favourite.unit);
    const scored = [...units]
      .map((unit) => {
        const passage = this.passages[unit] as Passage;
        let score = (lexical.get(unit) ?? 0) / lexMax + cosine * Math.max(0, similarity.get(unit) ?? 0);
        if (favourite?.unit === unit) score += lead * favourite.lead;
        return { unit, passage, d: this.docIndexOf.get(passage.docId) ?? -1, cov: 0, score };
      })
      .sort((a, b) => b.score - a.score || a.unit - b.unit);
    const head = scored.slice(0, RERANK_DEPTH);
    for (const r of head) {
      r.cov = coverage(r.unit).coverage;
      r.score *= 0.1 + r.cov;
    }
    head.sort((a, b) => b.score - a.score || a.unit - b.unit);
    const ranked = [...head, ...scored.slice(RERANK_DEPTH)].slice(0, k);
    const best = ranked[0];
    return {
      question,
      hits: ranked.map((r) => ({
        passage: r.passage,
        document: this.documents[r.d] as DocumentSummary,
        score: r.score,
      })),
      answered:
        best !== undefined &&
        isAnswerable(this.policy, best.cov) &&
        canAnswer(answerType(question), `${best.passage.headings}\n${best.passage.text}`),
      coverage: best?.cov ?? 0,
      topScore: best?.score ?? 0,
    };
  }

  /** Replaces the not-found rule (calibration tries thresholds on one index). */
  setPolicy(policy: NotFoundPolicy): void {
    this.policy = policy;
  }

  setVectorWeights(weights: Partial<VectorWeights>): void {
    this.vectorWeights = { ...this.vectorWeights, ...weights };
  }

  /**
   * Turns the everyday-to-official lexicon on or off (benchmarks measure each ingredient): its use
   * on questions (`expansion`) and the everyday field of the passages (`aliases`).
   */
  setLexiconWeights(weights: { expansion: number; aliases: number }): void {
    this.passageIndex.params = {
      ...this.passageIndex.params,
      expansionWeight: weights.expansion,
      aliasWeight: weights.aliases,
    };
    this.documentIndex.params = { ...this.documentIndex.params, expansionWeight: weights.expansion };
  }

  /** Passage ids ranked by the vectors alone (benchmarks measure each ingredient). */
  searchVectors(queryVector: readonly number[], k: number): Passage[] {
    return (this.vectors?.search(queryVector, k) ?? []).flatMap(([id]) => {
      const p = this.passage(id);
      return p ? [p] : [];
    });
  }

  /** Attaches passage vectors (built or loaded beside this index). */
  withVectors(store: HnswVectorStore, weights: Partial<VectorWeights> = {}): this {
    this.vectors = store;
    this.vectorWeights = { ...VECTOR_WEIGHTS, ...weights };
    return this;
  }

  /** The text a passage is embedded from: its headings give it context. */
  static embeddingText(p: Passage): string {
    return `${p.headings}\n${p.text}`;
  }

  /** How rare a folded syllable is among the passages (0 for an unknown one). */
  idf(folded: string): number {
    return this.passageIndex.idf(`f${folded}`);
  }

  /** A passage by id. */
  passage(id: string): Passage | undefined {
    const unit = this.unitOf.get(id);
    return unit === undefined ? undefined : this.passages[unit];
  }

  /** The passage vectors, when the index has them. */
  get vectorStore(): HnswVectorStore | undefined {
    return this.vectors;
  }
}
