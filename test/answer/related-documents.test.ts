/**
 * The bot on a real knowledge base: the plan plus the laws and decrees of ../shared/knowledge-related,
 * dropped into the knowledge folder with no metadata files, asked what the users asked.
 * Skipped with a message when ../shared/knowledge-related is absent (it is test data, not shipped).
 */
import { existsSync } from "node:fs";
import { readdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { excerptOf } from "../../src/answer/citations.js";
import { createAnswerer } from "../../src/answer/compose.js";
import { notFoundText } from "../../src/bot/engine.js";
import { renderAnswerText, renderReply } from "../../src/channels/plain-text.js";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { describeDocument } from "../../src/knowledge/metadata.js";
import { loadPrompts } from "../../src/prompts.js";
import { indexInMemory } from "../../src/search/index-store.js";
import { retrieverOf } from "../../src/search/retriever.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { KNOWLEDGE, tempDir } from "../helpers.js";

const RELATED = new URL("../../../shared/knowledge-related/", import.meta.url).pathname;

describe.skipIf(!existsSync(RELATED))(
  "the plan with the related laws and decrees (skipped when ../shared/knowledge-related is absent)",
  async () => {
    const dir = await tempDir("danvan-related-");
    for (const f of await readdir(KNOWLEDGE))
      if (f.startsWith("000_")) await symlink(join(KNOWLEDGE, f), join(dir, f));
    for (const f of await readdir(RELATED))
      if (f.endsWith(".txt")) await symlink(join(RELATED, f), join(dir, f));
    const { documents } = await loadKnowledge(dir);
    const loaded = await indexInMemory(documents);
    const retriever = retrieverOf(loaded);
    const prompts = await loadPrompts();
    const answerer = createAnswerer({ retriever: () => retriever, prompts, logger: memoryLogger().logger });
    const r = prompts.replies;

    it("lists the documents by what they are, never by a heading or a symbol", () => {
      const text = renderReply(
        {
          kind: "documents",
          documents: loaded.index.documents.map((d) => ({ ...d, details: describeDocument(d.meta) })),
        },
        r,
        { color: false },
      );
      expect(text).toContain("Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022");
      expect(text).toContain("Quyết định · số 2579/QĐ-UBND");
      expect(text).not.toMatch(/^\d+\. (Chương|Điều|\|)/mu);
    });

    it("answers a citizen who tells a story first, citing the law's article", async () => {
      const a = await answerer.answer(
        "Nhà tôi ở tổ 12, hôm qua phường dán thông báo mời họp nhưng tôi đi làm không dự được, vậy tôi có được góp ý bằng cách khác không?",
      );
      expect(a.status).not.toBe("not_found");
      expect(a.citations[0]?.title).toBe("Luật 10/2022/QH15");
      expect(a.citations[0]?.label).toMatch(/^Điều \d+/);
    });

    it("cites the article on citizens' obligations, by its own number", async () => {
      const a = await answerer.answer("Công dân có những nghĩa vụ gì khi thực hiện dân chủ ở cơ sở?");
      expect(a.status).toBe("answered");
      const text = renderAnswerText(a, r, { color: false });
      expect(text).toContain("— Luật 10/2022/QH15 · Điều 6, khoản");
      expect(text).not.toContain("Điều 44");
    });

    it("finds the article listing the forms of the Front's supervision", async () => {
      const a = await answerer.answer("Mặt trận giám sát bằng những hình thức nào?");
      expect(a.citations[0]).toMatchObject({
        title: "Luật 75/2015/QH13",
        label: expect.stringMatching(/^Điều 27\b/),
      });
    });

    it("quotes the rights of the community investment supervision board with their lead-in", async () => {
      const a = await answerer.answer("ban giam sat dau tu cong dong co quyen gi");
      const first = a.citations[0];
      expect(first?.label).toMatch(/^Điều 43, khoản 2/);
      expect(first && excerptOf(first)).toMatch(
        /^2\. Ban Giám sát đầu tư của cộng đồng có các quyền hạn sau đây: … /,
      );
    });

    it("never quotes a heading or a lead-in alone, nor a codification note", async () => {
      for (const q of [
        "dan van la gi",
        "ban giam sat dau tu cong dong co quyen gi",
        "Ban Thanh tra nhân dân có nhiệm vụ gì?",
      ]) {
        for (const c of (await answerer.answer(q)).citations) {
          const quote = excerptOf(c);
          expect(quote.trimEnd().endsWith(":"), quote).toBe(false);
          expect(quote).not.toMatch(/Điều này có nội dung liên quan|Điều \d+\.\d+\.|\|/u);
        }
      }
    });

    it("says plainly when nothing in the documents is close, and names the documents", async () => {
      const a = await answerer.answer("Thời tiết Hà Nội cuối tuần này có mưa không?");
      expect(a.status).toBe("not_found");
      const notFound = notFoundText(
        r,
        loaded.index.documents.map((d) => d.shortTitle),
      );
      expect(renderAnswerText(a, r, { color: false }, 1, notFound)).toContain("Luật 10/2022/QH15");
    });
  },
);
