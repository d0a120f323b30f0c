/**
 * Composition root: config → logger → prompts → database → knowledge index → answers → engine →
 * channel. With no bot token configured, the bot runs as a chat in this terminal.
 */

import { accessSync, constants } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { run } from "@grammyjs/runner";
import { citationOfPassage } from "./answer/citations.js";
import { createAnswerer } from "./answer/compose.js";
import { createOpenAiChat } from "./answer/llm.js";
import { createAdmin } from "./bot/admin.js";
import { createEngine } from "./bot/engine.js";
import { createLibrary } from "./bot/library.js";
import { createLibraryLedger } from "./bot/library-ledger.js";
import { progressReporter } from "./broadcast/progress.js";
import { createBroadcastService, createWorker } from "./broadcast/service.js";
import { consoleUser, runConsoleChat } from "./channels/console/chat.js";
import { createQuizMessengers } from "./channels/quiz-messengers.js";
import { createChannelSenders } from "./channels/senders.js";
import { createTelegramBot, registerCommands } from "./channels/telegram/bot.js";
import { telegramWebhookRoute, webhookSecret } from "./channels/telegram/webhook.js";
import { createUpdateClaimer, type UpdateClaimer } from "./channels/update-claims.js";
import { createZaloChannel } from "./channels/zalo/channel.js";
import type { ZaloClient } from "./channels/zalo/client.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { openExtractionCache } from "./knowledge/extraction-cache.js";
import type { ReadOptions } from "./knowledge/loader.js";
import { createLogger, errorSummary } from "./logger.js";
import { fill, loadPrompts } from "./prompts.js";
import {
  currentVersion,
  type EnsureOutcome,
  ensureIndex,
  extractionCacheDir,
  loadIndex,
} from "./search/index-store.js";
import { createKnowledgeSync } from "./search/knowledge-sync.js";
import { createIndexHolder } from "./search/retriever.js";
import { createHttpApp, type HealthCheck, type Route } from "./server/app.js";
import { createHealthCheck } from "./server/health.js";
import { createDocumentFiles } from "./server/web/document-files.js";
import { createAdminWeb } from "./server/web/index.js";
import { readIndexInfo } from "./server/web/index-info.js";
import { createLock, createReindexer, ingestPipeline } from "./server/web/reindex.js";
import { createSignInLinks, WEB_PREFIX } from "./server/web/sign-in.js";
import { loadWebTexts } from "./server/web/texts.js";
import { databaseLabel, openStorage } from "./storage/open.js";
import type { Storage } from "./storage/ports.js";
import { MigrationError } from "./storage/postgres/migrations.js";
import { createRetention } from "./storage/retention.js";
import { createStudyService } from "./study/service.js";

/** A running channel: its webhook route (if any), a start once the HTTP server listens, a stop. */
interface RunningChannel {
  routes: [string, Route][];
  afterListen?: () => Promise<void>;
  stop: () => Promise<void>;
}

type ChannelDeps = Omit<Parameters<typeof createTelegramBot>[0], "token" | "apiRoot"> & {
  /** Which instance answers an update delivered to several (claimed in the database). */
  claimer: UpdateClaimer;
  health: HealthCheck;
};

/**
 * The updates the bot handles, asked for in both modes (Telegram otherwise keeps the previous
 * setting): poll_answer carries quiz answers.
 */
const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "poll_answer"] as const;

/** Telegram: long polling with @grammyjs/runner, or a webhook route when TELEGRAM_WEBHOOK_URL is set. */
async function startTelegram(config: Config, deps: ChannelDeps): Promise<RunningChannel> {
  const t = config.telegram as NonNullable<Config["telegram"]>;
  const { claimer, health: _health, ...botDeps } = deps;
  const bot = createTelegramBot({ ...botDeps, token: t.token, apiRoot: t.apiRoot });
  await bot.init();
  await registerCommands(bot, t.adminIds, deps.replies).catch((err: unknown) =>
    deps.logger.warn({ err: (err as Error).message }, "không đăng ký được menu lệnh"),
  );
  if (t.mode.kind === "webhook") {
    const url = t.mode.url;
    const secret = await webhookSecret(t.mode.secret, join(config.dataDir, "telegram-webhook-secret"));
    return {
      routes: [[new URL(url).pathname, telegramWebhookRoute(bot, secret, claimer)]],
      afterListen: async () => {
        await bot.api.setWebhook(url, {
          secret_token: secret,
          allowed_updates: ALLOWED_UPDATES,
        });
        deps.logger.info({ bot: bot.botInfo.username }, "bot Telegram đang chạy (webhook)");
      },
      stop: async () => undefined,
    };
  }
  // Polling and a webhook exclude each other on Telegram's side.
  await bot.api.deleteWebhook().catch(() => undefined);
  // Failed getUpdates are logged by the bot (redacted, rate-limited), not printed by the runner.
  const runner = run(bot, {
    runner: { fetch: { timeout: 30, allowed_updates: ALLOWED_UPDATES }, silent: true },
  });
  deps.logger.info({ bot: bot.botInfo.username }, "bot Telegram đang chạy (long polling)");
  // Telegram gives updates to one poller only: a second instance on the same database and token
  // would fight this one for them (409) instead of sharing the load.
  if (config.postgres)
    deps.logger.warn(
      { variable: "TELEGRAM_WEBHOOK_URL" },
      "dùng chung PostgreSQL nhưng Telegram đang ở chế độ long polling: chỉ một máy được chạy như vậy; nhiều máy cần chế độ webhook (đặt TELEGRAM_WEBHOOK_URL)",
    );
  return { routes: [], stop: () => runner.stop() };
}

/** Zalo: long polling, or a webhook route when ZALO_WEBHOOK_URL and ZALO_WEBHOOK_SECRET are set. */
async function startZalo(config: Config, client: ZaloClient, deps: ChannelDeps): Promise<RunningChannel> {
  const z = config.zalo as NonNullable<Config["zalo"]>;
  const channel = createZaloChannel({ client, ...deps });
  if (z.mode.kind === "webhook") {
    const { url, secret } = z.mode;
    return {
      routes: [[new URL(url).pathname, channel.webhookRoute(secret)]],
      afterListen: async () => {
        await client.setWebhook(url, secret);
        deps.logger.info("bot Zalo đang chạy (webhook)");
      },
      stop: () => channel.stop(),
    };
  }
  const polling = channel.poll();
  deps.logger.info("bot Zalo đang chạy (long polling)");
  return {
    routes: [],
    stop: async () => {
      await channel.stop();
      await Promise.race([polling, new Promise((r) => setTimeout(r, 1000))]);
    },
  };
}

/** Runs the configured channels until SIGINT/SIGTERM, then stops taking updates and finishes. */
async function runChannels(
  config: Config,
  deps: ChannelDeps,
  zaloClient?: ZaloClient,
  web?: ReturnType<typeof createAdminWeb>,
): Promise<void> {
  const signal = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  const running: RunningChannel[] = [];
  if (config.telegram) running.push(await startTelegram(config, deps));
  if (config.zalo && zaloClient) running.push(await startZalo(config, zaloClient, deps));
  const routes = running.flatMap((r) => r.routes);
  const http =
    routes.length > 0 || web ? createHttpApp(new Map(routes), deps.logger, deps.health) : undefined;
  // The administrators' web page shares the webhooks' server (issue 14).
  if (http && web) http.app.route(WEB_PREFIX, web);
  if (http) {
    const port = await http.listen(config.port);
    deps.logger.info({ port, paths: routes.map(([p]) => p) }, "máy chủ webhook đang nghe");
  }
  for (const r of running) await r.afterListen?.();
  await signal;
  deps.logger.info("đang dừng: không nhận tin mới, chờ các tin đang xử lý");
  await http?.close();
  await Promise.all(running.map((r) => r.stop()));
}

/** Why `dir` cannot be written to (EACCES, EROFS, ENOTDIR…), or undefined when it can. */
function writableProblem(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // The terminal chat shares the screen with the logs: only warnings unless asked for more.
  const logger = createLogger(config.logLevel ?? (config.telegram ? "info" : "warn"));
  const prompts = await loadPrompts();
  let storage: Storage;
  try {
    storage = await openStorage(config);
  } catch (err) {
    if (config.postgres) {
      const database = databaseLabel(config);
      // Connected, but its schema could not be brought up to date: not a connection problem.
      const text =
        err instanceof MigrationError
          ? fill(prompts.replies.database_migration_failed, {
              database,
              version: err.version,
              cause: err.cause instanceof Error ? err.cause.message : String(err.cause),
            })
          : fill(prompts.replies.database_unreachable, {
              database,
              cause: err instanceof Error ? err.message : String(err),
            });
      process.stderr.write(`${text}\n`);
      return 2;
    }
    // SQLite says only "unable to open database file": ask the file system why.
    const cause = writableProblem(config.dataDir) ?? (err instanceof Error ? err.message : String(err));
    process.stderr.write(
      `${fill(prompts.replies.data_dir_unusable, { dir: config.dataDir, database: config.databasePath, cause })}\n`,
    );
    return 2;
  }
  // What was started, stopped in reverse order before the database closes, whether start-up
  // finished or failed half-way (a timer left running would keep the process alive).
  const stops: (() => unknown)[] = [];
  try {
    let outcome: EnsureOutcome;
    try {
      outcome = await ensureIndex(config.knowledgeDir, config.indexDir, {
        embedder: config.embedder,
        maxDocumentBytes: config.maxDocumentBytes,
        maxDocumentPages: config.maxDocumentPages,
        onCorrupt: (err) =>
          logger.warn({ path: err.path, reason: err.message }, "chỉ mục bị hỏng, đang xây lại"),
      });
    } catch (err) {
      // A failed rebuild (an embeddings server down, a document that breaks the builder) must not
      // stop a bot that has a valid index: it keeps answering from that one.
      const previous = await loadIndex(config.indexDir, config.embedder).catch(() => undefined);
      if (!previous) throw err;
      logger.warn(
        { err: errorSummary(err), passages: previous.manifest.passages, builtAt: previous.manifest.builtAt },
        "không xây lại được chỉ mục, tiếp tục dùng chỉ mục trước",
      );
      outcome = { action: "loaded", ...previous };
    }
    if (outcome.action === "built") {
      logger.info(
        { reason: outcome.reason, passages: outcome.manifest.passages, ms: Math.round(outcome.ms) },
        "đã xây chỉ mục",
      );
      for (const s of outcome.manifest.skipped)
        logger.warn({ file: s.source, reason: s.reason }, "bỏ qua tệp");
    }
    const holder = createIndexHolder(outcome, {
      indexDir: config.indexDir,
      embedder: config.embedder,
      vectorWeights: config.vectorWeights,
      logger,
      version: await currentVersion(config.indexDir),
    });
    // An ingest run while the bot serves is picked up without a restart.
    holder.watch();
    stops.push(() => holder.close());
    // A change of the documents made through another instance (its ingest, an upload) moves the
    // documents' version in the shared database: rebuild from the shared folder and swap.
    // Rebuilds from here (the knowledge sync, the web page's changes) run one at a time.
    const rebuildLock = createLock();
    const knowledgeSync = createKnowledgeSync({
      versions: storage.knowledge,
      logger,
      rebuild: () =>
        rebuildLock(async () => {
          await ensureIndex(config.knowledgeDir, config.indexDir, {
            embedder: config.embedder,
            maxDocumentBytes: config.maxDocumentBytes,
            maxDocumentPages: config.maxDocumentPages,
          });
          await holder.reload();
        }),
    });
    await knowledgeSync.start();
    stops.push(() => knowledgeSync.stop());
    // This instance found the documents changed at start-up: the others should know.
    if (outcome.action === "built") await knowledgeSync.announce().catch(() => undefined);
    const health = createHealthCheck({
      instance: `${hostname()}:${process.pid}`,
      database: () => storage.ping(),
      index: () => {
        const { index } = holder.current();
        return { documents: index.documents.length, passages: index.passages.length };
      },
      knowledge: () => knowledgeSync.state(),
      worker: () => ({ running: worker !== undefined, holdsLease: worker?.holdsLease ?? false }),
    });
    const llm = config.llm ? createOpenAiChat(config.llm) : undefined;
    const answerer = createAnswerer({ retriever: holder.current, prompts, logger, llm });
    const documents = () => holder.current().index.documents;
    const { questions: questionLog, subscriptions } = storage;
    const { senders, messengers, zaloClient } = createChannelSenders(config, prompts.replies, storage.usage);
    const broadcasts = createBroadcastService(
      storage,
      senders.map((x) => x.channel),
    );
    // At the terminal the operator is the administrator.
    const admins: Record<string, ReadonlySet<string>> = {
      telegram: new Set(config.telegram?.adminIds.map(String)),
      zalo: new Set(config.zalo?.adminIds),
      console: new Set([consoleUser()]),
    };
    const webLinks = config.web
      ? createSignInLinks({ store: storage.webSignIn, audit: storage.audit, publicUrl: config.web.publicUrl })
      : undefined;
    const admin = createAdmin({
      subscriptions,
      broadcasts,
      questionLog,
      admins,
      replies: prompts.replies,
      logger,
      webLinks,
    });
    const retention = createRetention({
      ...storage,
      retentionDays: config.questionLogRetentionDays,
      sessionIdleMinutes: config.web?.idleMinutes ?? 30,
      logger,
    });
    retention.start();
    stops.push(() => retention.stop());
    // Documents change through the web page and the chat alike: one folder (KNOWLEDGE_DIR), one
    // rebuild at a time through the ingest pipeline, swapped in and announced to the others.
    const documentFiles = createDocumentFiles(config.knowledgeDir);
    const reindexer = createReindexer({
      logger,
      pipeline: ingestPipeline({
        knowledgeDir: config.knowledgeDir,
        indexDir: config.indexDir,
        embedder: config.embedder,
        maxDocumentBytes: config.maxDocumentBytes,
        maxDocumentPages: config.maxDocumentPages,
        swap: () => holder.reload(),
        announce: () => knowledgeSync.announce(),
        lock: rebuildLock,
        logger,
      }),
    });
    // Files sent in chat or uploaded on the page are read as the builds read them, through their cache.
    const cacheDir = extractionCacheDir(config.indexDir);
    const reading: ReadOptions = {
      extract: { maxPages: config.maxDocumentPages },
      ...(cacheDir ? { cache: openExtractionCache(cacheDir) } : {}),
    };
    const ledger = createLibraryLedger(config.knowledgeDir);
    const library = createLibrary({
      files: documentFiles,
      reindexer,
      ledger,
      documents,
      passagesOf: (docId) => holder.current().index.passages.filter((p) => p.docId === docId),
      skipped: async () => (await readIndexInfo(config.indexDir))?.skipped ?? [],
      isAdmin: (m) => admin.isAdmin(m),
      replies: prompts.replies,
      logger,
      maxDocumentBytes: config.maxDocumentBytes,
      read: reading,
    });
    const web = config.web
      ? createAdminWeb({
          storage,
          broadcasts,
          channels: senders.map((x) => x.channel),
          isAdmin: (who) => {
            const at = who.indexOf(":");
            return at > 0 && admins[who.slice(0, at)]?.has(who.slice(at + 1)) === true;
          },
          documents,
          citation: (passageId) => citationOfPassage(holder.current().index, passageId),
          indexInfo: () => readIndexInfo(config.indexDir),
          // Documents changed on the page go through the ingest pipeline, swapped in and announced.
          uploads: {
            files: documentFiles,
            maxDocumentBytes: config.maxDocumentBytes,
            reindexer,
            history: library.history,
            read: reading,
          },
          replies: prompts.replies,
          texts: await loadWebTexts(),
          publicUrl: config.web.publicUrl,
          secure: config.web.secure,
          session: { idleMinutes: config.web.idleMinutes, maxHours: config.web.maxHours },
          // The study service is made below; the page asks it only when shown.
          quizFigures: () => study.figures(),
          logger,
        })
      : undefined;
    const study = createStudyService({
      study: storage.study,
      quizzes: storage.quizzes,
      index: () => holder.current().index,
      channels: senders.map((x) => x.channel),
      messengers: createQuizMessengers(config, zaloClient),
      isAdmin: (m) => admin.isAdmin(m),
      replies: prompts.replies,
      logger,
    });
    // Only a process that can send runs a worker (the terminal chat has no channel to send on).
    const worker =
      senders.length === 0
        ? undefined
        : createWorker(
            { ...storage, senders, service: broadcasts, logger },
            {
              onProgress: progressReporter(messengers, prompts.replies, logger),
              extraFor: (d, b) => study.extraFor(d, b),
              afterDelivery: (d, result) => study.afterDelivery(d, result),
            },
          );
    const delivering = worker ? worker.run() : Promise.resolve();
    stops.push(async () => {
      worker?.stop();
      await delivering;
    });
    // Study series sends and quiz questions fall due on their schedules (a tick every 5 seconds;
    // one at a time, and the last one finished before the database closes).
    let ticking: Promise<void> | undefined;
    const studyTimer = worker
      ? setInterval(() => {
          ticking ??= study.tick().finally(() => {
            ticking = undefined;
          });
        }, 5000)
      : undefined;
    stops.push(async () => {
      clearInterval(studyTimer);
      await ticking;
    });
    const engine = createEngine({
      admin,
      study,
      library,
      ledger,
      answerer,
      documents,
      citation: (passageId) => citationOfPassage(holder.current().index, passageId),
      questionLog,
      feedback: storage.feedback,
      sessions: storage.sessions,
      // Several instances share the limit through the database; one instance keeps it in memory
      // (no write per question on the SQLite file).
      rateLimits: config.postgres ? storage.rateLimits : undefined,
      replies: prompts.replies,
      logger,
      options: { maxQuestionLength: config.maxQuestionLength, questionsPerMinute: config.questionsPerMinute },
    });
    if (config.telegram || config.zalo) {
      await runChannels(
        config,
        {
          engine,
          library,
          replies: prompts.replies,
          logger,
          subscriptions,
          study: storage.study,
          quizzes: storage.quizzes,
          onPollAnswer: (a) => study.pollAnswer(a),
          claimer: createUpdateClaimer(config.postgres ? storage.claims : undefined, logger),
          health,
        },
        zaloClient,
        web,
      );
    } else {
      const http = web ? createHttpApp(new Map(), logger) : undefined;
      if (http && web) {
        http.app.route(WEB_PREFIX, web);
        logger.info({ port: await http.listen(config.port) }, "trang quản trị đang nghe");
      }
      await runConsoleChat({ engine, replies: prompts.replies, logger });
      await http?.close();
    }
    return 0;
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.warn({ err: errorSummary(err) }, "lỗi khi dừng một phần của bot");
      }
    }
    await storage.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Lỗi khi khởi động: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
