import { afterAll, describe, expect, it } from "vitest";
import { CorpusEmbeddings } from "../../src/search/embeddings/corpus.js";
import { EmbeddingsError, OpenAiEmbeddings } from "../../src/search/embeddings/openai.js";
import { FAKE_DIMENSIONS, fakeVector, startFakeEmbeddings } from "../fakes/embeddings-server.js";

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe("the OpenAI-compatible embeddings client", async () => {
  const server = await startFakeEmbeddings();
  afterAll(() => server.close());
  const client = (o: Partial<ConstructorParameters<typeof OpenAiEmbeddings>[0]> = {}) =>
    new OpenAiEmbeddings({
      baseUrl: server.baseUrl,
      model: "bge-m3",
      apiKey: "sk-embed-secret",
      backoffMs: 10,
      ...o,
    });

  it("embeds in batches and keeps the order of the texts", async () => {
    const before = server.requests.length;
    const texts = ["dân vận", "mặt trận", "kinh phí", "hội quần chúng", "tiếp dân"];
    const vectors = await client({ batchSize: 2 }).embedDocuments(texts);
    expect(server.requests.length - before).toBe(3);
    expect(vectors).toEqual(texts.map(fakeVector));
    expect(vectors[0]).toHaveLength(FAKE_DIMENSIONS);
  });

  it("retries 429 and 5xx with backoff, then succeeds", async () => {
    server.fail(503, 429);
    expect(await client().embedQuery("dân vận")).toEqual(fakeVector("dân vận"));
  });

  it("gives up after its retries with an error naming the URL, never the key", async () => {
    server.fail(500, 500, 500);
    const err = await client({ retries: 2 })
      .embedQuery("x")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddingsError);
    expect((err as Error).message).toContain(`${server.baseUrl}/embeddings`);
    expect((err as Error).message).toContain("HTTP 500");
    expect((err as Error).message).not.toContain("sk-embed-secret");
  });

  it("refuses vectors of the wrong dimension, and the wrong number of vectors", async () => {
    const c = client({ dimensions: FAKE_DIMENSIONS });
    server.fail("short");
    await expect(c.embedQuery("x")).rejects.toThrow(/5 dimensions, expected 12/);
    server.fail("count");
    await expect(c.embedDocuments(["a", "b"])).rejects.toThrow(/returned 1 vectors for 2 texts/);
  });

  it("says which server is down", async () => {
    const down = new OpenAiEmbeddings({ baseUrl: "http://127.0.0.1:9/v1", model: "m", retries: 0 });
    await expect(down.embedQuery("x")).rejects.toThrow(/http:\/\/127\.0\.0\.1:9\/v1\/embeddings unreachable/);
  });
});

describe("the corpus-learned embedder", () => {
  const corpus = [
    "Vợ chồng ly hôn thì tài sản chung được chia đôi.",
    "Khi ly hôn, tài sản chung của vợ chồng được chia theo thỏa thuận.",
    "Tòa án giải quyết ly hôn và chia tài sản chung.",
    "Người nghiện ma túy phải cai nghiện tại cơ sở cai nghiện.",
    "Cơ sở cai nghiện ma túy tự nguyện do tổ chức thành lập.",
    "Học sinh được miễn học phí ở bậc tiểu học.",
  ];
  const model = CorpusEmbeddings.fit(corpus, { dimensions: 64 });

  it("is the same model for the same corpus", () => {
    expect(CorpusEmbeddings.fit(corpus, { dimensions: 64 }).identity()).toBe(model.identity());
    expect(CorpusEmbeddings.fromJSON(JSON.parse(JSON.stringify(model.toJSON()))).identity()).toBe(
      model.identity(),
    );
  });

  it("brings words used together closer than unrelated ones", () => {
    const divorce = model.embedSync("ly hôn", true);
    const property = model.embedSync("tài sản chung", false);
    const drugs = model.embedSync("cai nghiện ma túy", false);
    expect(cos(divorce, property)).toBeGreaterThan(cos(divorce, drugs) + 0.2);
  });

  it("finds the same passage for a question typed without diacritics", () => {
    const q = model.embedSync("cai nghien ma tuy", true);
    const scores = corpus.map((t) => cos(q, model.embedSync(t, false)));
    expect(scores.indexOf(Math.max(...scores))).toBeGreaterThanOrEqual(3);
    expect(scores.indexOf(Math.max(...scores))).toBeLessThanOrEqual(4);
  });
});
