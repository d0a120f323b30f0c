/**
 * Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (Ollama, vLLM, llama.cpp server,
 * text-embeddings-inference, hosted APIs), for operators who run a multilingual model such as
 * bge-m3. Batches, a timeout per call, retries with backoff on 429/5xx/network errors, and errors
 * that name the URL (never the key) when the server is down or returns the wrong dimension.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { RemoteServiceError } from "../../errors.js";

export interface OpenAiEmbeddingsOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Texts per request. */
  batchSize?: number;
  timeoutMs?: number;
  retries?: number;
  /** First backoff delay; doubles each retry. */
  backoffMs?: number;
  /** Expected vector size; when unset, the first answer sets it and later ones must match. */
  dimensions?: number;
}

/** The embeddings server failed: unreachable, an HTTP error, or vectors of the wrong shape. */
export class EmbeddingsError extends RemoteServiceError {}

export class OpenAiEmbeddings extends Embeddings {
  readonly url: string;
  private dims: number | undefined;
  /** Requests sent (tests count them to see that an incremental ingest embeds only what changed). */
  requests = 0;

  constructor(private readonly o: OpenAiEmbeddingsOptions) {
    super({});
    this.url = `${o.baseUrl.replace(/\/+$/, "")}/embeddings`;
    this.dims = o.dimensions;
  }

  identity(): string {
    return `openai:${this.o.baseUrl.replace(/\/+$/, "")}#${this.o.model}`;
  }

  get dimensions(): number | undefined {
    return this.dims;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const size = this.o.batchSize ?? 64;
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += size) {
      for (const v of await this.call(texts.slice(i, i + size))) out.push(v);
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.call([text]))[0] as number[];
  }

  private async call(input: string[]): Promise<number[][]> {
    const retries = this.o.retries ?? 3;
    let delay = this.o.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(input);
      } catch (err) {
        const e = err as EmbeddingsError;
        const retryable = e.status === undefined || e.status === 429 || e.status >= 500;
        if (!retryable || attempt >= retries) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
  }

  private async once(input: string[]): Promise<number[][]> {
    this.requests += 1;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.o.apiKey) headers.authorization = `Bearer ${this.o.apiKey}`;
    const timeoutMs = this.o.timeoutMs ?? 30_000;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: this.o.model, input }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason =
        (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      throw new EmbeddingsError(
        `embeddings server at ${this.url} unreachable: ${reason}`,
        this.url,
        undefined,
        { cause: err },
      );
    }
    if (!res.ok)
      throw new EmbeddingsError(
        `embeddings server at ${this.url} answered HTTP ${res.status}`,
        this.url,
        res.status,
      );
    const body = (await res.json().catch(() => undefined)) as
      | { data?: { index?: number; embedding?: unknown }[] }
      | undefined;
    const data = body?.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingsError(
        `embeddings server at ${this.url} returned ${data?.length ?? "no"} vectors for ${input.length} texts`,
        this.url,
        res.status,
      );
    }
    const sorted = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return sorted.map((d) => {
      const v = d.embedding;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
        throw new EmbeddingsError(
          `embeddings server at ${this.url} returned a malformed vector`,
          this.url,
          res.status,
        );
      }
      if (this.dims === undefined) this.dims = v.length;
      if (v.length !== this.dims) {
        throw new EmbeddingsError(
          `embeddings server at ${this.url} returned vectors of ${v.length} dimensions, expected ${this.dims}`,
          this.url,
          res.status,
        );
      }
      return v as number[];
    });
  }
}
