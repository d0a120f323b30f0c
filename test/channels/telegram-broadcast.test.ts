import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../cli/run-cli.js";
import { BOT_USER, type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

const TOKEN = "123456789:TEST-token-abcdefghijklmnop";
const ADMIN = { id: 1001, is_bot: false, first_name: "Quản trị" };
const citizen = (id: number) => ({ id, is_bot: false, first_name: `Dân ${id}` });
const groupChat = { id: -100777, type: "supergroup", title: "Chi hội phụ nữ" };
let msgId = 1;
const msg = (from: { id: number }, chat: object, text: string, extra: object = {}) => ({
  message: { message_id: msgId++, date: 0, chat, from, text, ...extra },
});
const privateOf = (u: { id: number; first_name: string }) => ({
  id: u.id,
  type: "private",
  first_name: u.first_name,
});

let tg: FakeTelegram;
let bot: ChildProcess;
let dataDir: string;

beforeAll(async () => {
  tg = await startFakeTelegram();
  dataDir = await tempDir();
  bot = startBot({
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_ADMIN_IDS: String(ADMIN.id),
  });
  await tg.waitFor(
    (c) => c.method === "setMyCommands" && JSON.stringify(c.params.scope ?? "").includes(String(ADMIN.id)),
    30_000,
  );
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await tg.close();
});

/** The next message sent to a chat after `push` (counted, not timed: replies can share a millisecond). */
const nextTo = async (chatId: number, push: () => void) => {
  const before = tg.sent(chatId).length;
  push();
  await expect.poll(() => tg.sent(chatId).length, { timeout: 15_000 }).toBeGreaterThan(before);
  return tg.sent(chatId)[before] as (typeof tg.calls)[number];
};
const reply = async (chatId: number, push: () => void) => String((await nextTo(chatId, push)).params.text);
const subscription = (chatId: number) => {
  const db = new Database(join(dataDir, "bot.sqlite"), { readonly: true });
  const row = db
    .prepare("SELECT active, inactive_reason AS reason FROM subscriptions WHERE chat_id = ?")
    .get(String(chatId));
  db.close();
  return row;
};

describe("subscriptions and announcements on Telegram", () => {
  it("subscribes, reports and unsubscribes a private chat", async () => {
    const u = citizen(2001);
    expect(await reply(u.id, () => tg.push(msg(u, privateOf(u), "/trangthai")))).toContain(
      "chưa nhận thông báo",
    );
    expect(await reply(u.id, () => tg.push(msg(u, privateOf(u), "/dangky")))).toContain(
      "Đã đăng ký nhận thông báo",
    );
    expect(await reply(u.id, () => tg.push(msg(u, privateOf(u), "/dangky")))).toContain(
      "đã đăng ký nhận thông báo rồi",
    );
    expect(await reply(u.id, () => tg.push(msg(u, privateOf(u), "/trangthai")))).toContain(
      "đang nhận thông báo",
    );
    expect(await reply(u.id, () => tg.push(msg(u, privateOf(u), "/huydangky")))).toContain("Đã huỷ đăng ký");
    expect(subscription(u.id)).toEqual({ active: 0, reason: "unsubscribed" });
    await reply(u.id, () => tg.push(msg(u, privateOf(u), "/dangky")));
  });

  it("lets only a group's administrators subscribe it", async () => {
    const member = citizen(2002);
    expect(
      await reply(groupChat.id, () => tg.push(msg(member, groupChat, "/dangky@DanVanTestBot"))),
    ).toContain("Chỉ quản trị viên của nhóm");
    expect(subscription(groupChat.id)).toBeUndefined();
    tg.makeChatAdmin(groupChat.id, member.id);
    expect(await reply(groupChat.id, () => tg.push(msg(member, groupChat, "/dangky")))).toContain(
      "Đã đăng ký nhận thông báo cho Nhóm này",
    );
  });

  it("keeps the list true when the bot is blocked and unblocked, and when a group migrates", async () => {
    const u = citizen(2003);
    await reply(u.id, () => tg.push(msg(u, privateOf(u), "/dangky")));
    const change = (status: string) => ({
      my_chat_member: {
        chat: privateOf(u),
        from: u,
        date: 0,
        old_chat_member: { status: "member", user: BOT_USER },
        new_chat_member: { status, user: BOT_USER, ...(status === "kicked" ? { until_date: 0 } : {}) },
      },
    });
    tg.push(change("kicked"));
    await expect.poll(() => subscription(u.id), { timeout: 5000 }).toEqual({ active: 0, reason: "blocked" });
    tg.push(change("member"));
    await expect.poll(() => subscription(u.id), { timeout: 5000 }).toEqual({ active: 1, reason: null });
    const small = { id: -555, type: "group", title: "Tổ dân phố" };
    tg.makeChatAdmin(small.id, 2004);
    await reply(small.id, () => tg.push(msg(citizen(2004), small, "/dangky")));
    tg.push(msg(citizen(2004), small, "", { text: undefined, migrate_to_chat_id: -100999 }));
    await expect.poll(() => subscription(-100999), { timeout: 5000 }).toEqual({ active: 1, reason: null });
  });

  it("refuses a notice from someone who is not an administrator", async () => {
    const u = citizen(2001);
    expect(await reply(u.id, () => tg.push(msg(u, privateOf(u), "/thongbao Họp khẩn")))).toContain(
      "chỉ dành cho quản trị viên",
    );
  });

  it("previews an administrator's notice, sends nothing on ❌, and delivers to every subscriber on ✅", async () => {
    const admin = privateOf(ADMIN);
    const preview = () =>
      nextTo(ADMIN.id, () =>
        tg.push(msg(ADMIN, admin, "/thongbao Họp giao ban công tác dân vận lúc 8 giờ sáng thứ Hai.")),
      );
    const first = await preview();
    expect(String(first.params.text)).toContain("sẽ gửi tới 4 cuộc trò chuyện");
    const buttons = (
      first.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    const press = (data: string | undefined, id: string) =>
      tg.push({
        callback_query: {
          id,
          from: ADMIN,
          chat_instance: "c",
          data,
          message: { message_id: 1, date: 0, chat: admin, from: BOT_USER, text: "…" },
        },
      });
    expect(
      await reply(ADMIN.id, () => press(buttons.find((b) => b.text === "❌ Huỷ")?.callback_data, "no1")),
    ).toContain("Đã huỷ thông báo");
    const second = await preview();
    const go = (
      second.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .find((b) => b.text === "✅ Gửi");
    press(go?.callback_data, "go1");
    const done = await tg.waitFor(
      (c) => c.method === "editMessageText" && String(c.params.text).includes("Đã gửi xong"),
      20_000,
    );
    expect(String(done.params.text)).toContain("4 thành công");
    const notices = tg.calls.filter(
      (c) => c.method === "sendMessage" && String(c.params.text).startsWith("Họp giao ban"),
    );
    expect(notices.map((c) => Number(c.params.chat_id)).sort()).toEqual(
      [-100999, -100777, 2001, 2003].sort(),
    );
  });

  it("keeps a preview's buttons when someone who is not an administrator presses ✅ in a group", async () => {
    const preview = await nextTo(groupChat.id, () =>
      tg.push(msg(ADMIN, groupChat, "/thongbao@DanVanTestBot Họp chi hội chiều nay.")),
    );
    const buttons = (
      preview.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    const member = citizen(2009);
    const pressBy = (from: object, data: string | undefined, id: string) =>
      tg.push({
        callback_query: {
          id,
          from,
          chat_instance: "g",
          data,
          message: { message_id: 777, date: 0, chat: groupChat, from: BOT_USER, text: "…" },
        },
      });
    const edits = () => tg.calls.filter((c) => c.method === "editMessageReplyMarkup");
    const before = edits().length;
    const refused = await reply(groupChat.id, () =>
      pressBy(member, buttons.find((b) => b.text === "✅ Gửi")?.callback_data, "m1"),
    );
    expect(refused).toContain("chỉ dành cho quản trị viên");
    expect(edits()).toHaveLength(before);
    // The administrator still has the buttons, and ❌ removes them.
    expect(
      await reply(groupChat.id, () =>
        pressBy(ADMIN, buttons.find((b) => b.text === "❌ Huỷ")?.callback_data, "m2"),
      ),
    ).toContain("Đã huỷ thông báo");
    expect(edits().length).toBeGreaterThan(before);
  });

  it("shows statistics to administrators", async () => {
    const text = await reply(ADMIN.id, () => tg.push(msg(ADMIN, privateOf(ADMIN), "/thongke")));
    expect(text).toContain("đang nhận");
    expect(text).toContain("4/4 đã gửi");
  });
});
