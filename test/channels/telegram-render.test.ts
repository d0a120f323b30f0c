import { describe, expect, it } from "vitest";
import type { Citation } from "../../src/answer/citations.js";
import { renderAnswerText, renderReply } from "../../src/channels/plain-text.js";
import { addressing } from "../../src/channels/telegram/bot.js";
import { callbackData, escapeHtml, MAX_MESSAGE, renderTelegram } from "../../src/channels/telegram/render.js";
import { loadPrompts } from "../../src/prompts.js";

const { replies } = await loadPrompts();

const citation = (text: string, n: number): Citation => ({
  passageId: `p${n}`,
  documentId: "d",
  title: "Văn bản <mẫu>",
  section: "II › 2",
  label: "II.2",
  quote: [
    { text: `${text} `, mark: false },
    { text: "dân vận & <b>", mark: true },
  ],
  passage: text,
  score: 1,
});

describe("Telegram rendering", () => {
  it("escapes document and user text", () => {
    expect(escapeHtml("a < b & c > d")).toBe("a &lt; b &amp; c &gt; d");
    const [m] = renderTelegram({ kind: "text", text: "Tôi chưa hiểu lệnh /<script>" }, replies);
    expect(m?.html).toBe("Tôi chưa hiểu lệnh /&lt;script&gt;");
  });

  it("says plainly when the citations are only the closest passages, on Telegram and in plain text", () => {
    const reply = {
      kind: "answer" as const,
      firstNumber: 1,
      questionId: 8,
      answer: {
        question: "Phụ cấp của trưởng thôn là bao nhiêu tiền?",
        status: "partial" as const,
        citations: [citation("Trưởng thôn được hưởng phụ cấp.", 1)],
        coverage: 0.4,
        topScore: 1,
      },
    };
    const [m] = renderTelegram(reply, replies);
    expect(m?.html.startsWith(escapeHtml(replies.answer_partial_intro))).toBe(true);
    expect(m?.html).toContain("<blockquote>Trưởng thôn được hưởng phụ cấp.");
    expect(m?.html).not.toContain(escapeHtml(replies.answer_intro));
    const text = renderAnswerText(reply.answer, replies, { color: false });
    expect(text.split("\n")[0]).toBe(replies.answer_partial_intro);
    expect(text).toContain("[1] «Trưởng thôn được hưởng phụ cấp. dân vận & <b>»");
    // The grade is said in words a person reads, not as a status code.
    expect(replies.answer_partial_intro).toMatch(/chưa tìm thấy đoạn nào nói đúng/);
  });

  it("lists documents with their kind, number, issuer and date under the title", () => {
    const reply = {
      kind: "documents" as const,
      documents: [
        {
          title: "Luật Thực hiện dân chủ ở cơ sở",
          shortTitle: "Luật 10/2022/QH15",
          passages: 700,
          details: "Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022",
        },
        { title: "Ghi chú <nội bộ>", shortTitle: "Ghi chú", passages: 3, details: "" },
      ],
    };
    const [m] = renderTelegram(reply, replies);
    expect(m?.html).toContain(
      "1. Luật Thực hiện dân chủ ở cơ sở (700 đoạn)\n<i>Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022</i>",
    );
    expect(m?.html).toContain("2. Ghi chú &lt;nội bộ&gt; (3 đoạn)");
    expect(m?.html).not.toContain("<i></i>");
    const text = renderReply(reply, replies, { color: false });
    expect(text.split("\n")).toEqual([
      replies.documents_header,
      "1. Luật Thực hiện dân chủ ở cơ sở (700 đoạn)",
      "   Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022",
      "2. Ghi chú <nội bộ> (3 đoạn)",
    ]);
  });

  it("quotes excerpts in blockquotes, marks words in bold, cites under each", () => {
    const [m] = renderTelegram(
      {
        kind: "answer",
        firstNumber: 1,
        questionId: 7,
        answer: {
          question: "q",
          status: "answered",
          citations: [citation("Một câu.", 1)],
          coverage: 1,
          topScore: 1,
        },
      },
      replies,
    );
    expect(m?.html).toContain(
      "[1] <blockquote>Một câu. <b>dân vận &amp; &lt;b&gt;</b></blockquote>\n<i>— Văn bản &lt;mẫu&gt; · II.2</i>",
    );
    expect(m?.keyboard?.[0]).toEqual([{ text: "📄 Nguồn 1", callback_data: "s:7:1" }]);
  });

  it("splits a long answer between blocks, every message under the limit with balanced tags", () => {
    const long = "Cán bộ dân vận phải gần dân, hiểu dân, học dân và có trách nhiệm với dân. ".repeat(40);
    const messages = renderTelegram(
      {
        kind: "answer",
        firstNumber: 1,
        questionId: 1,
        answer: {
          question: "q",
          status: "answered",
          citations: [1, 2, 3].map((n) => citation(long, n)),
          coverage: 1,
          topScore: 1,
        },
      },
      replies,
    );
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.html.length).toBeLessThanOrEqual(MAX_MESSAGE);
      expect((m.html.match(/<blockquote>/g) ?? []).length).toBe(
        (m.html.match(/<\/blockquote>/g) ?? []).length,
      );
      expect(m.html).not.toMatch(/&[a-z]*$/);
    }
    expect(messages.at(-1)?.keyboard).toBeDefined();
    expect(messages.slice(0, -1).every((m) => m.keyboard === undefined)).toBe(true);
  });

  it("splits a passage longer than a message at sentence ends", () => {
    const passage = "Một câu dài về công tác dân vận ở cơ sở. ".repeat(300);
    const messages = renderTelegram(
      { kind: "source", number: 1, citation: { ...citation("x", 1), passage } },
      replies,
    );
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(m.html.length).toBeLessThanOrEqual(MAX_MESSAGE);
  });

  it("keeps callback data short and reads it back", () => {
    expect(Buffer.byteLength(callbackData.source(999_999_999_999, 12))).toBeLessThanOrEqual(64);
    expect(callbackData.parse("f:12:-1")).toEqual({ kind: "feedback", questionId: 12, value: -1 });
    expect(callbackData.parse("s:12:3")).toEqual({ kind: "source", questionId: 12, n: 3 });
    expect(callbackData.parse("nonsense")).toBeUndefined();
  });

  it("tells when a group message addresses the bot", () => {
    expect(addressing("/hoi@DanVanBot kl43", "group", "DanVanBot", 1)).toEqual({
      text: "/hoi kl43",
      addressed: true,
    });
    expect(addressing("/hoi@OtherBot kl43", "group", "DanVanBot", 1).addressed).toBe(false);
    expect(addressing("@DanVanBot mttq là gì", "group", "DanVanBot", 1)).toEqual({
      text: "mttq là gì",
      addressed: true,
    });
    expect(addressing("chào mọi người", "group", "DanVanBot", 1).addressed).toBe(false);
    expect(addressing("nói rõ hơn", "group", "DanVanBot", 1, 1).addressed).toBe(true);
    expect(addressing("chào", "private", "DanVanBot", 1).addressed).toBe(true);
  });
});
