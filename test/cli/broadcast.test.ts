import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.js";
import { createSqliteSubscriptions } from "../../src/storage/subscriptions.js";
import { startFakeTelegram } from "../fakes/telegram-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";
import { runCli } from "./run-cli.js";

describe("npm run broadcast", async () => {
  const tg = await startFakeTelegram();
  afterAll(() => tg.close());
  const dataDir = await tempDir();
  const db = openDatabase(join(dataDir, "bot.sqlite"));
  const subs = createSqliteSubscriptions(db);
  for (const id of [11, 12, 13])
    subs.subscribe({ channel: "telegram", chatId: String(id), chatType: "private" });
  subs.subscribe({ channel: "telegram", chatId: "-10042", chatType: "group", title: "Nhóm" });
  db.close();
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
