import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate, openDatabase } from "../../../src/storage/sqlite/database.js";
import { createSqliteFeedback, createSqliteQuestionLog } from "../../../src/storage/sqlite/question-log.js";
import { tempDir } from "../../helpers.js";

describe("the database", () => {
  it("creates its file in WAL mode with the schema, and migrates only once", async () => {
    const path = join(await tempDir(), "nested", "bot.sqlite");
    const db = openDatabase(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDatabase(path);
    expect(again.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({
      n: MIGRATIONS.length,
    });
    again.close();
  });

  it("keeps questions with their outcome, feedback, and the most frequent unanswered", async () => {
    const db = openDatabase(":memory:");
    const log = createSqliteQuestionLog(db);
    const feedback = createSqliteFeedback(db);
    const base = {
      channel: "telegram",
      chatId: "1",
      userId: "2",
      topScore: 0,
      coverage: 0,
      latencyMs: 3.4,
      citations: [],
    };
    await log.record({ ...base, question: "Giá xăng hôm nay?", status: "not_found" });
    await log.record({ ...base, question: "giá xăng hôm nay?  ", status: "not_found" });
    await log.record({ ...base, question: "Ai ký kế hoạch?", status: "not_found" });
    const id = await log.record({ ...base, question: "KL 43?", status: "answered", citations: ["kh:p1"] });
    expect(await feedback.set(id, 1)).toBe(true);
    expect(await feedback.set(9999, -1)).toBe(false);
    expect((await log.recent(1))[0]).toMatchObject({ id, feedback: 1, citations: ["kh:p1"], latencyMs: 3 });
    expect((await log.topUnanswered(5)).map((q) => q.count)).toEqual([2, 1]);
  });

  it("keeps the question log of an older database when it learns the partial grade", async () => {
    const path = join(await tempDir(), "bot.sqlite");
    const old = new Database(path);
    // The schema as the previous release left it (migrations 1–3), with one question logged.
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
      old.exec(m.sql);
      old.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(m.version, m.name, "2026-01-01");
    }
    old
      .prepare(
        `INSERT INTO questions (asked_at, channel, chat_id, user_id, question, status, top_score, coverage, latency_ms, citations, feedback)
         VALUES ('2026-01-02T00:00:00.000Z', 'telegram', '1', '2', 'KL 43?', 'answered', 1, 0.9, 3, '["kh:p1"]', 1)`,
      )
      .run();
    expect(() =>
      old
        .prepare(
          "INSERT INTO questions (asked_at, channel, chat_id, user_id, question, status, top_score, coverage, latency_ms) VALUES ('x', 't', '1', '2', 'q', 'partial', 0, 0, 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
    old.close();
    const db = openDatabase(path);
    const log = createSqliteQuestionLog(db);
    expect(await log.recent(5)).toMatchObject([
      { question: "KL 43?", status: "answered", feedback: 1, citations: ["kh:p1"] },
    ]);
    const base = {
      channel: "zalo",
      chatId: "3",
      userId: "4",
      topScore: 0.2,
      coverage: 0.4,
      latencyMs: 2,
      citations: ["x:1"],
    };
    await log.record({ ...base, question: "Phụ cấp trưởng thôn bao nhiêu?", status: "partial" });
    expect((await log.recent(1))[0]).toMatchObject({ status: "partial" });
    // The administrators' list of what the bot could not answer includes partial answers.
    expect((await log.topUnanswered(5)).map((q) => q.question)).toEqual(["Phụ cấp trưởng thôn bao nhiêu?"]);
    db.close();
  });
});
