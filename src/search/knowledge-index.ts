/**
 * The knowledge index: passages of every document, ranked by BM25 over the passage plus a share of
 * its whole document's BM25 (a passage of the right law or plan beats a look-alike elsewhere), and
 * the not-found rule that decides whether the best passage answers the question at all.
 */

import type { DocumentFormat } from "../knowledge/formats/types.js";
import { chunkDocument } from "../knowledge/structure.js";
import type { DocumentMeta, KnowledgeDocument, Passage } from "../knowledge/types.js";
import { analyze } from "../text/analyze.js";
import { everydayFor } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import { answerType, canAnswer } from "./answer-type.js";
import { definedTerm, definesTerm } from "./definition.js";
import { focusOf } from "./focus.js";
import { type Bm25Params, DEFAULT_PARAMS, LexicalIndex, type LexicalIndexData } from "./lexical.js";
import { DEFAULT_POLICY, type Grade, gradeOf, type NotFoundPolicy } from "./not-found.js";
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
  /** The format the file was read from, and what reading it needed saying (absent: none). */
  format?: DocumentFormat;
  warnings?: string[];
}

export interface Hit {
  passage: Passage;
  document: DocumentSummary;
  score: number;
}

export interface SearchResult {
  question: string;
  hits: Hit[];
  /** Answered with confidence, only the closest passages (partial), or not found. */
  grade: Grade;
  /** True when the grade is "answered". */
  answered: boolean;
  /** False when the question asks for a date, number, amount or name the best passage lacks. */
  typeOk: boolean;
  /** True when the best passage shares a phrase with the question (not only scattered words). */
  phrase: boolean;
  /** Share of the question's topic (IDF-weighted) found in the best passage, 0..1. */
  coverage: number;
  /** Score of the best passage (0 when nothing matched). */
  topScore: number;
}

/** Weight of the whole document's score added to each of its passages. */
export const DOCUMENT_WEIGHT = 1;
/**
 * Weight of the article title's BM25 ("Điều 27. Hình thức giám sát") added to each passage of a
 * document divided into articles (Điều): a law's clause "2. Tổ chức đoàn giám sát." answers "hình
 * thức giám sát" through its article's title. (A whole-article BM25, title and clauses, did worse
 * on the dev questions.) Documents without articles (the plan, a corpus of one article per
 * document) get none: their document score plays that part already.
 */
export const ARTICLE_WEIGHT = 1;
/** An article whose title names what the question asks for ("hình thức nào") counts this much more. */
export const FOCUS_BOOST = 2;
/**
 * The best few passages are re-ranked by score × (0.1 + coverage): a passage that has all of the
 * question's topic beats a shorter one that repeats part of it (set on the dev questions).
 */
export const RERANK_DEPTH = 3;
/**
 * At most this many passages of one article (Điều) come before the passages of other articles:
 * a third clause of the same article adds less than the best clause of another, which may be the
 * article the question is about (law texts repeat their wording from article to article). The
 * others follow, in their order. Documents without articles (the plan, ALQAC) are not touched.
 * Set on kb-dev and kb-dev2 (ranking alone, `bench/kb.ts --dev2 --open`: hit@3 0.843 → 0.871,
 * article level 0.857 → 0.914; kb-dev
 * unchanged; 1 did worse on the strict figure).
 */
export const PER_ARTICLE = 2;
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
/**
 * A question asking what something is ("… được hiểu là gì?") raises, by this share of the best
 * lexical score, a passage that opens by defining that term ("1. Cơ sở là xã, phường…").
 */
export const DEFINITION_WEIGHT = 0.5;
/**
 * A question naming a document the index holds by its number ("theo NĐ 59", "QĐ 2579", "luật 10")
 * raises that document's passages by this share of the best lexical score.
 */
export const NAMED_DOCUMENT_WEIGHT = 0.5;
/**
 * A question quoting words ("bị xếp loại “Không hoàn thành” khi nào") raises, by this share of the
 * best lexical score, the passages that say those words in that order.
 */
export const QUOTED_WEIGHT = 0.5;
/** BM25 for article titles, one unit per article. */
export const ARTICLE_PARAMS: Bm25Params = { ...DEFAULT_PARAMS, k1: 0.8 };

export interface KnowledgeIndexData {
  documents: DocumentSummary[];
  passages: Passage[];
  passageIndex: LexicalIndexData;
  documentIndex: LexicalIndexData;
  /** The titles of the articles (Điều) of the documents that have them, one unit each; absent in older indexes. */
  articleIndex?: LexicalIndexData;
}

export class KnowledgeIndex {
  private readonly docIndexOf = new Map<string, number>();
  /** Passage unit → article unit (-1 outside articles). */
  private readonly articleOf: Int32Array;
  /** The folded words of each article's title. */
  private readonly articleTitles: Set<string>[];
  /** The document numbers each document goes by. */
  private readonly documentNumbers: Set<string>[];
  /** The folded words of each document's title, spaced, when the title is a name ("" otherwise). */
  private readonly documentNames: string[];
  private readonly unitOf = new Map<string, number>();
  private vectors: HnswVectorStore | undefined;
  private vectorWeights: VectorWeights = { ...VECTOR_WEIGHTS };
  /** RERANK_DEPTH, switchable for benchmarks. */
  rerankDepth = RERANK_DEPTH;
  /** DOCUMENT_WEIGHT, switchable for benchmarks. */
  documentWeight = DOCUMENT_WEIGHT;
  /** ARTICLE_WEIGHT, switchable for benchmarks. */
  articleWeight = ARTICLE_WEIGHT;
  /** PER_ARTICLE, switchable for benchmarks (0: no limit). */
  perArticle = PER_ARTICLE;
  /** DEFINITION_WEIGHT, switchable for benchmarks. */
  definitionWeight = DEFINITION_WEIGHT;
  /** QUOTED_WEIGHT, switchable for benchmarks. */
  quotedWeight = QUOTED_WEIGHT;
  /** NAMED_DOCUMENT_WEIGHT, switchable for benchmarks. */
  namedWeight = NAMED_DOCUMENT_WEIGHT;

  private constructor(
    readonly documents: readonly DocumentSummary[],
    readonly passages: readonly Passage[],
    private readonly passageIndex: LexicalIndex,
    private readonly documentIndex: LexicalIndex,
    private readonly articleIndex: LexicalIndex,
    private policy: NotFoundPolicy,
  ) {
    // The numbers each document goes by ("Luật 10/2022/QH15" → #10luat), to know one a question names.
    this.documentNumbers = documents.map(
      (d) =>
        new Set(
          analyze(`${d.shortTitle}\n${d.title}\n${typeof d.meta.number === "string" ? d.meta.number : ""}`)
            .docNumbers,
        ),
    );
    // Their names, when a title names the document ("Luật Mặt trận Tổ quốc Việt Nam"), not only
    // numbers it ("Luật số 75/2015/QH13"): a question may name it so.
    this.documentNames = documents.map((d) => {
      const words = analyze(d.title).syllables.map((x) => x.folded);
      return words.length >= 4 && !words.includes("so") ? ` ${words.join(" ")} ` : "";
    });
    const articles = articleUnits(passages);
    this.articleOf = articles.articleOf;
    this.articleTitles = articles.units.map((ps) => new Set(foldedWords(articleTitle(ps))));
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
        ...(d.format ? { format: d.format } : {}),
        ...(d.warnings?.length ? { warnings: d.warnings } : {}),
      });
      options.onProgress?.(i + 1, documents.length);
    });
    const passageIndex = LexicalIndex.build(
      passages.map((p) => ({
        // An item of a long list is found by what its lead-in says ("có các quyền hạn sau đây:").
        text: p.leadIn ? `${p.leadIn}\n${p.text}` : p.text,
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
      buildArticleIndex(passages),
      options.policy ?? DEFAULT_POLICY,
    );
  }

  static fromJSON(data: KnowledgeIndexData, policy: NotFoundPolicy = DEFAULT_POLICY): KnowledgeIndex {
    const passageIndex = LexicalIndex.fromJSON(data.passageIndex, PASSAGE_PARAMS);
    const documentIndex = LexicalIndex.fromJSON(data.documentIndex, DOCUMENT_PARAMS);
    if (passageIndex.count !== data.passages.length || documentIndex.count !== data.documents.length) {
      throw new Error("index parts disagree on the number of passages or documents");
    }
    const articleIndex = data.articleIndex
      ? LexicalIndex.fromJSON(data.articleIndex, ARTICLE_PARAMS)
      : buildArticleIndex(data.passages);
    return new KnowledgeIndex(
      data.documents,
      data.passages,
      passageIndex,
      documentIndex,
      articleIndex,
      policy,
    );
  }

  toJSON(): KnowledgeIndexData {
    return {
      documents: [...this.documents],
      passages: [...this.passages],
      passageIndex: this.passageIndex.toJSON(),
      documentIndex: this.documentIndex.toJSON(),
      articleIndex: this.articleIndex.toJSON(),
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
    const articleScore = new Map<number, number>();
    if (this.articleIndex.count > 0 && this.articleWeight > 0) {
      const focus = focusOf(question);
      for (const h of this.articleIndex.search(question, Math.min(this.articleIndex.count, 200)).hits) {
        const titled = focus?.every((w) => this.articleTitles[h.unit]?.has(w)) ?? false;
        articleScore.set(h.unit, h.score * (titled ? FOCUS_BOOST : 1));
      }
    }
    const { hits, coverage } = this.passageIndex.search(question, depth);
    const lexical = new Map<number, number>();
    for (const h of hits) {
      const passage = this.passages[h.unit] as Passage;
      lexical.set(
        h.unit,
        h.score +
          this.documentWeight * (docScore.get(this.docIndexOf.get(passage.docId) ?? -1) ?? 0) +
          this.articleWeight * (articleScore.get(this.articleOf[h.unit] ?? -1) ?? 0),
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
    const term = definedTerm(question);
    // "theo NĐ 59…", "quyet dinh 2579 thay the…": a question naming documents the index holds is
    // about those documents (but not when it names every one of them, or none it holds).
    const asked = analyze(question, { chat: true });
    const named = asked.docNumbers;
    const spoken = ` ${asked.syllables.map((x) => x.folded).join(" ")} `;
    const namedDocs = new Set(
      this.documentNumbers.flatMap((nums, d) =>
        named.some((n) => nums.has(n)) || (this.documentNames[d] && spoken.includes(this.documentNames[d]))
          ? [d]
          : [],
      ),
    );
    const namedBoost = namedDocs.size > 0 && namedDocs.size < this.documents.length ? this.namedWeight : 0;
    const quoted = this.quotedWeight > 0 ? quotedPhrases(question) : [];
    const scored = [...units]
      .map((unit) => {
        const passage = this.passages[unit] as Passage;
        let score = (lexical.get(unit) ?? 0) / lexMax + cosine * Math.max(0, similarity.get(unit) ?? 0);
        if (favourite?.unit === unit) score += lead * favourite.lead;
        const defines = term !== undefined && definesTerm(passage.text, term);
        if (defines) score += this.definitionWeight;
        const d = this.docIndexOf.get(passage.docId) ?? -1;
        if (namedDocs.has(d)) score += namedBoost;
        const quotes =
          quoted.length > 0 && quoted.some((q) => ` ${foldedWords(passage.text).join(" ")} `.includes(q));
        if (quotes) score += this.quotedWeight;
        return { unit, passage, d, cov: 0, phrase: false, score, defines, quotes };
      })
      .sort((a, b) => b.score - a.score || a.unit - b.unit);
    const head = scored.slice(0, this.rerankDepth);
    for (const r of head) {
      ({ coverage: r.cov, phrase: r.phrase } = coverage(r.unit));
      r.score *= 0.1 + r.cov;
      // A definition seldom repeats the question's other words ("được hiểu"): it keeps its lead.
      if (r.defines) r.score += this.definitionWeight;
      // Nor do the quoted words carry the rest of the question with them.
      if (r.quotes) r.score += this.quotedWeight;
    }
    head.sort((a, b) => b.score - a.score || a.unit - b.unit);
    const ranked = this.spreadOverArticles([...head, ...scored.slice(this.rerankDepth)]).slice(0, k);
    const best = ranked[0];
    const typeOk =
      best !== undefined && canAnswer(answerType(question), `${best.passage.headings}\n${best.passage.text}`);
    const phrase = best?.phrase ?? false;
    const grade: Grade = best === undefined ? "not_found" : gradeOf(this.policy, best.cov, typeOk, phrase);
    return {
      question,
      hits: ranked.map((r) => ({
        passage: r.passage,
        document: this.documents[r.d] as DocumentSummary,
        score: r.score,
      })),
      grade,
      answered: grade === "answered",
      typeOk,
      phrase,
      coverage: best?.cov ?? 0,
      topScore: best?.score ?? 0,
    };
  }

  /** The ranking with at most `perArticle` passages of one article before other articles' (PER_ARTICLE). */
  private spreadOverArticles<T extends { unit: number }>(ranked: T[]): T[] {
    if (this.perArticle <= 0) return ranked;
    const seen = new Map<number, number>();
    const first: T[] = [];
    const later: T[] = [];
    for (const r of ranked) {
      const a = this.articleOf[r.unit] ?? -1;
      const n = a < 0 ? 0 : (seen.get(a) ?? 0);
      if (a >= 0) seen.set(a, n + 1);
      (n < this.perArticle ? first : later).push(r);
    }
    return [...first, ...later];
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
    this.articleIndex.params = { ...this.articleIndex.params, expansionWeight: weights.expansion };
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

/** The article (Điều) a passage stands in, as a key within the index, or undefined. */
function articleKey(p: Passage): string | undefined {
  const at = p.sectionPath.findIndex((label) => /^Điều\s+\d/u.test(label));
  return at < 0 ? undefined : `${p.docId}\u0000${p.sectionPath.slice(0, at + 1).join("\u0000")}`;
}

/** Groups passages by article: each passage's article unit (-1 outside articles) and the units. */
function articleUnits(passages: readonly Passage[]): { articleOf: Int32Array; units: Passage[][] } {
  const articleOf = new Int32Array(passages.length).fill(-1);
  const byKey = new Map<string, number>();
  const units: Passage[][] = [];
  passages.forEach((p, i) => {
    const key = articleKey(p);
    if (key === undefined) return;
    let unit = byKey.get(key);
    if (unit === undefined) {
      unit = units.length;
      byKey.set(key, unit);
      units.push([]);
    }
    articleOf[i] = unit;
    units[unit]?.push(p);
  });
  return { articleOf, units };
}

/**
 * One lexical unit per article: its heading alone ("Điều 27. Hình thức giám sát"), as text.
 */
function buildArticleIndex(passages: readonly Passage[]): LexicalIndex {
  const { units } = articleUnits(passages);
  return LexicalIndex.build(
    units.map((ps) => ({ text: articleTitle(ps), headings: "" })),
    ARTICLE_PARAMS,
  );
}

/** An article's heading ("Điều 27. Hình thức giám sát"), from its first passage's headings. */
function articleTitle(ps: readonly Passage[]): string {
  return (ps[0]?.headings ?? "").split(" \n ").find((h) => /^Điều\s/u.test(h)) ?? "";
}

/** The phrases a question quotes (two words or more), folded and spaced for a substring test. */
function quotedPhrases(question: string): string[] {
  const found: string[] = [];
  for (const m of question.matchAll(/[“"«]([^”"»\n]{3,80})[”"»]/gu)) {
    const w = foldedWords(m[1] as string);
    if (w.length >= 2) found.push(` ${w.join(" ")} `);
  }
  return found;
}

const foldedWords = (s: string) => fold(s.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];
