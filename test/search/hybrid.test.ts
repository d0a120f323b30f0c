import { FakeEmbeddings } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";
import type { KnowledgeDocument } from "../../src/knowledge/types.js";
import { KnowledgeIndex } from "../../src/search/knowledge-index.js";
import { LexicalIndex } from "../../src/search/lexical.js";
import { HnswVectorStore } from "../../src/search/vector-store.js";
import { everydayFor } from "../../src/text/lexicon.js";

const doc = (id: string, title: string, text: string): KnowledgeDocument => ({
  id,
  title,
  shortTitle: title,
  source: `${id}.md`,
  hash: id,
  meta: {},
  text,
});

const civil = [
  doc(
    "d615",
    "Thực hiện nghĩa vụ tài sản do người chết để lại",
    "Những người hưởng thừa kế có trách nhiệm thực hiện nghĩa vụ tài sản trong phạm vi di sản do người chết để lại, trừ trường hợp có thỏa thuận khác.",
  ),
  doc(
    "d466",
    "Nghĩa vụ trả nợ của bên vay",
    "Bên vay tài sản phải trả đủ khi đến hạn; nếu tài sản là vật thì phải trả vật cùng loại đúng số lượng, chất lượng. Bên vay phải trả lãi theo thỏa thuận.",
  ),
  doc(
    "d116",
    "Mức cấp dưỡng",
    "Mức cấp dưỡng do người có nghĩa vụ cấp dưỡng và người được cấp dưỡng hoặc người giám hộ của người đó thỏa thuận căn cứ vào thu nhập.",
  ),
];

describe("the everyday wording of a passage's official terms", () => {
  it("is read from the lexicon backwards", () => {
    const everyday = everydayFor("Mức cấp dưỡng do người có nghĩa vụ cấp dưỡng thỏa thuận");
    expect(everyday).toContain("tiền nuôi con");
    expect(everydayFor("Giá xăng hôm nay tăng")).toEqual([]);
  });

  it("raises a passage whose official terms the question puts in everyday words", () => {
    const index = KnowledgeIndex.build(civil);
    // No expression of the lexicon is in the question as such: only the passages' everyday field
    // ("trả nợ thay bố", "nợ người mất để lại") links it to the article on a dead person's debts.
    const question = "Bố mất để lại khoản nợ, con cái có phải trả thay không?";
    const scores = () => new Map(index.search(question, 3).hits.map((h) => [h.document.id, h.score]));
    const withField = scores();
    index.setLexiconWeights({ expansion: 0.5, aliases: 0 });
    const without = scores();
    const share = (s: Map<string, number>) => (s.get("d615") ?? 0) / (s.get("d466") ?? 1);
    expect(share(withField)).toBeGreaterThan(1.5 * share(without));
  });

  it("does not add to a passage's score for words the passage says itself", () => {
    const units = (aliases: string[]) => [
      { text: "Nghĩa vụ trả nợ của bên vay", headings: "Điều 466", aliases },
      { text: "Mức cấp dưỡng do các bên thỏa thuận", headings: "Điều 116", aliases: [] },
      { text: "Di sản do người chết để lại", headings: "Điều 615", aliases: [] },
    ];
    const plain = LexicalIndex.build(units([]));
    const withField = LexicalIndex.build(units(["vay tiền", "vay nợ", "quỵt nợ"]));
    const score = (index: LexicalIndex, q: string) => index.search(q, 1).hits[0]?.score ?? 0;
    expect(score(withField, "trả nợ của bên vay")).toBeCloseTo(score(plain, "trả nợ của bên vay"), 9);
    expect(score(plain, "quỵt tiền")).toBe(0);
    expect(score(withField, "quỵt tiền")).toBeGreaterThan(0);
    // Whether the documents answer a question is judged on what they say, not on the field.
    const { hits, coverage } = withField.search("quỵt tiền", 1);
    expect(coverage(hits[0]?.unit ?? -1).coverage).toBe(0);
  });
});

describe("fusion of lexical and vector scores", () => {
  // Vectors chosen by hand: the question points at d116 clearly, or at nothing in particular.
  const vectors: Record<string, number[]> = { d615: [1, 0, 0], d466: [0, 1, 0], d116: [0, 0, 1] };

  async function indexWithVectors(weight: number) {
    const index = KnowledgeIndex.build(civil);
    const store = new HnswVectorStore(new FakeEmbeddings());
    await store.addVectors(
      index.passages.map((p) => vectors[p.docId] ?? [0, 0, 0]),
      index.passages.map((p) => ({ id: p.id, pageContent: "", metadata: {} })),
    );
    return index.withVectors(store, { lead: weight });
  }

  const question = "Bên vay phải trả nợ và cấp dưỡng thế nào?";

  it("raises the passage the vectors single out by its lead over the runner-up", async () => {
    const index = await indexWithVectors(2);
    expect(index.search(question, 3).hits[0]?.document.id).toBe("d466");
    expect(index.search(question, 3, [0.2, 0.1, 0.97]).hits[0]?.document.id).toBe("d116");
  });

  it("leaves the lexical ranking alone when the vectors have no clear favourite", async () => {
    const index = await indexWithVectors(2);
    const ranking = (vector?: number[]) =>
      index.search(question, 3, vector).hits.map((h) => [h.document.id, h.score]);
    const lexical = ranking();
    expect(lexical.map(([id]) => id)).toEqual(["d466", "d116", "d615"]);
    // d615 and d466 tie for the vectors: no lead, nothing changes, not even a score.
    const undecided = [0.7, 0.7, 0];
    expect(ranking(undecided)).toEqual(lexical);
    // Adding every passage's similarity (VECTOR_WEIGHT) would raise both.
    index.setVectorWeights({ cosine: 2, lead: 0 });
    const added = new Map(index.search(question, 3, undecided).hits.map((h) => [h.document.id, h.score]));
    const before = new Map(lexical as [string, number][]);
    expect(added.get("d615")).toBeGreaterThan(before.get("d615") ?? 0);
    expect(added.get("d116")).toBeCloseTo(before.get("d116") ?? 0, 9);
  });

  it("is lexical only with both vector weights at 0", async () => {
    const index = await indexWithVectors(0);
    expect(index.search(question, 3, [0.2, 0.1, 0.97]).hits[0]?.document.id).toBe("d466");
  });
});
