/**
 * The study feature as `npm start` wires it (src/main.ts), against the fake Bot API: the
 * commands are in the menus and reach the study module, and /baihoc answers with the lesson and
 * its check question as a quiz poll.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../cli/run-cli.js";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

const ADMIN = { id: 1001, is_bot: false, first_name: "Quản trị" };
const LAN = { id: 2001, is_bot: false, first_name: "Lan" };
const privateOf = (u: { id: number; first_name: string }) => ({
  id: u.id,
  type: "private",
  first_name: u.first_name,
});
let msgId = 1;
const msg = (from: { id: number; first_name: string }, text: string) => ({
  message: { message_id: msgId++, date: 0, chat: privateOf(from), from, text },
});

let tg: FakeTelegram;
let bot: ChildProcess;

beforeAll(async () => {
  tg = await startFakeTelegram();
  bot = startBot({
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: await tempDir(),
    TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_ADMIN_IDS: String(ADMIN.id),
  });
  await tg.waitFor((c) => c.method === "setMyCommands", 30_000);
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await tg.close();
});

const say = async (from: { id: number; first_name: string }, text: string) => {
  const before = tg.sent(from.id).length;
  tg.push(msg(from, text));
  await expect.poll(() => tg.sent(from.id).length, { timeout: 15_000 }).toBeGreaterThan(before);
  return String(tg.sent(from.id)[before]?.params.text);
};

describe("study series in the running bot", () => {
  it("lists the study commands in the menus", async () => {
    const menu = await tg.waitFor((c) => c.method === "setMyCommands");
    expect(JSON.stringify(menu.params.commands)).toContain('"command":"baihoc"');
  });

  it("creates, starts and joins a series, and shows the next lesson with a quiz poll", async () => {
    expect(await say(ADMIN, "/taochuoi 1 | thứ 2-6 7:00")).toContain("Đã soạn chuỗi bài học #1");
    expect(await say(ADMIN, "/batdauchuoi 1")).toContain("Chuỗi bài học #1 đang gửi");
    expect(await say(LAN, "/thamgia 1")).toContain("bắt đầu từ bài 1");
    const polls = tg.polls(LAN.id).length;
    expect(await say(LAN, "/baihoc")).toContain("Bài 1/10");
    await expect.poll(() => tg.polls(LAN.id).length, { timeout: 15_000 }).toBe(polls + 1);
    expect(tg.polls(LAN.id).at(-1)?.params).toMatchObject({ type: "quiz", is_anonymous: false });
    expect(await say(LAN, "/baihoc")).toContain("Bài 2/10");
  });
});
