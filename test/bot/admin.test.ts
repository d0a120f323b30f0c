import { describe, expect, it } from "vitest";
import { createAdmin } from "../../src/bot/admin.js";
import type { Incoming, Reply } from "../../src/bot/types.js";
import { createBroadcastService } from "../../src/broadcast/service.js";
import { fill } from "../../src/prompts.js";
import { openDatabase } from "../../src/storage/database.js";
import { createSqliteQuestionLog } from "../../src/storage/question-log.js";
import { createSqliteSubscriptions } from "../../src/storage/subscriptions.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { prompts } from "./test-engine.js";

const r = prompts.replies;

/** The administrators' commands over a fresh database, at a fixed "now" (Vietnam time given). */
function setup(now = new Date("2026-11-30T01:00:00Z")) {
  const db = openDatabase(":memory:");
  const subscriptions = createSqliteSubscriptions(db);
  for (const chatId of ["c1", "c2"])
    subscriptions.subscribe({ channel: "telegram", chatId, chatType: "private" });
  const broadcasts = createBroadcastService(db, ["telegram"], () => now);
  const questionLog = createSqliteQuestionLog(db);
  const admin = createAdmin({
    subscriptions,
    broadcasts,
    questionLog,
    admins: { telegram: new Set(["a1", "a2"]) },
    replies: r,
    logger: memoryLogger().logger,
    now: () => now,
  });
  const as = (userId: string): Incoming => ({
    channel: "telegram",
    chatId: userId,
    chatType: "private",
    userId,
    text: "",
    addressed: true,
  });
  /** The text a person reads; no reply ever shows an unfilled placeholder. */
  const say = async (userId: string, command: Parameters<typeof admin.handle>[0], arg = "") =>
    textOf(await admin.handle(command, arg, as(userId)));
  return { db, broadcasts, questionLog, admin, say };
}

function textOf(replies: Reply[]): string {
  const texts = replies.map((x) => (x.kind === "text" ? x.text : x.kind === "preview" ? x.text : x.kind));
  for (const t of texts) expect(t).not.toMatch(/[{}]|#\?/);
  return texts.join("\n");
}

describe("/xacnhan and /huy without a number", () => {
  it("says so when the administrator has no notice waiting", async () => {
    const { say } = setup();
    expect(await say("a1", "confirm")).toBe(r.notice_none_pending);
    expect(await say("a1", "cancel")).toBe(r.notice_none_pending);
  });

  it("confirms the only notice waiting for that administrator (another's does not count)", async () => {
    const { say, broadcasts } = setup();
    await say("a2", "notice", "Thông báo của người khác");
    await say("a1", "notice", "Họp giao ban sáng thứ Hai");
    const mine = broadcasts.pendingOf("telegram:a1", ["draft"]);
    expect(mine).toHaveLength(1);
    expect(await say("a1", "confirm")).toContain(`Đang gửi thông báo #${mine[0]?.id} tới 2 cuộc trò chuyện`);
    expect(broadcasts.get(mine[0]?.id as number)?.status).toBe("queued");
  });

  it("lists them, with id and first words, when several wait", async () => {
    const { say, broadcasts } = setup();
    await say("a1", "notice", "Họp giao ban sáng thứ Hai tại hội trường lớn của Ủy ban nhân dân xã");
    await say("a1", "notice", "Tập huấn dân vận khéo");
    const text = await say("a1", "confirm");
    const [first, second] = broadcasts.pendingOf("telegram:a1", ["draft"]);
    expect(text).toContain("/xacnhan");
    expect(text).toContain(`#${first?.id}: Họp giao ban sáng thứ Hai tại hội…`);
    expect(text).toContain(`#${second?.id}: Tập huấn dân vận khéo`);
    expect(broadcasts.get(first?.id as number)?.status).toBe("draft");
    expect(await say("a1", "cancel")).toContain("/huy");
  });

  it("names the number when a given one is not waiting", async () => {
    const { say } = setup();
    expect(await say("a1", "confirm", "42")).toBe("Không có thông báo #42 đang chờ gửi.");
  });
});

describe("/thongke", () => {
  it("counts the questions asked (not the highest id) and names statuses in Vietnamese", async () => {
    const { say, db, questionLog, broadcasts } = setup();
    for (const question of ["a", "b", "c"])
      questionLog.record({
        channel: "telegram",
        chatId: "c1",
        userId: "c1",
        question,
        status: "not_found",
        topScore: 0,
        coverage: 0,
        latencyMs: 1,
        citations: [],
      });
    // Old questions removed (a clean-up): ids are no longer a count.
    db.prepare("DELETE FROM questions WHERE id = 1").run();
    const { id: sent } = broadcasts.draft("Đã gửi", "telegram:a1");
    broadcasts.confirm(sent);
    db.prepare("UPDATE broadcasts SET status = 'done' WHERE id = ?").run(sent);
    const { id: cancelled } = broadcasts.draft("Huỷ", "telegram:a1");
    broadcasts.confirm(cancelled);
    broadcasts.cancel(cancelled);
    const text = await say("a1", "stats");
    expect(text).toContain(fill(r.stats_questions, { count: 2 }));
    expect(text).toContain(`#${sent} (${r.status_done})`);
    expect(text).toContain(`#${cancelled} (${r.status_cancelled})`);
    expect(text).not.toMatch(/\b(done|cancelled|queued|running|scheduled|draft)\b/);
  });
});
