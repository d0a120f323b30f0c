import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../src/storage/database.js";
import { createSqliteQuestionLog } from "../../src/storage/question-log.js";
import { tempDir } from "../helpers.js";

describe("the database", () => {
  it("creates its file in WAL mode with the schema, and migrates only once", async () => {
    const path = join(await tempDir(), "nested", "bot.sqlite");
    const db = openDatabase(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDatabase(path);
    expect(again.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({ n: 3 });
    again.close();
  });

  it("keeps questions with their outcome, feedback, and the most frequent unanswered", () => {
    const db = openDatabase(":memory:");
    const log = createSqliteQuestionLog(db);
    const base = {
      channel: "telegram",
      chatId: "1",
      userId: "2",
      topScore: 0,
      coverage: 0,
      latencyMs: 3.4,
      citations: [],
    };
    log.record({ ...base, question: "Giá xăng hôm nay?", status: "not_found" });
    log.record({ ...base, question: "giá xăng hôm nay?  ", status: "not_found" });
    log.record({ ...base, question: "Ai ký kế hoạch?", status: "not_found" });
    const id = log.record({ ...base, question: "KL 43?", status: "answered", citations: ["kh:p1"] });
    expect(log.setFeedback(id, 1)).toBe(true);
    expect(log.setFeedback(9999, -1)).toBe(false);
    expect(log.recent(1)[0]).toMatchObject({ id, feedback: 1, citations: ["kh:p1"], latencyMs: 3 });
    expect(log.topUnanswered(5).map((q) => q.count)).toEqual([2, 1]);
  });
});
