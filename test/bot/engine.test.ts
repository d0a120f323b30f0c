import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { excerptOf } from "../../src/answer/citations.js";
import type { EngineDeps } from "../../src/bot/engine.js";
import type { Incoming, Reply } from "../../src/bot/types.js";
import { fill } from "../../src/prompts.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { tempDir } from "../helpers.js";
import { prompts, testEngine } from "./test-engine.js";

const r = prompts.replies;
/** The help everyone reads: the lines of the commands anyone may use, in the registry's order. */
const help = fill(r.help, {
  commands: [r.help_ask, r.help_source, r.help_more, r.help_documents, r.help_study, r.help_help].join("\n"),
});

function setup(options: EngineDeps["options"] = {}, now?: () => number) {
  const { engine, questionLog, log } = testEngine({ options, now });
  const say = async (text: string, extra: Partial<Incoming> = {}) => {
    const replies = await engine.handle({
      channel: "console",
      chatId: "c1",
      chatType: "private",
      userId: "u1",
      text,
      addressed: true,
      ...extra,
    });
    // No reply ever shows a person an unfilled placeholder.
    for (const reply of replies) if (reply.kind === "text") expect(reply.text).not.toMatch(/[{}]|#\?/);
    return replies;
  };
  return { engine, questionLog, say, log };
}

const only = (replies: Reply[]) => {
  expect(replies).toHaveLength(1);
  return replies[0] as Reply;
};
const textOf = (replies: Reply[]) => {
  const reply = only(replies);
  if (reply.kind !== "text") throw new Error(`expected text, got ${reply.kind}`);
  return reply.text;
};

describe("the engine", () => {
  it("welcomes with the documents it knows, and helps", async () => {
    const { say } = setup();
    expect(textOf(await say("/start"))).toContain("Kế hoạch thực hiện KL 43-KL/TW");
    expect(textOf(await say("/batdau"))).toContain("Xin chào");
    expect(textOf(await say("/trogiup"))).toBe(help);
    expect(textOf(await say("/help@DanVanBot"))).toBe(help);
  });

  it("answers a question with citations and logs it", async () => {
    const { say, questionLog } = setup();
    const reply = only(await say("Kết luận 43 ban hành ngày nào?"));
    expect(reply.kind).toBe("answer");
    if (reply.kind !== "answer") return;
    expect(reply.answer.status).toBe("answered");
    expect(reply.answer.citations[0] && excerptOf(reply.answer.citations[0])).toContain("ngày 07/01/2019");
    const [logged] = await questionLog.recent(1);
    expect(logged).toMatchObject({
      id: reply.questionId,
      status: "answered",
      channel: "console",
      chatId: "c1",
      userId: "u1",
    });
    expect(logged?.citations[0]).toBe(reply.answer.citations[0]?.passageId);
  });

  it("answers /hoi and asks what to ask when it is empty", async () => {
    const { say } = setup();
    expect(only(await say("/hoi mttq đổi mới phương thức hoạt động thế nào")).kind).toBe("answer");
    expect(textOf(await say("/hoi"))).toBe(r.ask_empty);
  });

  it("shows a cited source in full on /nguon 2 and 'xem nguồn 2'", async () => {
    const { say } = setup();
    const answer = only(await say("công tác dân vận của các cơ quan Nhà nước"));
    if (answer.kind !== "answer") throw new Error("no answer");
    const second = answer.answer.citations[1];
    for (const text of ["/nguon 2", "xem nguồn 2", "xem nguon 2", "Nguồn 2"]) {
      const reply = only(await say(text));
      expect(reply).toMatchObject({ kind: "source", number: 2 });
      if (reply.kind === "source") expect(reply.citation.passage).toBe(second?.passage);
    }
    expect(textOf(await say("xem nguồn 9"))).toContain("Không có nguồn số 9");
  });

  it("says there is no source before any question", async () => {
    const { say } = setup();
    expect(textOf(await say("xem nguồn 1"))).toBe(r.source_none);
  });

  it("says the last answer had no source when the documents did not answer it", async () => {
    const { say } = setup();
    await say("Giá xăng hôm nay?");
    expect(textOf(await say("xem nguồn 1"))).toBe(r.source_no_citations);
  });

  it("continues the previous question on 'còn gì nữa không?', numbering on", async () => {
    const { say, questionLog } = setup();
    const first = only(await say("vai trò của Nhân dân"));
    if (first.kind !== "answer") throw new Error("no answer");
    const more = only(await say("còn gì nữa không?"));
    expect(more.kind).toBe("answer");
    if (more.kind !== "answer") return;
    expect(more.firstNumber).toBe(first.answer.citations.length + 1);
    expect(more.answer.question).toBe("vai trò của Nhân dân");
    const shown = [...first.answer.citations, ...more.answer.citations].map((c) => c.passageId);
    expect(new Set(shown).size).toBe(shown.length);
    const n = more.firstNumber;
    const src = only(await say(`xem nguồn ${n}`));
    expect(src.kind === "source" && src.citation.passageId).toBe(more.answer.citations[0]?.passageId);
    expect(await questionLog.recent(10)).toHaveLength(1);
  });

  it("asks for a question when a follow-up comes first", async () => {
    const { say } = setup();
    expect(textOf(await say("nói rõ hơn"))).toBe(r.no_previous);
  });

  it("lists the documents", async () => {
    const { say } = setup();
    const reply = only(await say("/tailieu"));
    expect(reply).toMatchObject({
      kind: "documents",
      // Kind and issuer from the plan's metadata, shown under its title.
      documents: [
        { shortTitle: "Kế hoạch thực hiện KL 43-KL/TW", details: "Kế hoạch · Ban Thường vụ Tỉnh ủy" },
      ],
    });
  });

  it("says kindly when the documents do not answer, and logs it as not found", async () => {
    const { say, questionLog } = setup();
    const reply = only(await say("Giá xăng hôm nay?"));
    expect(reply.kind === "answer" && reply.answer.status).toBe("not_found");
    // The finished reply, the same on every channel: the documents it knows named.
    expect(reply.kind === "answer" && reply.notFound).toBe(
      fill(r.not_found, { documents: "Kế hoạch thực hiện KL 43-KL/TW" }),
    );
    expect(await questionLog.topUnanswered(5)).toEqual([
      expect.objectContaining({ question: "Giá xăng hôm nay?", count: 1 }),
    ]);
  });

  it("stays silent in a group unless addressed", async () => {
    const { say } = setup();
    expect(await say("Kết luận 43 ban hành ngày nào?", { chatType: "group", addressed: false })).toEqual([]);
    expect(
      only(await say("Kết luận 43 ban hành ngày nào?", { chatType: "group", addressed: true })).kind,
    ).toBe("answer");
  });

  it("answers empty, blank and emoji-only messages with help", async () => {
    const { say } = setup();
    for (const text of ["", "   ", "😀👍", "???"]) expect(textOf(await say(text))).toBe(help);
  });

  it("refuses a message over the length limit without processing it", async () => {
    const { say, questionLog } = setup({ maxQuestionLength: 50 });
    expect(textOf(await say("dân vận ".repeat(20)))).toContain("dưới 50 ký tự");
    expect(await questionLog.recent(5)).toEqual([]);
  });

  it("counts a message's length in characters as a person does, not in UTF-16 units", async () => {
    const { say } = setup({ maxQuestionLength: 50 });
    // 29 👍 (two UTF-16 units each), one family of four joined into one emoji (11 units), and
    // 39 letters and spaces: 69 characters a person counts, 108 UTF-16 units.
    const text = `${"👍".repeat(29)}👨‍👩‍👧‍👦${"dân vận ".repeat(5).trim()}`;
    expect(text.length).toBe(108);
    expect(textOf(await say(text))).toBe(fill(r.too_long, { length: 69, max: 50 }));
  });

  it("limits questions per user per minute, with a friendly reply", async () => {
    let t = 1_000_000;
    const { say } = setup({ questionsPerMinute: 2 }, () => t);
    expect(only(await say("dân vận")).kind).toBe("answer");
    expect(only(await say("dân vận")).kind).toBe("answer");
    expect(textOf(await say("dân vận"))).toContain("đợi khoảng 60 giây");
    expect(only(await say("dân vận", { userId: "someone-else" })).kind).toBe("answer");
    t += 61_000;
    expect(only(await say("dân vận")).kind).toBe("answer");
  });

  it("names an unknown command", async () => {
    const { say } = setup();
    expect(textOf(await say("/xyz"))).toContain("/xyz");
  });

  it("still answers when the question log cannot be written (a full disk)", async () => {
    const { db, questions: questionLog } = openSqliteStorage(join(await tempDir(), "full.sqlite"));
    // The database may not grow any more: fill it until SQLite says SQLITE_FULL.
    db.pragma(`max_page_count = ${Number(db.pragma("page_count", { simple: true })) + 2}`);
    const full = async () => {
      for (;;)
        await questionLog.record({
          channel: "console",
          chatId: "x",
          userId: "x",
          // The very question asked below, so no room is left for it (with its full-text entry).
          question: "Kết luận 43 ban hành ngày nào?",
          status: "answered",
          topScore: 0,
          coverage: 0,
          latencyMs: 0,
          citations: [],
        });
    };
    await expect(full()).rejects.toThrowError(expect.objectContaining({ code: "SQLITE_FULL" }));
    const { engine, log } = testEngine({ questionLog });
    const replies = await engine.handle({
      channel: "console",
      chatId: "c1",
      chatType: "private",
      userId: "u1",
      text: "Kết luận 43 ban hành ngày nào?",
      addressed: true,
    });
    const reply = only(replies);
    expect(reply.kind === "answer" && reply.answer.status).toBe("answered");
    expect(log.text()).toContain("SQLITE_FULL");
    db.close();
  });

  it("keeps a chat's conversation across a restart on the same database: sources and follow-ups still work", async () => {
    const path = join(await tempDir(), "bot.sqlite");
    const m: Incoming = {
      channel: "telegram",
      chatId: "c9",
      chatType: "private",
      userId: "u9",
      text: "Kết luận 43 ban hành ngày nào?",
      addressed: true,
    };
    const before = openSqliteStorage(path);
    const first = testEngine({ questionLog: before.questions, sessions: before.sessions }).engine;
    const asked = only(await first.handle(m));
    if (asked.kind !== "answer") throw new Error(`expected an answer, got ${asked.kind}`);
    await before.close();
    // A new process: a new engine on the same database file.
    const after = openSqliteStorage(path);
    const second = testEngine({ questionLog: after.questions, sessions: after.sessions }).engine;
    const src = only(await second.handle({ ...m, text: "xem nguồn 1" }));
    expect(src.kind === "source" && src.citation.passageId).toBe(asked.answer.citations[0]?.passageId);
    expect(src.kind === "source" && src.citation.passage).toContain("07/01/2019");
    const more = only(await second.handle({ ...m, text: "còn gì nữa không?" }));
    expect(more.kind === "answer" && more.firstNumber).toBe(asked.answer.citations.length + 1);
    // Another chat has no conversation to follow.
    expect(textOf(await second.handle({ ...m, chatId: "other", text: "xem nguồn 1" }))).toBe(r.source_none);
    await after.close();
  });

  it("routes a button press: a source of a logged question, and 👍/👎 from the asker only", async () => {
    const { engine, say } = setup();
    const asked = only(await say("Kết luận 43 ban hành ngày nào?"));
    if (asked.kind !== "answer" || asked.questionId === undefined)
      throw new Error("expected a logged answer");
    const questionId = asked.questionId;
    const press = (action: Incoming["action"], userId = "u1"): Promise<Reply[]> =>
      engine.handle({
        channel: "console",
        chatId: "c1",
        chatType: "private",
        userId,
        text: "",
        addressed: true,
        action,
      });
    const src = only(await press({ kind: "source", questionId, n: 1 }));
    expect(src.kind === "source" && src.citation.passageId).toBe(asked.answer.citations[0]?.passageId);
    expect(textOf(await press({ kind: "feedback", questionId, value: 1 }, "someone-else"))).toBe(
      r.feedback_not_yours,
    );
    expect(textOf(await press({ kind: "feedback", questionId, value: 1 }))).toBe(r.feedback_thanks);
    expect(textOf(await press({ kind: "feedback", questionId: questionId + 99, value: -1 }))).toBe(
      r.feedback_not_found,
    );
    // Without the administrators' module there is no notice to confirm.
    expect(await press({ kind: "notice", broadcastId: 1, send: true })).toEqual([]);
  });

  it("does not log the text of questions at info level", async () => {
    const { say, log } = setup();
    await say("Kết luận 43 ban hành ngày nào?");
    expect(log.text()).not.toContain("Kết luận 43 ban hành");
  });
});
