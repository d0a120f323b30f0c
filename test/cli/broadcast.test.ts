import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/sqlite/database.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { startFakeTelegram } from "../fakes/telegram-server.js";
import { startFakeZalo } from "../fakes/zalo-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";
import { runCli } from "./run-cli.js";

describe("npm run broadcast", async () => {
  const tg = await startFakeTelegram();
  afterAll(() => tg.close());
  const dataDir = await tempDir();
  const storage = openSqliteStorage(join(dataDir, "bot.sqlite"));
  const subs = storage.subscriptions;
  for (const id of [11, 12, 13])
    await subs.subscribe({ channel: "telegram", chatId: String(id), chatType: "private" });
  await subs.subscribe({ channel: "telegram", chatId: "-10042", chatType: "group", title: "Nhóm" });
  await storage.close();
  const env = {
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
    TELEGRAM_API_ROOT: tg.apiRoot,
  };

  it("queues a notice from the shell, delivers it once to every subscriber and prints the report", async () => {
    const r = await runCli(
      "src/cli/broadcast.ts",
      ["--text", "Thông báo: họp chi bộ <định kỳ> & sinh hoạt chuyên đề."],
      env,
    );
    const check = openDatabase(join(dataDir, "bot.sqlite"));
    const errors = check.prepare("SELECT error FROM deliveries WHERE error IS NOT NULL").all();
    check.close();
    expect(errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tới 4 cuộc trò chuyện");
    expect(r.stdout).toMatch(/Đã gửi xong thông báo #\d+: 4 thành công, 0 lỗi, 0 bị chặn/);
    const sent = tg.sent();
    expect(sent.map((c) => String(c.params.chat_id)).sort()).toEqual(["-10042", "11", "12", "13"]);
    expect(sent[0]?.params.text).toBe("Thông báo: họp chi bộ &lt;định kỳ&gt; &amp; sinh hoạt chuyên đề.");
  });

  it("explains how to use it", async () => {
    const r = await runCli("src/cli/broadcast.ts", [], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("npm run broadcast -- --text");
  });
});

describe("npm run broadcast with Zalo subscribers", async () => {
  const tg = await startFakeTelegram();
  const zalo = await startFakeZalo();
  afterAll(async () => {
    await tg.close();
    await zalo.close();
  });
  const kb = await copyOfKnowledge();
  /** A data folder with these subscribers. */
  const dataWith = async (subscribers: [string, string][]) => {
    const dir = await tempDir();
    const storage = openSqliteStorage(join(dir, "bot.sqlite"));
    for (const [channel, chatId] of subscribers)
      await storage.subscriptions.subscribe({ channel, chatId, chatType: "private" });
    await storage.close();
    return dir;
  };
  const telegramEnv = {
    TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
    TELEGRAM_API_ROOT: tg.apiRoot,
  };
  const zaloEnv = { ZALO_BOT_TOKEN: "zalo-test-token-123456", ZALO_API_BASE_URL: zalo.baseUrl };

  it("reaches every subscribed chat on both channels", async () => {
    const DATA_DIR = await dataWith([
      ["telegram", "21"],
      ["zalo", "zu1"],
      ["zalo", "zu2"],
    ]);
    const r = await runCli("src/cli/broadcast.ts", ["--text", "Lịch tiếp công dân tháng 12."], {
      KNOWLEDGE_DIR: kb,
      DATA_DIR,
      ...telegramEnv,
      ...zaloEnv,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tới 3 cuộc trò chuyện");
    expect(r.stdout).toMatch(/Đã gửi xong thông báo #\d+: 3 thành công, 0 lỗi, 0 bị chặn/);
    expect(tg.sent(21).map((c) => c.params.text)).toEqual(["Lịch tiếp công dân tháng 12."]);
    expect(zalo.sent().map((c) => [c.params.chat_id, c.params.text])).toEqual([
      ["zu1", "Lịch tiếp công dân tháng 12."],
      ["zu2", "Lịch tiếp công dân tháng 12."],
    ]);
  });

  it("works with only a Zalo token", async () => {
    const DATA_DIR = await dataWith([
      ["zalo", "zu3"],
      ["telegram", "22"],
    ]);
    const r = await runCli("src/cli/broadcast.ts", ["--text", "Chỉ qua Zalo."], {
      KNOWLEDGE_DIR: kb,
      DATA_DIR,
      ...zaloEnv,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Đã gửi xong thông báo #\d+: 1 thành công/);
    expect(zalo.sent("zu3").map((c) => c.params.text)).toEqual(["Chỉ qua Zalo."]);
    expect(tg.sent(22)).toEqual([]);
  });
});
