import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../cli/run-cli.js";
import {
  BOT_USER,
  type FakeTelegram,
  type RecordedCall,
  startFakeTelegram,
} from "../fakes/telegram-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

const TOKEN = "123456789:TEST-token-abcdefghijklmnop";
const user = { id: 4242, is_bot: false, first_name: "Lan" };
const privateChat = { id: 4242, type: "private", first_name: "Lan" };
const group = { id: -100555, type: "supergroup", title: "Chi bộ thôn" };
let msgId = 1;
const message = (chat: object, text: string, extra: object = {}) => ({
  message: { message_id: msgId++, date: Math.floor(Date.now() / 1000), chat, from: user, text, ...extra },
});

let tg: FakeTelegram;
let bot: ReturnType<typeof startBot>;
let dataDir: string;

beforeAll(async () => {
  tg = await startFakeTelegram();
  dataDir = await tempDir();
  bot = startBot({
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_ADMIN_IDS: "4242",
  });
  await tg.waitFor(
    (c) => c.method === "setMyCommands" && JSON.stringify(c.params.scope ?? "").includes("4242"),
    30_000,
  );
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await tg.close();
});

/** The feedback stored with a logged question. */
const storedFeedback = (question: string) => {
  const db = new Database(join(dataDir, "bot.sqlite"), { readonly: true });
  const row = db.prepare("SELECT feedback FROM questions WHERE question = ?").get(question);
  db.close();
  return row;
};

/** What a person reads: the HTML without tags. */
const visible = (c: RecordedCall) => String(c.params.text).replace(/<[^>]+>/g, "");
/** The next message to a chat after `push`, by count (two replies can share a millisecond). */
const nextTo = async (chatId: number, push: () => void): Promise<RecordedCall> => {
  const before = tg.sent(chatId).length;
  push();
  await expect.poll(() => tg.sent(chatId).length, { timeout: 15_000 }).toBeGreaterThan(before);
  return tg.sent(chatId)[before] as RecordedCall;
};

describe("the bot on Telegram", () => {
  it("registers its Vietnamese command menu at start-up, the admins' in their chat", () => {
    const menus = tg.calls.filter((c) => c.method === "setMyCommands");
    expect(JSON.stringify(menus[0]?.params.commands)).toContain("Đặt câu hỏi");
    expect(menus.some((c) => JSON.stringify(c.params.scope ?? "").includes("4242"))).toBe(true);
  });

  it("greets on /start", async () => {
    const sent = await nextTo(4242, () => tg.push(message(privateChat, "/start")));
    expect(sent.params.text).toContain("Xin chào Lan");
    expect(sent.params.parse_mode).toBe("HTML");
  });

  let answer: RecordedCall;
  it("answers a question with quoted excerpts, citations and buttons", async () => {
    answer = await nextTo(4242, () => tg.push(message(privateChat, "Kết luận 43 ban hành ngày nào?")));
    const html = String(answer.params.text);
    expect(html).toContain("<blockquote>");
    expect(html).toContain("07/01/2019");
    expect(html).toContain("<i>— Kế hoạch thực hiện KL 43-KL/TW · phần mở đầu</i>");
    const keyboard = (
      answer.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard;
    expect(keyboard[0]?.[0]?.text).toBe("📄 Nguồn 1");
    expect(keyboard.flat().map((b) => b.text)).toEqual(expect.arrayContaining(["👍", "👎"]));
    for (const b of keyboard.flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(tg.calls.some((c) => c.method === "sendChatAction" && c.params.action === "typing")).toBe(true);
  });

  it("shows the full passage when a source button is pressed, and answers the press", async () => {
    const keyboard = (answer.params.reply_markup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard;
    const source = await nextTo(4242, () =>
      tg.push({
        callback_query: {
          id: "cb1",
          from: user,
          chat_instance: "x",
          data: keyboard[0]?.[0]?.callback_data,
          message: { message_id: 1, date: 0, chat: privateChat, from: BOT_USER, text: "…" },
        },
      }),
    );
    expect(source.params.text).toMatch(/^<b>Nguồn 1: Kế hoạch thực hiện KL 43-KL\/TW · phần mở đầu<\/b>/);
    expect(
      tg.calls.some((c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === "cb1"),
    ).toBe(true);
  });

  it("stores 👍 with the logged question", async () => {
    const keyboard = (
      answer.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard;
    const up = keyboard.flat().find((b) => b.text === "👍");
    tg.push({
      callback_query: {
        id: "cb2",
        from: user,
        chat_instance: "x",
        data: up?.callback_data,
        message: { message_id: 1, date: 0, chat: privateChat, from: BOT_USER, text: "…" },
      },
    });
    const press = await tg.waitFor(
      (c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === "cb2",
    );
    expect(press.params.text).toBe("Cảm ơn bạn đã góp ý!");
    const row = storedFeedback("Kết luận 43 ban hành ngày nào?");
    expect(row).toEqual({ feedback: 1 });
  });

  it("refuses 👍 from someone who did not ask, from another chat, and on a question that does not exist", async () => {
    const keyboard = (
      answer.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard;
    const down = keyboard.flat().find((b) => b.text === "👎")?.callback_data as string;
    const stranger = { id: 5151, is_bot: false, first_name: "Khác" };
    const strangerChat = { id: 5151, type: "private", first_name: "Khác" };
    const press = async (id: string, from: object, chat: object, data: string) => {
      tg.push({
        callback_query: {
          id,
          from,
          chat_instance: "x",
          data,
          message: { message_id: 1, date: 0, chat, from: BOT_USER, text: "…" },
        },
      });
      return String(
        (await tg.waitFor((c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === id))
          .params.text,
      );
    };
    expect(await press("cb3", stranger, strangerChat, down)).toContain("Chỉ người đã hỏi");
    expect(await press("cb4", user, group, down)).toContain("Chỉ người đã hỏi");
    expect(await press("cb5", user, privateChat, "f:987654:-1")).toContain("Không tìm thấy câu hỏi");
    const row = storedFeedback("Kết luận 43 ban hành ngày nào?");
    // Still the asker's own 👍.
    expect(row).toEqual({ feedback: 1 });
  });

  it("stays silent in a group unless addressed, and answers a mention or a command there", async () => {
    const reply = await nextTo(group.id, () => {
      tg.push(message(group, "Hôm nay họp chi bộ lúc mấy giờ nhỉ?"));
      tg.push(message(group, "@DanVanTestBot hội quần chúng tự đảm bảo kinh phí thế nào?"));
    });
    expect(visible(reply)).toContain("tự đảm bảo kinh phí");
    const command = await nextTo(group.id, () =>
      tg.push(message(group, "/hoi@DanVanTestBot mttq đổi mới phương thức hoạt động")),
    );
    expect(visible(command)).toContain("Mặt trận Tổ quốc");
    expect(tg.sent(group.id)).toHaveLength(2);
  });

  it("answers a reply to one of its messages in a group", async () => {
    await nextTo(group.id, () =>
      tg.push(
        message(group, "còn gì nữa không?", {
          reply_to_message: { message_id: 5, date: 0, chat: group, from: BOT_USER, text: "…" },
        }),
      ),
    );
  });

  it("still delivers the answer when Telegram says 429", async () => {
    tg.failNext("sendMessage", 429, 1, 1);
    const question = "Quy chế dân chủ ở cơ sở được nói thế nào?";
    const before = tg.sent(4242).length;
    tg.push(message(privateChat, question));
    // The first try got 429 (recorded by the fake server), the second went through.
    await expect.poll(() => tg.sent(4242).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2);
    const [refused, delivered] = tg.sent(4242).slice(before) as [RecordedCall, RecordedCall];
    expect(refused.params.text).toBe(delivered.params.text);
    expect(delivered.at - refused.at).toBeGreaterThanOrEqual(900);
    expect(visible(delivered)).toContain("Quy chế dân chủ");
  });

  it("replies usefully to a sticker in a private chat", async () => {
    const sticker = {
      file_id: "x",
      file_unique_id: "y",
      type: "regular",
      width: 1,
      height: 1,
      is_animated: false,
      is_video: false,
    };
    const sent = await nextTo(4242, () =>
      tg.push({ message: { message_id: msgId++, date: 0, chat: privateChat, from: user, sticker } }),
    );
    expect(sent.params.text).toContain("chỉ đọc được tin nhắn chữ");
  });

  it("never writes the bot token into its logs", () => {
    expect(bot.stderrText()).not.toContain(TOKEN);
  });

  it("stops taking updates on SIGTERM, finishes, and exits 0", async () => {
    const t = Date.now();
    tg.push(message(privateChat, "Tập huấn kỹ năng công tác dân vận cho ai?"));
    await tg.waitFor((c) => c.method === "sendChatAction" && c.at >= t);
    bot.kill("SIGTERM");
    const code = await new Promise((r) => bot.once("exit", (c) => r(c)));
    expect(code).toBe(0);
    // The question that was being answered when the signal came still got its answer.
    expect(tg.sent(4242).some((c) => c.at >= t && String(c.params.text).includes("<blockquote>"))).toBe(true);
  });
});
