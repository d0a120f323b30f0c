import { afterAll, describe, expect, it } from "vitest";
import { excerptOf, shortSection } from "../../src/answer/citations.js";
import { checkWritten, createAnswerer } from "../../src/answer/compose.js";
import { bestSentences, highlight, questionKeywords } from "../../src/answer/extract.js";
import { createOpenAiChat } from "../../src/answer/llm.js";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { loadPrompts } from "../../src/prompts.js";
import { indexInMemory } from "../../src/search/index-store.js";
import { retrieverOf } from "../../src/search/retriever.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { startFakeOpenAi } from "../fakes/openai-server.js";
import { KNOWLEDGE } from "../helpers.js";

const { documents } = await loadKnowledge(KNOWLEDGE);
const retriever = retrieverOf(await indexInMemory(documents));
const prompts = await loadPrompts();

describe("extractive answers", () => {
  const answerer = createAnswerer({ retriever: () => retriever, prompts, logger: memoryLogger().logger });

  it("quotes the sentence that answers after its list's lead-in, not the whole passage, with its citation", async () => {
    const a = await answerer.answer("Cán bộ dân vận cần chống những khuynh hướng nào?");
    expect(a.status).toBe("answered");
    const first = a.citations[0];
    expect(first && excerptOf(first)).toBe(
      "2. Tập trung làm tốt công tác dân vận của các cơ quan Nhà nước, trọng tâm là: … Chống các khuynh hướng mị dân, kích động dân trước những hiện tượng tiêu cực.",
    );
    expect(first?.passage.length).toBeGreaterThan((first && excerptOf(first).length) ?? 0);
    expect(first?.title).toBe("Kế hoạch thực hiện KL 43-KL/TW");
    expect(first?.label).toBe("II.2, gạch đầu dòng 2");
  });

  it("marks the question's words in the quote", async () => {
    const a = await answerer.answer("hội quần chúng tự đảm bảo kinh phí thế nào");
    const marked = a.citations[0]?.quote.filter((s) => s.mark).map((s) => s.text.toLowerCase());
    expect(marked).toContain("hội quần chúng");
    expect(marked?.some((m) => m.includes("kinh phí"))).toBe(true);
  });

  it("gives at most three citations, none quoting the same text", async () => {
    const a = await answerer.answer("công tác dân vận của các cơ quan Nhà nước");
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations.length).toBeLessThanOrEqual(3);
    expect(new Set(a.citations.map(excerptOf)).size).toBe(a.citations.length);
  });

  it("shows the next citations on a follow-up, and nothing twice", async () => {
    const first = await answerer.answer("vai trò của Nhân dân");
    const more = await answerer.answer("vai trò của Nhân dân", { offset: first.citations.length });
    const ids = [...first.citations, ...more.citations].map((c) => c.passageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("answers not_found without citations when the documents do not cover the question", async () => {
    const a = await answerer.answer("Lịch thi đấu bóng chuyền tuần này?");
    expect(a).toMatchObject({ status: "not_found", citations: [] });
  });
  it("grades a question the documents nearly answer as partial, still quoted and cited", async () => {
    const loaded = await indexInMemory(documents);
    // Between the two thresholds: the closest passages are shown, marked as not an exact answer.
    loaded.index.setPolicy({ minCoverage: 1.01, partialCoverage: 0.3 });
    const nearly = retrieverOf(loaded);
    const partial = createAnswerer({ retriever: () => nearly, prompts, logger: memoryLogger().logger });
    const a = await partial.answer("Hội quần chúng tự đảm bảo kinh phí thế nào?");
    expect(a.status).toBe("partial");
    expect(a.citations[0]?.label).toBe("II.3, đoạn 2");
    expect(await partial.answer("Lịch thi đấu bóng chuyền tuần này?")).toMatchObject({
      status: "not_found",
      citations: [],
    });
  });

  it("caps at partial a question asking for what the passage does not hold (a count)", async () => {
    // The plan speaks of Nghị quyết 25 but never counts its chapters.
    const loaded = await indexInMemory(documents);
    loaded.index.setPolicy({ minCoverage: 0.2, partialCoverage: 0.2 });
    const r = await retrieverOf(loaded).search("Nghị quyết 25-NQ/TW có mấy chương?", 3);
    expect(r.grade).toBe("partial");
    expect(r.answered).toBe(false);
  });
});

describe("quoting a list", () => {
  const law = `Điều 5. Quyền và nhiệm vụ của Ban Giám sát

1. Ban Giám sát có các quyền hạn sau đây:

a) Yêu cầu chủ đầu tư và các cơ quan quản lý cung cấp đầy đủ thông tin về chương trình, dự án đầu tư công trên địa bàn xã theo quy định của pháp luật về đầu tư công và pháp luật có liên quan đến hoạt động giám sát;

b) Kiến nghị với cơ quan có thẩm quyền tạm dừng thi công công trình khi phát hiện có vi phạm nghiêm trọng chất lượng, gây thất thoát, lãng phí hoặc ảnh hưởng đến an toàn của cộng đồng dân cư ở nơi thực hiện dự án;

c) Tham dự các cuộc họp của Hội đồng nhân dân, Ủy ban nhân dân cấp xã có nội dung liên quan đến chương trình, dự án mà Ban Giám sát chịu trách nhiệm kiểm tra, giám sát và được phát biểu ý kiến;

d) Được bồi dưỡng kiến thức, nghiệp vụ giám sát đầu tư của cộng đồng theo chương trình do Ủy ban Mặt trận Tổ quốc Việt Nam cấp tỉnh tổ chức hằng năm.

2. Ban Giám sát có các nhiệm vụ sau đây:

a) Theo dõi tiến độ thi công công trình.

b) Báo cáo kết quả giám sát với Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã.
`;
  const doc = {
    id: "luat-mau",
    title: "Luật mẫu",
    shortTitle: "Luật mẫu",
    source: "luat-mau.txt",
    hash: "",
    meta: {},
    text: law,
  };

  it("quotes a list item with the lead-in it belongs to, never the lead-in alone", async () => {
    const loaded = await indexInMemory([doc], { kind: "none" });
    loaded.index.setPolicy({ minCoverage: 0, partialCoverage: 0 });
    const answerer = createAnswerer({
      retriever: () => retrieverOf(loaded),
      prompts,
      logger: memoryLogger().logger,
    });
    const a = await answerer.answer("Ban Giám sát có được tham dự cuộc họp của Hội đồng nhân dân xã không?");
    const first = a.citations[0];
    expect(first?.label).toBe("Điều 5, khoản 1, điểm c");
    expect(first && excerptOf(first)).toMatch(
      /^1\. Ban Giám sát có các quyền hạn sau đây: … c\) Tham dự các cuộc họp/,
    );
    // A short list is one passage: its lead-in is quoted once, with the items.
    const duties = await answerer.answer("Ban Giám sát có những nhiệm vụ gì?");
    const quote = duties.citations[0] && excerptOf(duties.citations[0]);
    expect(quote).toContain("2. Ban Giám sát có các nhiệm vụ sau đây:");
    expect(quote?.match(/nhiệm vụ sau đây/g)).toHaveLength(1);
    for (const c of [...a.citations, ...duties.citations])
      expect(excerptOf(c).trimEnd().endsWith(":")).toBe(false);
  });
});

describe("quoting helpers", () => {
  it("labels sections compactly", () => {
    expect(shortSection(["II. NHIỆM VỤ, GIẢI PHÁP", "2", "gạch đầu dòng 3"])).toBe("II.2, gạch đầu dòng 3");
    expect(shortSection(["II. NHIỆM VỤ, GIẢI PHÁP", "3", "đoạn 2"])).toBe("II.3, đoạn 2");
    expect(shortSection(["Chương I", "Điều 2", "khoản 1", "điểm a"])).toBe(
      "Chương I, Điều 2, khoản 1, điểm a",
    );
    expect(shortSection([])).toBe("phần mở đầu");
  });

  it("joins adjacent marked words into one run", () => {
    const segments = highlight("phát huy vai trò của Mặt trận Tổ quốc", questionKeywords("mat tran to quoc"));
    expect(segments).toEqual([
      { text: "phát huy vai trò của ", mark: false },
      { text: "Mặt trận Tổ quốc", mark: true },
    ]);
  });

  it("adds the next sentence when the best one only introduces it", () => {
    const text = "Nội dung gồm:. Một là kinh phí hoạt động của hội. Hai là khác.";
    expect(
      bestSentences(
        "Trọng tâm là kinh phí. Nhà nước cấp kinh phí cho hội quần chúng theo nhiệm vụ được giao. Ngoài ra.",
        questionKeywords("kinh phi hoi quan chung"),
      ),
    ).toBe("Nhà nước cấp kinh phí cho hội quần chúng theo nhiệm vụ được giao.");
    expect(bestSentences(text, questionKeywords("kinh phí hoạt động"))).toContain(
      "Một là kinh phí hoạt động của hội.",
    );
  });
});

describe("written answers from a language model", async () => {
  const server = await startFakeOpenAi();
  afterAll(() => server.close());
  const log = memoryLogger();
  const llm = createOpenAiChat({
    baseUrl: server.baseUrl,
    model: "test-model",
    apiKey: "sk-secret-123",
    timeoutMs: 400,
  });
  const answerer = createAnswerer({ retriever: () => retriever, prompts, logger: log.logger, llm });
  const question = "Hội quần chúng tự đảm bảo kinh phí thế nào?";

  it("uses a written answer whose markers point at the citations", async () => {
    server.respond({
      content:
        "Hội quần chúng tự đảm bảo kinh phí hoạt động; Nhà nước chỉ cấp kinh phí cho nhiệm vụ được giao [1].",
    });
    const a = await answerer.answer(question);
    expect(a.text).toContain("[1]");
    expect(a.citations.length).toBeGreaterThan(0);
    const req = server.requests.at(-1);
    expect(req?.path).toBe("/v1/chat/completions");
    expect(req?.headers.authorization).toBe("Bearer sk-secret-123");
    expect(req?.body.model).toBe("test-model");
    expect(req?.body.messages?.[0]?.content).toContain("Chỉ trả lời dựa trên các đoạn trích");
    expect(req?.body.messages?.[1]?.content).toContain(question);
    expect(req?.body.messages?.[1]?.content).toContain("tự đảm bảo kinh phí hoạt động");
  });

  it.each([
    ["a marker that points at no passage", { content: "Theo văn bản [9], hội tự lo." }],
    ["no marker at all", { content: "Hội tự lo kinh phí." }],
    ["the model saying the passages are not enough", { content: "KHÔNG ĐỦ THÔNG TIN" }],
    ["a server error", { status: 500 }],
    ["a timeout", { delayMs: 1500, content: "muộn [1]" }],
    ["a malformed reply", { raw: "{not json" }],
  ])("falls back to the extractive answer on %s", async (_name, behaviour) => {
    server.respond(behaviour);
    const a = await answerer.answer(question);
    expect(a.status).toBe("answered");
    expect(a.text).toBeUndefined();
    expect(a.citations[0] && excerptOf(a.citations[0])).toContain("tự đảm bảo kinh phí");
  });

  it("never writes the API key into the logs", () => {
    expect(log.text()).not.toContain("sk-secret-123");
    expect(log.text()).toContain(server.baseUrl);
  });

  it("checks markers", () => {
    expect(checkWritten("Đúng vậy [1][2].", 2)).toBeUndefined();
    expect(checkWritten("Đúng vậy [3].", 2)).toMatch(/\[3\]/);
  });
});
