/**
 * The retriever the answer composer asks: the current index and the embedder for questions. The
 * holder swaps in a new index after an ingest without a restart: a question in flight keeps the
 * index it started with, the next one gets the new one, and a failed reload keeps the old one.
 */
import { unwatchFile, watchFile } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { EmbedderConfig } from "./embeddings/index.js";
import { currentVersion, type LoadedIndex, loadIndex, otherCodeReason } from "./index-store.js";
import type { KnowledgeIndex, SearchResult, VectorWeights } from "./knowledge-index.js";

/** The weights given, without the ones left undefined (those keep their defaults). */
function definedOnly(w: Partial<VectorWeights>): Partial<VectorWeights> {
  return Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined));
}

export interface Retriever {
  readonly index: KnowledgeIndex;
  search(question: string, k: number): Promise<SearchResult>;
}

export function retrieverOf(
  loaded: Pick<LoadedIndex, "index" | "embedder">,
  vectorWeights: Partial<VectorWeights> = {},
): Retriever {
  loaded.index.setVectorWeights(definedOnly(vectorWeights));
  return {
    index: loaded.index,
    async search(question, k) {
      const vector =
        loaded.embedder && loaded.index.vectorStore ? await loaded.embedder.embedQuery(question) : undefined;
      return loaded.index.search(question, k, vector);
    },
  };
}

export interface IndexHolder {
  current(): Retriever;
  /** Loads the index CURRENT points at, if it is not the one in use. Resolves true when swapped. */
  reload(): Promise<boolean>;
  /** Reloads whenever an ingest swaps CURRENT (polled every `intervalMs`). */
  watch(intervalMs?: number): void;
  close(): void;
}

export function createIndexHolder(
  initial: LoadedIndex,
  deps: {
    indexDir: string;
    embedder: EmbedderConfig;
    logger: Logger;
    version?: string;
    vectorWeights?: Partial<VectorWeights>;
  },
): IndexHolder {
  let retriever = retrieverOf(initial, deps.vectorWeights);
  let version = deps.version;
  let loading: Promise<boolean> | undefined;
  const pointer = join(deps.indexDir, "CURRENT");
  const reload = async (): Promise<boolean> => {
    const next = await currentVersion(deps.indexDir).catch(() => undefined);
    if (!next || next === version) return false;
    try {
      const loaded = await loadIndex(deps.indexDir, deps.embedder);
      if (!loaded) return false;
      // An index written by another release of the bot (an ingest run from an older checkout)
      // would rank differently from what this code expects: keep the one in use.
      const stale = otherCodeReason(loaded.manifest, deps.embedder);
      if (stale) {
        deps.logger.warn(
          { version: next, reason: stale },
          "chỉ mục mới không khớp phiên bản này của bot, tiếp tục dùng chỉ mục cũ",
        );
        version = next;
        return false;
      }
      retriever = retrieverOf(loaded, deps.vectorWeights);
      version = next;
      deps.logger.info({ version, passages: loaded.manifest.passages }, "đã nạp chỉ mục mới");
      return true;
    } catch (err) {
      deps.logger.warn(
        { err: (err as Error).message },
        "không nạp được chỉ mục mới, tiếp tục dùng chỉ mục cũ",
      );
      return false;
    }
  };
  return {
    current: () => retriever,
    reload() {
      loading ??= reload().finally(() => {
        loading = undefined;
      });
      return loading;
    },
    watch(intervalMs = 2000) {
      watchFile(pointer, { interval: intervalMs }, () => {
        void this.reload();
      });
    },
    close() {
      unwatchFile(pointer);
    },
  };
}
