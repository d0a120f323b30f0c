import { describe, expect, it } from "vitest";
import { createRetention } from "../../src/storage/retention.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";

describe("question-log retention", () => {
  it("deletes questions and conversations older than the retention, keeps the others, and drops used sign-in links", async () => {
    const clock = { now: new Date("2026-06-01T00:00:00Z") };
    const storage = openSqliteStorage(":memory:", () => clock.now);
    const q = (question: string) => ({
      channel: "telegram",
      chatId: "c",
      userId: "u",
      question,
      status: "answered" as const,
      topScore: 1,
      coverage: 1,
      latencyMs: 1,
      citations: [],
    });
    await storage.questions.record(q("cũ"));
    await storage.sessions.set("telegram:old", { question: "cũ", citations: [] });
    const quiz = await storage.quizzes.create(
      {
        channel: "telegram",
        chatId: "-100",
        chatType: "group",
        createdBy: "telegram:1",
        questions: [
          { itemId: "i1", question: "Câu 1", options: ["a", "b", "c"], correct: 1, explanation: "b" },
        ],
        seconds: 30,
      },
      clock.now.toISOString(),
    );
    const answer = (userId: string) => ({
      quizId: quiz,
      question: 0,
      channel: "telegram",
      chatId: "-100",
      userId,
      userName: `Người ${userId}`,
      option: 1,
      correct: true,
    });
    await storage.quizzes.answer(answer("7"), clock.now.toISOString());
    clock.now = new Date("2026-11-20T00:00:00Z");
    await storage.questions.record(q("mới"));
    await storage.quizzes.answer(answer("8"), clock.now.toISOString());
    await storage.sessions.set("telegram:new", { question: "mới", citations: [] });
    await storage.webSignIn.createLink(
      "h",
      "telegram:1",
      clock.now.toISOString(),
      "2026-11-20T00:10:00.000Z",
    );
    clock.now = new Date("2026-12-01T00:00:00Z");
    // A user who asked two days ago, one who asked a minute ago (shared rate limits).
    await storage.rateLimits.take("telegram:old", 5, 60_000, clock.now.getTime() - 2 * 86_400_000);
    await storage.rateLimits.take("telegram:new", 5, 60_000, clock.now.getTime() - 60_000);
    const log = memoryLogger();
    const retention = createRetention({
      ...storage,
      retentionDays: 90,
      sessionIdleMinutes: 30,
      logger: log.logger,
      now: () => clock.now,
    });
    expect(await retention.prune()).toEqual({
      questions: 1,
      conversations: 1,
      quizAnswers: 1,
      signIn: 1,
      rateLimits: 1,
    });
    // A quiz answer keeps a user id and a name: it goes after the same number of days.
    expect((await storage.quizzes.answers()).map((a) => a.userId)).toEqual(["8"]);
    expect(await storage.sessions.get("telegram:old")).toBeUndefined();
    expect(await storage.sessions.get("telegram:new")).toEqual({ question: "mới", citations: [] });
    expect((await storage.questions.recent(10)).map((x) => x.question)).toEqual(["mới"]);
    expect(log.lines().some((l) => l.questions === 1 && l.quizAnswers === 1 && l.days === 90)).toBe(true);
    expect(await retention.prune()).toEqual({
      questions: 0,
      conversations: 0,
      quizAnswers: 0,
      signIn: 0,
      rateLimits: 0,
    });
  });
});
