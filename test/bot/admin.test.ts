import { describe, expect, it } from "vitest";
import { createAdmin, formatVietnamTime, parseVietnamTime } from "../../src/bot/admin.js";
import type { Incoming, Reply } from "../../src/bot/types.js";
import { createBroadcastService } from "../../src/broadcast/service.js";
import { fill } from "../../src/prompts.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { prompts } from "./test-engine.js";

const r = prompts.replies;

/** The administrators' commands over a fresh database, at a fixed "now" (Vietnam time given). */
async function setup(now = new Date("2026-11-30T01:00:00Z")) {
  const storage = openSqliteStorage(":memory:");
  const { db, subscriptions, questions: questionLog } = storage;
  for (const chatId of ["c1", "c2"])
    await subscriptions.subscribe({ channel: "telegram", chatId, chatType: "private" });
  const broadcasts = createBroadcastService(storage, ["telegram"], () => now);
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
    const { say } = await setup();
    expect(await say("a1", "confirm")).toBe(r.notice_none_pending);
    expect(await say("a1", "cancel")).toBe(r.notice_none_pending);
  });

  it("confirms the only notice waiting for that administrator (another's does not count)", async () => {
    const { say, broadcasts } = await setup();
    await say("a2", "notice", "Thông báo của người khác");
    await say("a1", "notice", "Họp giao ban sáng thứ Hai");
    const mine = await broadcasts.pendingOf("telegram:a1", ["draft"]);
    expect(mine).toHaveLength(1);
    expect(await say("a1", "confirm")).toContain(`Đang gửi thông báo #${mine[0]?.id} tới 2 cuộc trò chuyện`);
    expect((await broadcasts.get(mine[0]?.id as number))?.status).toBe("queued");
  });

  it("lists them, with id and first words, when several wait", async () => {
    const { say, broadcasts } = await setup();
    await say("a1", "notice", "Họp giao ban sáng thứ Hai tại hội trường lớn của Ủy ban nhân dân xã");
    await say("a1", "notice", "Tập huấn dân vận khéo");
    const text = await say("a1", "confirm");
    const [first, second] = await broadcasts.pendingOf("telegram:a1", ["draft"]);
    expect(text).toContain("/xacnhan");
    expect(text).toContain(`#${first?.id}: Họp giao ban sáng thứ Hai tại hội…`);
    expect(text).toContain(`#${second?.id}: Tập huấn dân vận khéo`);
    expect((await broadcasts.get(first?.id as number))?.status).toBe("draft");
    expect(await say("a1", "cancel")).toContain("/huy");
  });

  it("names the number when a given one is not waiting", async () => {
    const { say } = await setup();
    expect(await say("a1", "confirm", "42")).toBe("Không có thông báo #42 đang chờ gửi.");
  });
});

describe("/thongke", () => {
  it("counts the questions asked (not the highest id) and names statuses in Vietnamese", async () => {
    const { say, db, questionLog, broadcasts } = await setup();
    for (const question of ["a", "b", "c"])
      await questionLog.record({
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
    const { id: sent } = await broadcasts.draft("Đã gửi", "telegram:a1");
    await broadcasts.confirm(sent);
    db.prepare("UPDATE broadcasts SET status = 'done' WHERE id = ?").run(sent);
    const { id: cancelled } = await broadcasts.draft("Huỷ", "telegram:a1");
    await broadcasts.confirm(cancelled);
    await broadcasts.cancel(cancelled);
    const text = await say("a1", "stats");
    expect(text).toContain(fill(r.stats_questions, { count: 2 }));
    expect(text).toContain(`#${sent} (${r.status_done})`);
    expect(text).toContain(`#${cancelled} (${r.status_cancelled})`);
    expect(text).not.toMatch(/\b(done|cancelled|queued|running|scheduled|draft)\b/);
  });
});

describe("the Vietnam-time parser", () => {
  const cases: [string, string, string][] = [
    ["01/12/2026", "08:00", "2026-12-01T01:00:00.000Z"],
    ["1/2/2027", "7h30", "2027-02-01T00:30:00.000Z"],
    ["31/12/2026", "23g59", "2026-12-31T16:59:00.000Z"],
    // Just after midnight in Vietnam is still the day before in UTC.
    ["01/01/2027", "00:15", "2026-12-31T17:15:00.000Z"],
    ["29/02/2028", "06:00", "2028-02-28T23:00:00.000Z"],
  ];

  it("reads dates and times as Vietnam time (UTC+7), whatever the machine's time zone", () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ["UTC", "America/Los_Angeles", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati"]) {
        process.env.TZ = tz;
        for (const [date, time, iso] of cases) {
          expect(parseVietnamTime(date, time)?.toISOString(), `${date} ${time} in ${tz}`).toBe(iso);
          expect(formatVietnamTime(new Date(iso))).toBe(
            `${date.replace(/^(\d)\//, "0$1/").replace(/\/(\d)\//, "/0$1/")} ${time.replace(/^(\d)h/, "0$1:").replace(/[hg]/, ":")}`,
          );
        }
      }
    } finally {
      process.env.TZ = saved;
    }
  });

  it("refuses what is not a real date and time", () => {
    for (const [date, time] of [
      ["31/02/2026", "08:00"],
      ["29/02/2027", "08:00"],
      ["01/13/2026", "08:00"],
      ["00/12/2026", "08:00"],
      ["01/12/2026", "24:00"],
      ["01/12/2026", "12:60"],
      ["01/12/2026", "8"],
      ["2026-12-01", "08:00"],
      ["mai", "8h"],
      ["", ""],
    ])
      expect(parseVietnamTime(date as string, time as string), `${date} ${time}`).toBeUndefined();
  });
});

describe("/hengio, /lichhen and /huyhen", () => {
  // 30/11/2026 08:00 in Vietnam.
  const now = new Date("2026-11-30T01:00:00Z");

  it("schedules a notice in Vietnam time, and refuses a past time or a malformed command", async () => {
    const { say, broadcasts } = await setup(now);
    const reply = await say("a1", "schedule", "01/12/2026 08:00 Họp giao ban đầu tháng");
    const [b] = await broadcasts.scheduled();
    expect(reply).toBe(fill(r.scheduled, { id: b?.id as number, when: "01/12/2026 08:00" }));
    expect(b?.scheduledFor).toBe("2026-12-01T01:00:00.000Z");
    expect(b?.text).toBe("Họp giao ban đầu tháng");
    expect(await say("a1", "schedule", "30/11/2026 07:59 Muộn rồi")).toBe(
      fill(r.schedule_past, { when: "30/11/2026 07:59" }),
    );
    for (const bad of [
      "",
      "mai 8h Họp",
      "01/12/2026 08:00",
      "31/11/2026 08:00 Ngày không có",
      "01/12/2026 8:75 Họp",
    ])
      expect(await say("a1", "schedule", bad), bad).toBe(r.schedule_usage);
    expect(await broadcasts.scheduled()).toHaveLength(1);
  });

  it("lists scheduled notices by time, long texts shortened", async () => {
    const { say } = await setup(now);
    expect(await say("a1", "schedules")).toBe(r.schedule_list_empty);
    await say("a1", "schedule", `05/12/2026 14:00 ${"Tập huấn kỹ năng dân vận cho cán bộ cơ sở ".repeat(4)}`);
    await say("a2", "schedule", "02/12/2026 07:30 Tiếp xúc cử tri");
    const lines = (await say("a1", "schedules")).split("\n");
    expect(lines[0]).toBe(r.schedule_list_header);
    expect(lines[1]).toMatch(/^#2 lúc 02\/12\/2026 07:30: Tiếp xúc cử tri$/);
    expect(lines[2]).toMatch(/^#1 lúc 05\/12\/2026 14:00: Tập huấn kỹ năng.{40,}…$/);
    expect(lines[2]?.length).toBeLessThan(120);
  });

  it("cancels a scheduled notice by number, or the only one of that administrator without a number", async () => {
    const { say, broadcasts } = await setup(now);
    await say("a1", "schedule", "02/12/2026 07:30 Một");
    await say("a1", "schedule", "03/12/2026 07:30 Hai");
    const [one, two] = await broadcasts.scheduled();
    expect(await say("a1", "unschedule", String(one?.id))).toBe(
      fill(r.notice_cancelled, { id: one?.id as number }),
    );
    expect((await broadcasts.get(one?.id as number))?.status).toBe("cancelled");
    expect(await say("a1", "unschedule", String(one?.id))).toBe(
      fill(r.notice_not_found, { id: one?.id as number }),
    );
    expect(await say("a1", "unschedule")).toBe(fill(r.notice_cancelled, { id: two?.id as number }));
    expect(await say("a1", "schedules")).toBe(r.schedule_list_empty);
    expect(await say("a1", "unschedule")).toBe(r.notice_none_pending);
  });

  it("are for the bot's administrators only", async () => {
    const { say, broadcasts } = await setup(now);
    for (const command of ["schedule", "schedules", "unschedule"] as const)
      expect(await say("someone", command, "01/12/2026 08:00 Họp")).toBe(r.admin_only);
    expect(await broadcasts.scheduled()).toEqual([]);
  });
});
