/**
 * Passage vectors in an HNSW graph (hnswlib-node), behind @langchain/core's SaveableVectorStore.
 *
 * Our own store rather than @langchain/community's HNSWLib: that one pulls in the whole community
 * package, keeps a docstore of full Document objects beside the graph and writes its folder in
 * place. Here labels map to passage ids (the passages themselves live in the knowledge index), the
 * files go into the versioned index folder that is swapped atomically, and vectors can be read back
 * by id so an incremental ingest re-embeds only what changed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import hnswlib from "hnswlib-node";

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

export const GRAPH_FILE = "vectors.hnsw";
export const LABELS_FILE = "vectors.json";

export interface HnswOptions {
  /** Graph degree and build effort: hnswlib's defaults suit a few hundred thousand passages. */
  m?: number;
  efConstruction?: number;
  efSearch?: number;
}

export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (passageId: string) => boolean;
  private graph: Graph | undefined;
  private ids: string[] = [];
  private labelOf = new Map<string, number>();

  constructor(
    embeddings: EmbeddingsInterface,
    private readonly options: HnswOptions & { dimensions?: number } = {},
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return "hnswlib-danvan";
  }

  get size(): number {
    return this.ids.length;
  }

  get dimensions(): number | undefined {
    return this.graph?.getNumDimensions() ?? this.options.dimensions;
  }

  /** Adds vectors for documents whose `id` is the passage id. */
  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    if (vectors.length !== documents.length) throw new Error("one vector per document is needed");
    if (vectors.length === 0) return [];
    const dim = vectors[0]?.length ?? 0;
    const graph = this.ensureGraph(dim, this.ids.length + vectors.length);
    vectors.forEach((v, i) => {
      if (v.length !== dim) throw new Error(`vector ${i} has ${v.length} dimensions, expected ${dim}`);
      const id = documents[i]?.id;
      if (!id) throw new Error("documents added to the vector store need an id (the passage id)");
      if (this.labelOf.has(id)) throw new Error(`passage ${id} is already in the vector store`);
      const label = this.ids.length;
      graph.addPoint(v, label);
      this.ids.push(id);
      this.labelOf.set(id, label);
    });
    return documents.map((d) => d.id as string);
  }

  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents);
  }

  /** Nearest passages by cosine similarity (1 = same direction), best first. */
  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[DocumentInterface, number][]> {
    return this.search(query, k, filter).map(([id, score]) => [
      new Document({ id, pageContent: "", metadata: {} }),
      score,
    ]);
  }

  /** Synchronous search returning passage ids and cosine similarities, best first. */
  search(query: readonly number[], k: number, filter?: (passageId: string) => boolean): [string, number][] {
    const graph = this.graph;
    if (!graph || this.ids.length === 0) return [];
    const n = Math.min(k, this.ids.length);
    graph.setEf(Math.max(this.options.efSearch ?? 64, n));
    const labelFilter = filter ? (label: number) => filter(this.ids[label] as string) : undefined;
    const { neighbors, distances } = graph.searchKnn(query as number[], n, labelFilter);
    return neighbors.map((label, i) => [this.ids[label] as string, 1 - (distances[i] ?? 1)]);
  }

  /** The stored vector of a passage (to carry it into the next index without embedding it again). */
  vectorOf(passageId: string): number[] | undefined {
    const label = this.labelOf.get(passageId);
    return label === undefined || !this.graph ? undefined : this.graph.getPoint(label);
  }

  async save(directory: string): Promise<void> {
    await writeFile(
      join(directory, LABELS_FILE),
      JSON.stringify({ version: 1, dimensions: this.dimensions ?? 0, ids: this.ids }),
    );
    if (this.graph) await this.graph.writeIndex(join(directory, GRAPH_FILE));
  }

  static override async load(
    directory: string,
    embeddings: EmbeddingsInterface,
    options: HnswOptions = {},
  ): Promise<HnswVectorStore> {
    const meta = JSON.parse(await readFile(join(directory, LABELS_FILE), "utf8")) as {
      dimensions: number;
      ids: string[];
    };
    const store = new HnswVectorStore(embeddings, { ...options, dimensions: meta.dimensions });
    if (meta.ids.length > 0) {
      const graph = new HierarchicalNSW("cosine", meta.dimensions);
      await graph.readIndex(join(directory, GRAPH_FILE));
      if (graph.getCurrentCount() !== meta.ids.length) {
        throw new Error(
          `vector graph holds ${graph.getCurrentCount()} points but ${meta.ids.length} ids are listed`,
        );
      }
      store.graph = graph;
    }
    store.ids = meta.ids;
    meta.ids.forEach((id, label) => {
      store.labelOf.set(id, label);
    });
    return store;
  }

  private ensureGraph(dim: number, capacity: number): Graph {
    if (!this.graph) {
      this.graph = new HierarchicalNSW("cosine", dim);
      this.graph.initIndex({
        maxElements: Math.max(capacity, 16),
        m: this.options.m ?? 16,
        efConstruction: this.options.efConstruction ?? 200,
        randomSeed: 42,
      });
    } else {
      if (this.graph.getNumDimensions() !== dim) {
        throw new Error(`vectors have ${dim} dimensions, the store holds ${this.graph.getNumDimensions()}`);
      }
      if (capacity > this.graph.getMaxElements())
        this.graph.resizeIndex(Math.max(capacity, this.graph.getMaxElements() * 2));
    }
    return this.graph;
  }
}
