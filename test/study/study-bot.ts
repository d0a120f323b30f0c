/**
 * The bot composed in this process as src/main.ts composes it (engine, admin, study service,
 * broadcast worker, real grammY and Zalo channels against the fake servers on 127.0.0.1, one
 * SQLite file), with the study clock injected: tests move time instead of waiting for it, and
 * "restart" by stopping everything and composing again on the same database file.
 */
import { run } from "@grammyjs/runner";
import { citationOfPassage } from "../../src/answer/citations.js";
import { createAnswerer } from "../../src/answer/compose.js";
import { createAdmin } from "../../src/bot/admin.js";
import { createEngine } from "../../src/bot/engine.js";
import { createBroadcastService, createWorker } from "../../src/broadcast/service.js";
import { createQuizMessengers } from "../../src/channels/quiz-messengers.js";
import { createTelegramBot } from "../../src/channels/telegram/bot.js";
import { createTelegramSender } from "../../src/channels/telegram/sender.js";
import { createZaloChannel } from "../../src/channels/zalo/channel.js";
import { createZaloClient } from "../../src/channels/zalo/client.js";
import { createZaloSender } from "../../src/channels/zalo/sender.js";
import { loadConfig } from "../../src/config.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { createStudyService } from "../../src/study/service.js";
import { index, prompts, retriever } from "../bot/test-engine.js";
import { memoryLogger } from "../fakes/memory-logger.js";

export const TOKEN = "123456789:TEST-token-abcdefghijklmnop";

export interface StudyBot {
  /** Queues what is due at the clock's time (series sends, quiz questions). */
  tick(): Promise<void>;
  /** Runs the broadcast worker until every queued delivery is settled. */
  deliver(): Promise<void>;
  study: ReturnType<typeof createStudyService>;
  /** The database the bot keeps (to check what a user cannot see from a chat). */
  storage: ReturnType<typeof openSqliteStorage>;
  stop(): Promise<void>;
}

export async function startStudyBot(o: {
  database: string;
  clock: () => Date;
  telegram?: { apiRoot: string; adminIds: number[] };
  zalo?: { baseUrl: string; adminIds: string[] };
}): Promise<StudyBot> {
  const storage = openSqliteStorage(o.database);
  const { logger } = memoryLogger();
  const r = prompts.replies;
  const telegramSender = o.telegram
    ? createTelegramSender({ token: TOKEN, apiRoot: o.telegram.apiRoot, replies: r, perSecond: 1000 })
    : undefined;
  const zaloClient = o.zalo
    ? createZaloClient({ token: "zalo-test-token", baseUrl: o.zalo.baseUrl })
    : undefined;
  const senders = [
    ...(telegramSender ? [telegramSender] : []),
    ...(zaloClient ? [createZaloSender(zaloClient, 1000)] : []),
  ].map((s) => ({
    ...s,
    send: s.send,
    limits: { perSecond: 1000, privateIntervalMs: 0, groupIntervalMs: 0 },
  }));
  // The quiz messengers main.ts makes (Telegram's with auto-retry), on the fake servers.
  const messengers = createQuizMessengers(
    loadConfig(o.telegram ? { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: o.telegram.apiRoot } : {}),
    zaloClient,
  );
  const broadcasts = createBroadcastService(
    storage,
    senders.map((s) => s.channel),
  );
  const admin = createAdmin({
    subscriptions: storage.subscriptions,
    broadcasts,
    questionLog: storage.questions,
    admins: {
      telegram: new Set(o.telegram?.adminIds.map(String)),
      zalo: new Set(o.zalo?.adminIds),
    },
    replies: r,
    logger,
  });
  const study = createStudyService({
    study: storage.study,
    quizzes: storage.quizzes,
    index: () => index,
    channels: senders.map((s) => s.channel),
    messengers,
    isAdmin: (m) => admin.isAdmin(m),
    replies: r,
    logger,
    now: o.clock,
  });
  const engine = createEngine({
    admin,
    study,
    answerer: createAnswerer({ retriever: () => retriever, prompts, logger }),
    documents: () => index.documents,
    citation: (id) => citationOfPassage(index, id),
    questionLog: storage.questions,
    feedback: storage.feedback,
    sessions: storage.sessions,
    replies: r,
    logger,
  });
  const stops: (() => Promise<void>)[] = [];
  if (o.telegram) {
    const bot = createTelegramBot({
      token: TOKEN,
      apiRoot: o.telegram.apiRoot,
      engine,
      replies: r,
      logger,
      subscriptions: storage.subscriptions,
      study: storage.study,
      quizzes: storage.quizzes,
      onPollAnswer: (a) => study.pollAnswer(a),
    });
    await bot.init();
    const runner = run(bot, { runner: { fetch: { timeout: 1 }, silent: true } });
    stops.push(() => runner.stop());
  }
  if (zaloClient) {
    const channel = createZaloChannel({
      client: zaloClient,
      engine,
      replies: r,
      logger,
      retry: { retries: 0 },
    });
    const polling = channel.poll();
    stops.push(async () => {
      await channel.stop();
      await Promise.race([polling, new Promise((resolve) => setTimeout(resolve, 1500))]);
    });
  }
  return {
    tick: () => study.tick(),
    deliver: () =>
      createWorker(
        { ...storage, senders, service: broadcasts, logger },
        {
          idleMs: 20,
          extraFor: (d, b) => study.extraFor(d, b),
          afterDelivery: (d, result) => study.afterDelivery(d, result),
        },
      ).drain(),
    study,
    storage,
    async stop() {
      for (const s of stops) await s();
      await storage.close();
    },
  };
}
