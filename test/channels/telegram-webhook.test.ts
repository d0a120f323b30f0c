import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../cli/run-cli.js";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";
import { copyOfKnowledge, freePort, tempDir } from "../helpers.js";

const TOKEN = "123456789:TEST-token-abcdefghijklmnop";
let tg: FakeTelegram;
let bot: ChildProcess;
let port: number;
let secret: string;

const update = (id: number, text: string) => ({
  update_id: id,
  message: {
    message_id: id,
    date: 0,
    chat: { id: 99, type: "private" },
    from: { id: 99, is_bot: false, first_name: "An" },
    text,
  },
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}/tg/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  tg = await startFakeTelegram();
  port = await freePort();
  bot = startBot({
    KNOWLEDGE_DIR: await copyOfKnowledge(),
    DATA_DIR: await tempDir(),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/tg/hook`,
    PORT: String(port),
  });
  const set = await tg.waitFor((c) => c.method === "setWebhook", 30_000);
  secret = String(set.params.secret_token);
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await tg.close();
});

describe("Telegram webhook mode", () => {
  it("registers the webhook with a generated secret", () => {
    const set = tg.calls.find((c) => c.method === "setWebhook");
    expect(set?.params.url).toBe(`http://127.0.0.1:${port}/tg/hook`);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it("answers /healthz", async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it("refuses a wrong or missing secret with 401 and processes nothing", async () => {
    expect(
      (
        await post(update(1, "Kết luận 43 ban hành ngày nào?"), {
          "x-telegram-bot-api-secret-token": "wrong",
        })
      ).status,
    ).toBe(401);
    expect((await post(update(2, "Kết luận 43 ban hành ngày nào?"))).status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(tg.sent(99)).toHaveLength(0);
  });

  it("acknowledges an update at once and answers it", async () => {
    const res = await post(update(3, "Kết luận 43 ban hành ngày nào?"), {
      "x-telegram-bot-api-secret-token": secret,
    });
    expect(res.status).toBe(200);
    const sent = await tg.waitFor((c) => c.method === "sendMessage" && Number(c.params.chat_id) === 99);
    expect(String(sent.params.text)).toContain("07/01/2019");
  });

  it("answers an update once even when Telegram delivers it twice", async () => {
    const chat = 98;
    const twice = { ...update(4, "Kết luận 43 ban hành ngày nào?"), update_id: 40 };
    twice.message.chat = { id: chat, type: "private" };
    const headers = { "x-telegram-bot-api-secret-token": secret };
    expect((await post(twice, headers)).status).toBe(200);
    expect((await post(twice, headers)).status).toBe(200);
    await expect.poll(() => tg.sent(chat).length, { timeout: 15_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 800));
    expect(tg.sent(chat)).toHaveLength(1);
  });

  it("refuses what is not JSON, and oversized bodies", async () => {
    const notJson = await fetch(`http://127.0.0.1:${port}/tg/hook`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(notJson.status).toBe(415);
    const big = await post(
      { update_id: 9, pad: "x".repeat(1_100_000) },
      { "x-telegram-bot-api-secret-token": secret },
    );
    expect(big.status).toBe(413);
  });

  it("stops on SIGTERM and exits 0", async () => {
    bot.kill("SIGTERM");
    const code = await new Promise((r) => bot.once("exit", (c) => r(c)));
    expect(code).toBe(0);
  });
});
