import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeZalo, startFakeZalo, zaloText } from "../fakes/zalo-server.js";
import { tempDir } from "../helpers.js";
import { type StudyBot, startStudyBot } from "./study-bot.js";

let zalo: FakeZalo;
let bot: StudyBot;
/** Monday 7 December 2026, 06:00 in Vietnam. */
let clock = new Date("2026-12-07T06:00:00+07:00");

beforeAll(async () => {
  zalo = await startFakeZalo();
  bot = await startStudyBot({
    database: join(await tempDir(), "bot.sqlite"),
    clock: () => clock,
    zalo: { baseUrl: zalo.baseUrl, adminIds: ["admin1"] },
  });
}, 30_000);

afterAll(async () => {
  await bot.stop();
  await zalo.close();
});

/** The texts sent to a chat after `push`, once `count` messages have come. */
const say = async (chatId: string, push: () => void, count = 1) => {
  const before = zalo.sent(chatId).length;
  push();
  await expect
    .poll(() => zalo.sent(chatId).length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(before + count);
  return zalo
    .sent(chatId)
    .slice(before)
    .map((c) => String(c.params.text));
};
describe("study series and quizzes on Zalo", () => {
  it("delivers a lesson with its question as numbered options, and grades the answer by number with the passage", async () => {
    await say("admin1", () => zalo.push(zaloText("admin1", "admin1", "/taochuoi 1 | hằng ngày 7:00 | II")));
    await say("admin1", () => zalo.push(zaloText("admin1", "admin1", "/batdauchuoi 1")));
    const [joined] = await say("u1", () => zalo.push(zaloText("u1", "u1", "/thamgia 1")));
    expect(joined).toContain("bắt đầu từ bài 1");
    clock = new Date("2026-12-07T07:00:30+07:00");
    await bot.tick();
    await bot.deliver();
    const [lesson, question] = zalo
      .sent("u1")
      .slice(-2)
      .map((c) => String(c.params.text));
    expect(lesson).toMatch(/^📖 Kế hoạch thực hiện KL 43-KL\/TW — Bài 1\/6\nII\. NHIỆM VỤ, GIẢI PHÁP › 1/);
    expect(question).toMatch(/^Câu hỏi kiểm tra: /);
    expect(question).toContain("\n1. ");
    expect(question).toContain("Trả lời bằng số");
    const [wrong] = await say("u1", () => zalo.push(zaloText("u1", "u1", "9")));
    // Not an option: read as a question, not graded.
    expect(wrong).not.toContain("Chưa đúng");
    const [graded] = await say("u1", () => zalo.push(zaloText("u1", "u1", "1")));
    expect(graded).toMatch(/^(✅ Đúng rồi!|❌ Chưa đúng\.) Đáp án: /);
    expect(graded).toContain("Đoạn tài liệu có đáp án:\n«");
    expect(graded).toContain("— Kế hoạch thực hiện KL 43-KL/TW · II.1");
  });

  it("runs a quiz in a group: numbered questions, answers by number graded in reply, one per person, the answer when the time is up", async () => {
    const group = "g1";
    const [drafted] = await say(group, () =>
      zalo.push(zaloText(group, "admin1", "@danvan_bot /kiemtra 2 câu, 20 giây mỗi câu", true)),
    );
    const id = /#(\d+)/.exec(String(drafted))?.[1];
    const [preview] = await say("admin1", () => zalo.push(zaloText("admin1", "admin1", `/xemkiemtra ${id}`)));
    expect(preview).toContain("2 câu, 20 giây mỗi câu");
    const [started, first] = await say(
      group,
      () => zalo.push(zaloText("admin1", "admin1", `/batdaukiemtra ${id}`)),
      2,
    );
    expect(started).toContain(`Bài kiểm tra #${id} bắt đầu`);
    expect(first).toMatch(/^Câu 1\/2: /);
    expect(first).toContain("Trả lời bằng số của đáp án trong 20 giây.");
    const figures = await bot.study.figures({ channel: "zalo", chatId: group });
    expect(figures.quizzes).toBe(1);
    const [right] = await say(group, () => zalo.push(zaloText(group, "u7", "@danvan_bot 1", true)));
    expect(right).toMatch(/^(✅ Người u7 trả lời đúng câu 1\.|❌ Người u7 trả lời chưa đúng câu 1\.)$/);
    const [again] = await say(group, () => zalo.push(zaloText(group, "u7", "@danvan_bot 2", true)));
    expect(again).toContain("chỉ lần đầu được tính");
    clock = new Date(clock.getTime() + 20_000);
    const before = zalo.sent(group).length;
    await bot.tick();
    const [timeUp, second] = zalo
      .sent(group)
      .slice(before)
      .map((c) => String(c.params.text));
    expect(timeUp).toMatch(/^Hết giờ câu 1\. Đáp án: /);
    expect(second).toMatch(/^Câu 2\/2: /);
    expect(timeUp).toContain("Nguồn: ");
    clock = new Date(clock.getTime() + 20_000);
    await bot.tick();
    expect(zalo.sent(group).at(-1)?.params.text).toMatch(/^Bài kiểm tra #\d+ đã xong: 1 người tham gia/);
    const [results] = await say(group, () => zalo.push(zaloText(group, "u7", "@danvan_bot /ketqua", true)));
    expect(results).toContain("Kết quả kiểm tra của Nhóm này: 1 bài, 1 người tham gia");
    expect(results).toContain("1. Người u7: đúng");
  });
});
