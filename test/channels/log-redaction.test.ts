/**
 * Whatever fails while a message is handled, on every channel and in every mode, the logs name
 * the failure without the bot's token or the text the user wrote, and the user is told.
 */
import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { afterAll, describe, expect, it } from "vitest";
import { createTelegramBot } from "../../src/channels/telegram/bot.js";
import { SECRET_HEADER, telegramWebhookRoute } from "../../src/channels/telegram/webhook.js";
import { createZaloChannel } from "../../src/channels/zalo/channel.js";
import { createZaloClient } from "../../src/channels/zalo/client.js";
import { createHttpApp, type Route } from "../../src/server/app.js";
import { prompts, testEngine } from "../bot/test-engine.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";
import { startFakeZalo, zaloText } from "../fakes/zalo-server.js";

const TG_TOKEN = "123456789:SECRET-token-abcdefghijklmnop";
const ZALO_TOKEN = "zalo-secret-token-7777777";
const QUESTION = "Kết luận 43 ban hành ngày nào? mã riêng 4711";
const r = prompts.replies;

/** What to stop when the file is done (servers, runners, polling loops). */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A route on a local HTTP server; the address to post to. */
async function serve(route: Route, logger: ReturnType<typeof memoryLogger>["logger"]) {
  const http = createHttpApp(new Map([["/hook", route]]), logger);
  const port = await http.listen(0, "127.0.0.1");
  cleanups.push(() => http.close());
  return `http://127.0.0.1:${port}/hook`;
}

const textUpdate = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: 0,
    chat: { id: chatId, type: "private" },
    from: { id: chatId, is_bot: false, first_name: "An" },
    text,
  },
});

function telegramBot(tg: FakeTelegram) {
  const log = memoryLogger();
  const { engine } = testEngine({ logger: log.logger });
  const bot = createTelegramBot({
    token: TG_TOKEN,
    apiRoot: tg.apiRoot,
    engine,
    replies: r,
    logger: log.logger,
  });
  return { bot, log };
}

/** The user was told something went wrong, and the log holds neither secret nor question. */
async function expectToldAndRedacted(
  told: () => string[],
  log: ReturnType<typeof memoryLogger>,
  token: string,
) {
  await expect.poll(told, { timeout: 15_000 }).toContain(r.error);
  await expect.poll(() => log.lines().some((l) => l.level === 50), { timeout: 5000 }).toBe(true);
  expect(log.text()).not.toContain(token);
  expect(log.text()).not.toContain("mã riêng 4711");
}

describe("logs on Telegram", async () => {
  const tg = await startFakeTelegram();
  cleanups.push(() => tg.close());
  const told = (chatId: number) => () => tg.sent(chatId).map((c) => String(c.params.text));

  it("webhook: a 403 while answering goes through the error boundary, redacted", async () => {
    const { bot, log } = telegramBot(tg);
    await bot.init();
    const url = await serve(telegramWebhookRoute(bot, "s3cret-s3cret"), log.logger);
    tg.failNext("sendMessage", 403);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [SECRET_HEADER]: "s3cret-s3cret" },
      body: JSON.stringify(textUpdate(1, 71, QUESTION)),
    });
    expect(res.status).toBe(200);
    await expectToldAndRedacted(told(71), log, TG_TOKEN);
    const line = log.lines().find((l) => l.level === 50) as Record<string, unknown>;
    expect(JSON.stringify(line)).toContain("403");
  });

  it("webhook: an expired button press goes through the error boundary, redacted", async () => {
    const { bot, log } = telegramBot(tg);
    await bot.init();
    const url = await serve(telegramWebhookRoute(bot, "s3cret-s3cret"), log.logger);
    tg.failNext("answerCallbackQuery", 400);
    const chat = { id: 73, type: "private" };
    const from = { id: 73, is_bot: false, first_name: "An" };
    const press = {
      update_id: 2,
      callback_query: {
        id: "old",
        from,
        chat_instance: "x",
        data: "s:1:1",
        message: { message_id: 5, date: 0, chat, from, text: QUESTION },
      },
    };
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [SECRET_HEADER]: "s3cret-s3cret" },
      body: JSON.stringify(press),
    });
    expect(res.status).toBe(200);
    await expectToldAndRedacted(told(73), log, TG_TOKEN);
  });

  it("polling: a 403 while answering goes through the error boundary, redacted", async () => {
    const { bot, log } = telegramBot(tg);
    await bot.init();
    const runner = run(bot as Bot);
    cleanups.push(() => runner.isRunning() && runner.stop());
    tg.failNext("sendMessage", 403);
    tg.push({ message: textUpdate(0, 72, QUESTION).message });
    await expectToldAndRedacted(told(72), log, TG_TOKEN);
  });
});

describe("logs on Zalo", async () => {
  const zalo = await startFakeZalo();
  cleanups.push(() => zalo.close());
  const told = (chatId: string) => () => zalo.sent(chatId).map((c) => String(c.params.text));
  const channel = () => {
    const log = memoryLogger();
    const { engine } = testEngine({ logger: log.logger });
    const client = createZaloClient({ token: ZALO_TOKEN, baseUrl: zalo.baseUrl });
    return {
      log,
      zc: createZaloChannel({ client, engine, replies: r, logger: log.logger }),
    };
  };

  it("webhook: a refused reply is logged redacted and the user is told", async () => {
    const { log, zc } = channel();
    const url = await serve(zc.webhookRoute("zalo-hook-secret"), log.logger);
    zalo.failNext("sendMessage", 403);
    expect(await zalo.deliver(url, zaloText("z71", "z71", QUESTION), "zalo-hook-secret")).toBe(200);
    await expectToldAndRedacted(told("z71"), log, ZALO_TOKEN);
  });

  it("polling: a refused reply is logged redacted and the user is told", async () => {
    const { log, zc } = channel();
    const polling = zc.poll();
    cleanups.push(async () => {
      await zc.stop();
      await Promise.race([polling, new Promise((res) => setTimeout(res, 1000))]);
    });
    zalo.failNext("sendMessage", 403);
    zalo.push(zaloText("z72", "z72", QUESTION));
    await expectToldAndRedacted(told("z72"), log, ZALO_TOKEN);
  });
});

describe("a Telegram Bot API outage while polling", () => {
  it("logs failed getUpdates as a warning, once for a run of failures, without the token", async () => {
    const tg = await startFakeTelegram();
    const { bot, log } = telegramBot(tg);
    await bot.init();
    // The Bot API goes away: every getUpdates now fails to connect.
    await tg.close();
    const runner = run(bot as Bot, { runner: { silent: true } });
    cleanups.push(() => runner.isRunning() && runner.stop());
    const warnings = () => log.lines().filter((l) => l.level === 40 && String(l.msg).includes("getUpdates"));
    await expect.poll(() => warnings().length, { timeout: 5000 }).toBe(1);
    // auto-retry tries again after 3 s: still one warning, the failures counted in it later.
    await new Promise((res) => setTimeout(res, 3500));
    expect(warnings()).toHaveLength(1);
    expect(log.text()).not.toContain(TG_TOKEN);
    expect(log.text()).not.toContain(TG_TOKEN.split(":")[1]);
  });
});

describe("a logger per update", () => {
  const answered = (log: ReturnType<typeof memoryLogger>) =>
    log.lines().find((l) => l.msg === "đã trả lời") as Record<string, unknown> | undefined;

  it("on Telegram: what the engine logs about an update names the channel and the update id", async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const { bot, log } = telegramBot(tg);
    await bot.init();
    const url = await serve(telegramWebhookRoute(bot, "s3cret-s3cret"), log.logger);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [SECRET_HEADER]: "s3cret-s3cret" },
      body: JSON.stringify(textUpdate(4711, 74, "Kết luận 43 ban hành ngày nào?")),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => answered(log), { timeout: 15_000 })
      .toMatchObject({ channel: "telegram", update: 4711 });
  });

  it("on Zalo: the same, with the message id", async () => {
    const zalo = await startFakeZalo();
    cleanups.push(() => zalo.close());
    const log = memoryLogger();
    const { engine } = testEngine({ logger: log.logger });
    const client = createZaloClient({ token: ZALO_TOKEN, baseUrl: zalo.baseUrl });
    const zc = createZaloChannel({ client, engine, replies: r, logger: log.logger });
    const update = zaloText("z74", "z74", "Kết luận 43 ban hành ngày nào?");
    await zc.handle(update);
    const id = (update.message as { message_id: string }).message_id;
    expect(answered(log)).toMatchObject({ channel: "zalo", update: id });
  });
});
