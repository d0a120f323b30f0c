import { describe, expect, it } from "vitest";
import { createAnswerer } from "../../src/answer/compose.js";
import { createAdmin } from "../../src/bot/admin.js";
import { createEngine } from "../../src/bot/engine.js";
import type { Incoming } from "../../src/bot/types.js";
import { type ChannelSender, createBroadcastService, createWorker } from "../../src/broadcast/service.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { createStudyService, type QuizMessenger } from "../../src/study/service.js";
import { index, prompts, retriever } from "../bot/test-engine.js";
import { memoryLogger } from "../fakes/memory-logger.js";

/** The engine with the study module on an in-memory database, the study clock in the test's hands. */
function setup(start = "2026-12-01T06:00:00+07:00") {
  const storage = openSqliteStorage(":memory:");
  const { logger, lines } = memoryLogger();
  const r = prompts.replies;
  let clock = new Date(start);
  const said: { chatId: string; text: string }[] = [];
  const messenger: QuizMessenger = {
    channel: "zalo",
    send: async (chatId, text) => void said.push({ chatId, text }),
  };
  const broadcasts = createBroadcastService(storage, ["zalo"]);
  const admin = createAdmin({
    subscriptions: storage.subscriptions,
    broadcasts,
    questionLog: storage.questions,
    admins: { zalo: new Set(["admin"]) },
    replies: r,
    logger,
  });
  /** A study service on the same database: another instance of the bot. */
  const instance = (messengers: readonly QuizMessenger[] = [messenger]) =>
    createStudyService({
      study: storage.study,
      quizzes: storage.quizzes,
      index: () => index,
      channels: ["zalo"],
      messengers,
      isAdmin: (m) => admin.isAdmin(m),
      replies: r,
      logger,
      now: () => clock,
    });
  const study = instance();
  const engine = createEngine({
    admin,
    study,
    answerer: createAnswerer({ retriever: () => retriever, prompts, logger }),
    documents: () => index.documents,
    questionLog: storage.questions,
    replies: r,
    logger,
  });
  const say = async (text: string, from: Partial<Incoming> = {}) => {
    const replies = await engine.handle({
      channel: "zalo",
      chatId: "admin",
      chatType: "private",
      userId: "admin",
      text,
      addressed: true,
      ...from,
    });
    return replies
      .map((x) => (x.kind === "text" ? x.text : x.kind === "question" ? x.plain : x.kind))
      .join("\n");
  };
  return {
    storage,
    study,
    instance,
    lines,
    say,
    said,
    logger,
    broadcasts,
    setClock: (local: string) => {
      clock = new Date(`${local}+07:00`);
    },
    /** Moves the clock on by `ms`. */
    later: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

describe("the study module's rules", () => {
  it("makes a series of chosen sections only, and says what is wrong with a bad request", async () => {
    const s = setup();
    expect(await s.say("/taochuoi 1 | thứ 2-6 7:00 | II")).toContain("6 bài");
    expect(await s.say("/taochuoi 1 | thứ 2-6 7:00 | I.2, II.3")).toContain("3 bài");
    expect(await s.say("/taochuoi 9 | thứ 2-6 7:00")).toContain("Không có tài liệu số 9");
    expect(await s.say("/taochuoi 1 | sáng mai")).toContain("Không hiểu lịch «sáng mai»");
    expect(await s.say("/taochuoi 1 | * * * * * *")).toContain("không hẹn theo giây");
    expect(await s.say("/taochuoi 1 | */10 * * * *")).toContain("nhiều nhất mỗi giờ một lần");
    expect(
      await s.say("/kiemtrahangtuan */10 * * * *, 3 câu", { chatId: "g1", chatType: "group" }),
    ).toContain("nhiều nhất mỗi giờ một lần");
    expect(await s.say("/taochuoi 1 | hằng ngày 7:00 | Chương IX")).toContain("không có phần «Chương IX»");
    expect(await s.say("/taochuoi")).toContain("Cách soạn chuỗi bài học");
    expect(await s.say("/taochuoi 1 | thứ 2-6 7:00", { userId: "u1", chatId: "u1" })).toContain(
      "chỉ dành cho quản trị viên",
    );
    // Drafts are listed for administrators only.
    expect(await s.say("/chuoi", { userId: "u1", chatId: "u1" })).toContain("Chưa có chuỗi bài học nào");
    await s.say("/batdauchuoi 1");
    const list = await s.say("/chuoi", { userId: "u1", chatId: "u1" });
    expect(list).toContain(
      "#1 «Kế hoạch thực hiện KL 43-KL/TW» (gửi theo lịch): 6 bài, thứ 2 đến thứ 6 lúc 07:00",
    );
    expect(list).not.toContain("#2");
  });

  it("ends the memberships of a chat that blocked the bot, and stops sending a stopped series", async () => {
    const s = setup();
    await s.say("/taochuoi 1 | hằng ngày 7:00");
    await s.say("/batdauchuoi 1");
    await s.say("/thamgia 1", { userId: "u1", chatId: "u1" });
    await s.say("/thamgia 1", { userId: "u2", chatId: "u2" });
    const delivered: string[] = [];
    const sender: ChannelSender = {
      channel: "zalo",
      limits: { perSecond: 1000, privateIntervalMs: 0, groupIntervalMs: 0 },
      async send(chatId, _type, text, take, extra) {
        await take();
        if (chatId === "u2") return { ok: false, kind: "blocked", reason: "403 blocked" };
        delivered.push(`${chatId}: ${text.split("\n")[0]} + ${extra?.question ? "question" : "none"}`);
        return { ok: true };
      },
    };
    const drain = () =>
      createWorker(
        { ...s.storage, senders: [sender], service: s.broadcasts, logger: s.logger },
        {
          idleMs: 10,
          extraFor: (d, b) => s.study.extraFor(d, b),
          afterDelivery: (d, x) => s.study.afterDelivery(d, x),
        },
      ).drain();
    s.setClock("2026-12-01T07:00:05");
    await s.study.tick();
    await drain();
    expect(delivered).toEqual(["u1: 📖 Kế hoạch thực hiện KL 43-KL/TW — Bài 1/10 + question"]);
    expect(await s.storage.study.member(1, "zalo", "u2")).toMatchObject({ active: false, done: 1 });
    // The lesson went out as notice #1 of the worker, but /thongke lists administrators' notices only.
    expect((await s.broadcasts.get(1))?.createdBy).toBe("study:1");
    expect(await s.say("/thongke")).not.toMatch(/#1 \(/);
    expect(await s.say("/dungchuoi 1")).toContain("Đã kết thúc chuỗi #1");
    s.setClock("2026-12-02T07:00:05");
    await s.study.tick();
    await drain();
    expect(delivered).toHaveLength(1);
    expect(await s.say("/thamgia 1", { userId: "u3", chatId: "u3" })).toContain("đã kết thúc");
    expect(await s.say("/roikhoi 1", { userId: "u1", chatId: "u1" })).toContain("đã rời chuỗi");
    expect(await s.say("/baihoc", { userId: "u1", chatId: "u1" })).toContain(
      "chưa tham gia chuỗi bài học nào",
    );
  });

  it("says when a chat has read every lesson, and asks which series when it follows several", async () => {
    const s = setup();
    await s.say("/taochuoi 1 | hằng ngày 7:00 | II.3");
    await s.say("/taochuoi 1 | hằng ngày 19:00 | I.1");
    await s.say("/thamgia 1", { userId: "u1", chatId: "u1" });
    await s.say("/thamgia 2", { userId: "u1", chatId: "u1" });
    expect(await s.say("/baihoc", { userId: "u1", chatId: "u1" })).toContain(
      "/baihoc 1 (Kế hoạch thực hiện KL 43-KL/TW)",
    );
    expect(await s.say("/baihoc 2", { userId: "u1", chatId: "u1" })).toContain("Bài 1/1");
    expect(await s.say("/baihoc 2", { userId: "u1", chatId: "u1" })).toContain("đã học hết 1 bài");
  });

  it("starts a quiz from its group: the group reads that it starts, then the first question", async () => {
    const s = setup();
    const group = { chatId: "g1", chatType: "group" as const };
    expect(await s.say("/kiemtra 2 câu, 15 giây mỗi câu", group)).toContain(
      "Đã soạn bài kiểm tra #1: 2 câu, 15 giây",
    );
    expect(await s.say("/batdaukiemtra 1", group)).toBe("");
    expect(s.said.map((x) => [x.chatId, x.text.split("\n")[0]])).toEqual([
      ["g1", "Bài kiểm tra #1 bắt đầu: 2 câu, 15 giây mỗi câu."],
      ["g1", expect.stringMatching(/^Câu 1\/2: /)],
    ]);
    expect(await s.say("/batdaukiemtra 1", group)).toContain("Không có bài kiểm tra #1 đang chờ");
  });

  it("schedules a weekly quiz for a group, starts it on time and draws the next week's at once", async () => {
    const s = setup();
    const group = { chatId: "g1", chatType: "group" as const };
    expect(await s.say("/kiemtra 3 câu")).toContain("gõ lệnh này trong nhóm");
    const scheduled = await s.say("/kiemtrahangtuan thứ 6 15:00, 3 câu, 20 giây mỗi câu", group);
    expect(scheduled).toContain("thứ 6 lúc 15:00: 3 câu, 20 giây mỗi câu; lần đầu lúc 04/12/2026 15:00");
    expect(await s.say("/kiemtrahangtuan 3 câu", group)).toContain("Cách hẹn bài kiểm tra hằng tuần");
    s.setClock("2026-12-04T14:59:00");
    await s.study.tick();
    expect(s.said).toEqual([]);
    s.setClock("2026-12-04T15:00:01");
    await s.study.tick();
    expect(s.said.map((x) => x.text.split("\n")[0])).toEqual([
      "Bài kiểm tra #1 bắt đầu: 3 câu, 20 giây mỗi câu.",
      expect.stringMatching(/^Câu 1\/3: /),
    ]);
    const next = await s.storage.quizzes.ofChat("zalo", "g1", ["scheduled"]);
    expect(next.map((q) => [q.scheduledFor, q.questions.length, q.repeat])).toEqual([
      ["2026-12-11T08:00:00.000Z", 3, "0 15 * * 5"],
    ]);
    // The plan is small: next week's quiz repeats what it must, but not all of this week's.
    const first = (await s.storage.quizzes.get(1))?.questions.map((q) => q.itemId) ?? [];
    expect(next[0]?.questions.some((q) => !first.includes(q.itemId))).toBe(true);
    expect(await s.say("/huykiemtra 2")).toContain("Đã huỷ bài kiểm tra #2");
    expect(await s.say("/ketqua", group)).toContain("Kết quả kiểm tra của Nhóm này: 1 bài, 0 người tham gia");
  });

  it("says a question's time is up once however many instances tick at the same moment", async () => {
    const s = setup();
    const group = { chatId: "g1", chatType: "group" as const };
    await s.say("/kiemtra 2 câu, 15 giây mỗi câu", group);
    await s.say("/batdaukiemtra 1", group);
    const other = s.instance();
    s.later(16_000);
    await Promise.all([s.study.tick(), other.tick(), s.instance().tick()]);
    const heads = s.said.map((x) => x.text.split("\n")[0]);
    expect(heads.filter((t) => t?.startsWith("Hết giờ câu 1"))).toHaveLength(1);
    expect(heads.filter((t) => t?.startsWith("Câu 2/2"))).toHaveLength(1);
    s.later(16_000);
    await Promise.all([s.study.tick(), other.tick()]);
    const after = s.said.map((x) => x.text.split("\n")[0]);
    expect(after.filter((t) => t?.startsWith("Hết giờ câu 2"))).toHaveLength(1);
    expect(after.filter((t) => t?.startsWith("Bài kiểm tra #1 đã xong"))).toHaveLength(1);
  });

  it("does not run two ticks of one instance at once: a tick waits for the one in progress", async () => {
    const s = setup();
    const calls: string[] = [];
    let release: () => void = () => undefined;
    let hold: Promise<void> | undefined;
    const slow: QuizMessenger = {
      channel: "zalo",
      send: async (chatId, text) => {
        calls.push(`${chatId}: ${text.split("\n")[0]}`);
        if (hold) await hold;
      },
    };
    const study = s.instance([slow]);
    for (const chatId of ["g1", "g2"]) {
      await s.say("/kiemtra 2 câu, 15 giây mỗi câu", { chatId, chatType: "group" });
    }
    await study.handle("quiz_start", "1", {
      channel: "zalo",
      chatId: "g1",
      chatType: "group",
      userId: "admin",
      text: "",
      addressed: true,
    });
    await study.handle("quiz_start", "2", {
      channel: "zalo",
      chatId: "g2",
      chatType: "group",
      userId: "admin",
      text: "",
      addressed: true,
    });
    calls.length = 0;
    s.later(16_000);
    hold = new Promise((r) => {
      release = r;
    });
    const first = study.tick();
    await expect.poll(() => calls.length).toBe(1);
    const second = study.tick();
    await new Promise((r) => setTimeout(r, 50));
    // The first tick is still sending to g1: the second has not started on g2.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^g\d: Hết giờ câu 1\./);
    hold = undefined;
    release();
    await Promise.all([first, second]);
    expect(calls.filter((c) => c.includes("Hết giờ câu 1"))).toHaveLength(2);
    expect(calls.filter((c) => c.includes("Câu 2/2"))).toHaveLength(2);
  });

  it("keeps a weekly quiz coming when its start message cannot be sent, and starts the other quizzes", async () => {
    const s = setup();
    const calls: string[] = [];
    const failing: QuizMessenger = {
      channel: "zalo",
      send: async (chatId, text) => {
        if (chatId === "g1") throw new Error("Zalo API: 500 máy chủ lỗi");
        calls.push(`${chatId}: ${text.split("\n")[0]}`);
      },
    };
    const study = s.instance([failing]);
    for (const chatId of ["g1", "g2"])
      await s.say("/kiemtrahangtuan thứ 6 15:00, 2 câu, 20 giây mỗi câu", { chatId, chatType: "group" });
    s.setClock("2026-12-04T15:00:01");
    await study.tick();
    // g1's quiz could not be announced, but next week's is drawn all the same.
    expect((await s.storage.quizzes.ofChat("zalo", "g1", ["scheduled"])).map((q) => q.scheduledFor)).toEqual([
      "2026-12-11T08:00:00.000Z",
    ]);
    // g2's quiz, due in the same tick, started.
    expect(calls).toEqual([
      "g2: Bài kiểm tra #2 bắt đầu: 2 câu, 20 giây mỗi câu.",
      expect.stringMatching(/^g2: Câu 1\/2: /),
    ]);
    expect((await s.storage.quizzes.ofChat("zalo", "g2", ["scheduled"])).map((q) => q.scheduledFor)).toEqual([
      "2026-12-11T08:00:00.000Z",
    ]);
    const logged = s.lines().find((l) => l.quiz === 1);
    expect(logged).toMatchObject({
      level: 50,
      channel: "zalo",
      err: { message: "Zalo API: 500 máy chủ lỗi" },
    });
    expect(JSON.stringify(s.lines())).not.toContain("bắt đầu: 2 câu");
  });

  it("announces a quiz before its first question even when another instance ticks meanwhile", async () => {
    const s = setup();
    const group = { chatId: "g1", chatType: "group" as const };
    const delivered: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let first = true;
    const slow: QuizMessenger = {
      channel: "zalo",
      send: async (_chatId, text) => {
        // The start message takes a while to reach the platform.
        if (first) {
          first = false;
          await gate;
        }
        delivered.push(text.split("\n")[0] ?? "");
      },
    };
    const here = s.instance([slow]);
    const there = s.instance([slow]);
    await s.say("/kiemtra 2 câu, 15 giây mỗi câu", group);
    const started = here.handle("quiz_start", "1", {
      channel: "zalo",
      userId: "admin",
      text: "/batdaukiemtra 1",
      addressed: true,
      ...group,
    });
    await new Promise((r) => setTimeout(r, 20));
    await there.tick();
    release();
    await started;
    expect(delivered).toEqual([
      "Bài kiểm tra #1 bắt đầu: 2 câu, 15 giây mỗi câu.",
      expect.stringMatching(/^Câu 1\/2: /),
    ]);
  });
});
