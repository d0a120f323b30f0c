import { FakeEmbeddings } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";
import { HnswVectorStore } from "../../src/search/vector-store.js";
import { tempDir } from "../helpers.js";

const doc = (id: string) => ({ id, pageContent: "", metadata: {} });

describe("the HNSW vector store", () => {
  it("returns the nearest passages with their cosine similarity, best first", async () => {
    const store = new HnswVectorStore(new FakeEmbeddings());
    await store.addVectors(
      [
        [1, 0, 0],
        [0.9, 0.1, 0],
        [0, 0, 1],
      ],
      [doc("a"), doc("b"), doc("c")],
    );
    const hits = store.search([1, 0, 0], 2);
    expect(hits.map(([id]) => id)).toEqual(["a", "b"]);
    expect(hits[0]?.[1]).toBeCloseTo(1, 5);
    const [top] = await store.similaritySearchVectorWithScore([0, 0, 1], 1);
    expect([top?.[0].id, top?.[1]]).toEqual(["c", expect.closeTo(1, 5)]);
    expect(store.search([1, 0, 0], 3, (id) => id !== "a").map(([id]) => id)).toEqual(["b", "c"]);
  });

  it("saves and loads, keeping ids and vectors", async () => {
    const dir = await tempDir();
    const store = new HnswVectorStore(new FakeEmbeddings());
    const vectors = Array.from({ length: 50 }, (_, i) => [Math.cos(i), Math.sin(i), i / 50]);
    await store.addVectors(
      vectors,
      vectors.map((_, i) => doc(`p${i}`)),
    );
    await store.save(dir);
    const loaded = await HnswVectorStore.load(dir, new FakeEmbeddings());
    expect(loaded.size).toBe(50);
    expect(loaded.search(vectors[7] as number[], 1)[0]?.[0]).toBe("p7");
    // The graph keeps unit vectors (cosine space): the same direction comes back.
    const back = loaded.vectorOf("p7") ?? [];
    const original = vectors[7] ?? [];
    const norm = Math.hypot(...original);
    back.forEach((x, i) => {
      expect(x).toBeCloseTo((original[i] ?? 0) / norm, 5);
    });
  });

  it("refuses vectors of another dimension and ids it already holds", async () => {
    const store = new HnswVectorStore(new FakeEmbeddings());
    await store.addVectors([[1, 0]], [doc("a")]);
    await expect(store.addVectors([[1, 0, 0]], [doc("b")])).rejects.toThrow(/3 dimensions/);
    await expect(store.addVectors([[0, 1]], [doc("a")])).rejects.toThrow(/already/);
  });
});
