import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQuizMessengers } from "../../src/channels/quiz-messengers.js";
import { loadConfig } from "../../src/config.js";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";

const TOKEN = "123456789:TEST-token-abcdefghijklmnop";
const GROUP = -100777;

let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg.close();
});

const telegram = () => {
  const [m] = createQuizMessengers(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: tg.apiRoot }));
  if (!m?.poll) throw new Error("no Telegram quiz messenger");
  return m as typeof m & { poll: NonNullable<typeof m.poll> };
};

describe("quiz messages on Telegram", () => {
  it("waits out a 429 and still asks the question and says the time is up", async () => {
    const m = telegram();
    tg.failNext("sendPoll", 429, 1, 1);
    const pollId = await m.poll(
      String(GROUP),
      {
        question: "Câu 1/2: Điền vào chỗ trống: …",
        options: ["a", "b", "c"],
        correct: 1,
        explanation: "Đáp án: b",
      },
      30,
    );
    expect(pollId).toMatch(/^poll-/);
    expect(tg.polls(GROUP).map((c) => String(c.params.question))).toEqual(["Câu 1/2: Điền vào chỗ trống: …"]);
    tg.failNext("sendMessage", 429, 1, 1);
    await m.send(String(GROUP), "Hết giờ câu 1. Đáp án: b");
    expect(tg.sent(GROUP).map((c) => String(c.params.text))).toContain("Hết giờ câu 1. Đáp án: b");
  }, 15_000);
});
