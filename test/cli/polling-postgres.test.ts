import { expect, it } from "vitest";
import { startFakeTelegram } from "../fakes/telegram-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";
import { withPostgres } from "../storage/postgres/suite.js";
import { startBot } from "./run-cli.js";

withPostgres("Telegram long polling with DATABASE_URL", (server) => {
  it("warns that only one instance may poll, naming TELEGRAM_WEBHOOK_URL", async () => {
    const tg = await startFakeTelegram();
    const bot = startBot({
      KNOWLEDGE_DIR: await copyOfKnowledge(),
      DATA_DIR: await tempDir(),
      DATABASE_URL: await server().createDatabase(),
      TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
      TELEGRAM_API_ROOT: tg.apiRoot,
    });
    try {
      // The bot says it is polling once it has started.
      const deadline = Date.now() + 60_000;
      while (!bot.stderrText().includes("long polling") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const warning = bot
        .stderrText()
        .split("\n")
        .find((l) => l.includes("chế độ long polling: chỉ một máy"));
      expect(warning).toBeDefined();
      expect(warning).toContain("TELEGRAM_WEBHOOK_URL");
    } finally {
      bot.kill("SIGKILL");
      await tg.close();
    }
  }, 90_000);
});
