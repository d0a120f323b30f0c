/** Which embedder computes passage vectors, chosen by configuration. */
import type { Embeddings } from "@langchain/core/embeddings";
import { CorpusEmbeddings, type CorpusModelData } from "./corpus.js";
import { OpenAiEmbeddings } from "./openai.js";

export type EmbedderConfig =
  | { kind: "corpus" }
  | {
      kind: "openai";
      baseUrl: string;
      model: string;
      apiKey?: string;
      batchSize?: number;
      timeoutMs?: number;
    }
  | { kind: "none" };

/** An embedder the index can use: LangChain's Embeddings with an identity for the manifest. */
export type PassageEmbedder = Embeddings & { identity(): string };

/**
 * The embedder for a build: the corpus model is learned from `texts` unless a saved one can be
 * kept (incremental ingests keep it so unchanged passages keep their vectors).
 */
export function embedderFor(
  config: EmbedderConfig,
  texts: () => string[],
  saved?: CorpusModelData,
): PassageEmbedder | undefined {
  if (config.kind === "none") return undefined;
  if (config.kind === "openai") return new OpenAiEmbeddings(config);
  return saved ? CorpusEmbeddings.fromJSON(saved) : CorpusEmbeddings.fit(texts());
}

/** The kind part of an identity ("corpus-rri-v1", "openai"), to tell a change of configuration. */
export function embedderKind(identity: string | undefined): string {
  if (!identity) return "none";
  return identity.startsWith("openai:") ? identity : (identity.split(":")[0] ?? identity);
}

export function configKind(config: EmbedderConfig): string {
  if (config.kind === "none") return "none";
  if (config.kind === "openai") return `openai:${config.baseUrl.replace(/\/+$/, "")}#${config.model}`;
  return "corpus-rri-v1";
}
