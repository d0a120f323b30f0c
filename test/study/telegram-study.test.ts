import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";
import { tempDir } from "../helpers.js";
import { type StudyBot, startStudyBot } from "./study-bot.js";

const ADMIN = { id: 1001, is_bot: false, first_name: "Quản trị" };
const LAN = { id: 2001, is_bot: false, first_name: "Lan" };
const MINH = { id: 2002, is_bot: false, first_name: "Minh" };
const HOA = { id: 2003, is_bot: false, first_name: "Hoa" };
const group = { id: -100555, type: "supergroup", title: "Chi bộ khu phố 3" };
const privateOf = (u: { id: number; first_name: string }) => ({
  id: u.id,
  type: "private",
  first_name: u.first_name,
});
let msgId = 1;
const msg = (from: { id: number }, chat: object, text: string) => ({
  message: { message_id: msgId++, date: 0, chat, from, text },
});

let tg: FakeTelegram;
let bot: StudyBot;
let database: string;
/** The study clock: Tuesday 1 December 2026, 06:00 in Vietnam. */
let clock = new Date("2026-12-01T06:00:00+07:00");
const at = (local: string) => {
  clock = new Date(`${local}+07:00`);
};
const start = () =>
  startStudyBot({ database, clock: () => clock, telegram: { apiRoot: tg.apiRoot, adminIds: [ADMIN.id] } });

beforeAll(async () => {
  tg = await startFakeTelegram();
  database = join(await tempDir(), "bot.sqlite");
  bot = await start();
}, 30_000);

afterAll(async () => {
  await bot.stop();
  await tg.close();
});

/** The texts sent to a chat after `push`, once `count` messages have come. */
const say = async (chatId: number, push: () => void, count = 1) => {
  const before = tg.sent(chatId).length;
  push();
  await expect.poll(() => tg.sent(chatId).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + count);
  return tg
    .sent(chatId)
    .slice(before)
    .map((c) => String(c.params.text));
};
const lessonsTo = (chatId: number) =>
  tg
    .sent(chatId)
    .map((c) => String(c.params.text))
    .filter((t) => t.startsWith("📖"))
    .map((t) => /Bài (\d+)\/(\d+)/.exec(t)?.[1]);
const scheduledSend = async () => {
  await bot.tick();
  await bot.deliver();
};

describe("a study series on Telegram", () => {
  it("is created from a document by an administrator, previewed, and started", async () => {
    const [created] = await say(ADMIN.id, () =>
      tg.push(msg(ADMIN, privateOf(ADMIN), "/taochuoi 1 | thứ 2-6 7:00")),
    );
    expect(created).toContain("Đã soạn chuỗi bài học #1 «Kế hoạch thực hiện KL 43-KL/TW»: 10 bài");
    expect(created).toContain("thứ 2 đến thứ 6 lúc 07:00");
    const [preview] = await say(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), "/xemchuoi 1 2")));
    expect(preview).toContain("Bài 2/10");
    expect(preview).toContain("Câu hỏi kiểm tra:");
    const [refused] = await say(LAN.id, () => tg.push(msg(LAN, privateOf(LAN), "/batdauchuoi 1")));
    expect(refused).toContain("chỉ dành cho quản trị viên");
    const [started] = await say(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), "/batdauchuoi 1")));
    expect(started).toContain("Lần gửi tới: 01/12/2026 07:00");
  });

  it("is joined by a private chat, and by a group only through its administrators", async () => {
    const [joined] = await say(LAN.id, () => tg.push(msg(LAN, privateOf(LAN), "/thamgia 1")));
    expect(joined).toContain("bắt đầu từ bài 1");
    const [refused] = await say(group.id, () => tg.push(msg(MINH, group, "/thamgia@DanVanTestBot 1")));
    expect(refused).toContain("Chỉ quản trị viên của nhóm");
    tg.makeChatAdmin(group.id, MINH.id);
    const [ok] = await say(group.id, () => tg.push(msg(MINH, group, "/thamgia 1")));
    expect(ok).toContain("Nhóm này đã tham gia chuỗi");
  });

  it("delivers lesson 1 at 7:00 through the broadcast worker, with its check question as a quiz poll", async () => {
    at("2026-12-01T06:59:00");
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual([]);
    at("2026-12-01T07:00:20");
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual(["1"]);
    expect(lessonsTo(group.id)).toEqual(["1"]);
    const lesson = tg.sent(LAN.id).find((c) => String(c.params.text).startsWith("📖"));
    expect(String(lesson?.params.text)).toContain("— Kế hoạch thực hiện KL 43-KL/TW · phần mở đầu");
    const [poll] = tg.polls(LAN.id);
    expect(poll?.params).toMatchObject({ type: "quiz", is_anonymous: false });
    expect(String(poll?.params.question)).toContain("Câu hỏi kiểm tra:");
    expect(String(poll?.params.explanation)).toContain("Nguồn: Kế hoạch thực hiện KL 43-KL/TW");
    // The same due time again sends nothing more.
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual(["1"]);
  });

  it("goes on after a restart, a late joiner starting at lesson 1", async () => {
    await bot.stop();
    bot = await start();
    const [joined] = await say(HOA.id, () => tg.push(msg(HOA, privateOf(HOA), "/thamgia 1")));
    expect(joined).toContain("bắt đầu từ bài 1");
    at("2026-12-02T07:01:00");
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual(["1", "2"]);
    expect(lessonsTo(group.id)).toEqual(["1", "2"]);
    expect(lessonsTo(HOA.id)).toEqual(["1"]);
  });

  it("shows the next lesson on /baihoc, and sends nothing while paused; a missed day is not made up", async () => {
    const texts = await say(HOA.id, () => tg.push(msg(HOA, privateOf(HOA), "/baihoc")));
    expect(texts[0]).toContain("Bài 2/10");
    await say(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), "/tamdungchuoi 1")));
    at("2026-12-03T07:00:10");
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual(["1", "2"]);
    // Resumed on Saturday: Thursday's and Friday's sends are not made; Monday's is.
    at("2026-12-05T09:00:00");
    const [resumed] = await say(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), "/batdauchuoi 1")));
    expect(resumed).toContain("07/12/2026 07:00");
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual(["1", "2"]);
    at("2026-12-07T07:00:05");
    await scheduledSend();
    expect(lessonsTo(LAN.id)).toEqual(["1", "2", "3"]);
    expect(lessonsTo(HOA.id)).toEqual(["1", "2", "3"]);
  });
});

describe("a quiz in a Telegram group", () => {
  let quizId = 0;
  it("is drafted in the group, previewed and trimmed in private, then started", async () => {
    const [drafted] = await say(group.id, () =>
      tg.push(msg(ADMIN, group, "/kiemtra@DanVanTestBot 3 câu, 30 giây mỗi câu")),
    );
    quizId = Number(/#(\d+)/.exec(String(drafted))?.[1]);
    expect(drafted).toContain("3 câu, 30 giây mỗi câu");
    const [preview] = await say(ADMIN.id, () =>
      tg.push(msg(ADMIN, privateOf(ADMIN), `/xemkiemtra ${quizId}`)),
    );
    expect(String(preview).match(/Nguồn: /g)).toHaveLength(3);
    const [discarded] = await say(ADMIN.id, () =>
      tg.push(msg(ADMIN, privateOf(ADMIN), `/bocau ${quizId} 1`)),
    );
    expect(discarded).toContain("Đã bỏ câu 1");
    const before = tg.polls(group.id).length;
    await say(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), `/batdaukiemtra ${quizId}`)));
    await expect.poll(() => tg.polls(group.id).length).toBe(before + 1);
    const poll = tg.polls(group.id).at(-1);
    expect(poll?.params).toMatchObject({ type: "quiz", open_period: 30, is_anonymous: false });
    expect(String(poll?.params.question)).toMatch(/^Câu 1\/\d: /);
  });

  it("keeps the answers of the polls, asks the next question when the time is up, and reports /ketqua", async () => {
    const answer = (user: { id: number; first_name: string }, pollId: string, option: number) =>
      tg.push({ poll_answer: { poll_id: pollId, user, option_ids: [option], option_persistent_ids: [] } });
    const total = (await bot.study.figures()).quizzes;
    for (let n = 0; ; n++) {
      const poll = tg.polls(group.id).at(-1);
      if (!poll) throw new Error("no poll was sent");
      const correct = (poll.params.correct_option_ids as number[])[0] as number;
      answer(LAN, poll.pollId, correct);
      answer(MINH, poll.pollId, n === 0 ? (correct + 1) % 2 : correct);
      await expect
        .poll(
          async () => (await bot.study.figures({ channel: "telegram", chatId: String(group.id) })).answers,
        )
        .toBe(2 * (n + 1));
      const polls = tg.polls(group.id).length;
      clock = new Date(clock.getTime() + 30_000);
      await bot.tick();
      if (tg.polls(group.id).length === polls) break;
    }
    expect(total).toBe(1);
    await expect
      .poll(() => tg.sent(group.id).some((c) => String(c.params.text).includes("đã xong")))
      .toBe(true);
    const f = await bot.study.figures({ channel: "telegram", chatId: String(group.id) });
    expect(f.people.map((p) => [p.name, p.correct, p.answered])).toEqual([
      ["Lan", 3, 3],
      ["Minh", 2, 3],
    ]);
    expect(f.groups).toEqual([
      expect.objectContaining({ chatId: String(group.id), quizzes: 1, people: 2, answers: 6 }),
    ]);
    expect(f.hardest[0]).toMatchObject({ question: 0, correctRate: 0.5 });
    const [results] = await say(group.id, () => tg.push(msg(LAN, group, "/ketqua@DanVanTestBot")));
    expect(results).toContain("1 bài, 2 người tham gia, đúng 83%");
    expect(results).toContain("1. Lan: đúng 3/3 câu (100%)");
    expect(results).toContain("Câu khó nhất:");
  });

  it("answers a late vote once only, and ignores votes on polls it never sent", async () => {
    const poll = tg.polls(group.id).at(-1);
    tg.push({
      poll_answer: { poll_id: poll?.pollId, user: LAN, option_ids: [0], option_persistent_ids: [] },
    });
    tg.push({
      poll_answer: { poll_id: "poll-unknown", user: HOA, option_ids: [0], option_persistent_ids: [] },
    });
    // Updates are handled in order: once /trogiup is answered, both votes have been.
    await say(LAN.id, () => tg.push(msg(LAN, privateOf(LAN), "/trogiup")));
    expect((await bot.study.figures()).answers).toBe(6);
  });
});

describe("a Telegram group that becomes a supergroup", () => {
  it("keeps its series, its progress and its quizzes under the new id", async () => {
    const small = { id: -556, type: "group", title: "Tổ dân phố 5" };
    const bigger = { id: -100556, type: "supergroup", title: "Tổ dân phố 5" };
    tg.makeChatAdmin(small.id, MINH.id);
    const [joined] = await say(small.id, () => tg.push(msg(MINH, small, "/thamgia 1")));
    expect(joined).toContain("Nhóm này đã tham gia chuỗi");
    const [drafted] = await say(small.id, () =>
      tg.push(msg(ADMIN, small, "/kiemtra 2 câu, 20 giây mỗi câu")),
    );
    const quizId = Number(/#(\d+)/.exec(String(drafted))?.[1]);
    tg.push({
      message: { message_id: msgId++, date: 0, chat: small, from: MINH, migrate_to_chat_id: bigger.id },
    });
    await expect
      .poll(async () => (await bot.storage.study.membershipsOf("telegram", String(bigger.id))).length, {
        timeout: 5000,
      })
      .toBe(1);
    const [lesson] = await say(bigger.id, () => tg.push(msg(MINH, bigger, "/baihoc")));
    expect(lesson).toContain("Bài 1/10");
    const before = tg.polls(bigger.id).length;
    await say(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), `/batdaukiemtra ${quizId}`)));
    await expect.poll(() => tg.polls(bigger.id).length).toBe(before + 1);
    expect(tg.polls(small.id)).toHaveLength(0);
  });
});
