/**
 * `npm run broadcast -- --text "…"` or `--file notice.md`: queues a notice to every subscribed chat
 * on every configured channel (Telegram, Zalo: the bot's own senders) and prints progress and the final report. If the bot is running, its worker delivers and this
 * only watches; otherwise this process delivers (one worker at a time, by a lease in the database).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createBroadcastService, createWorker } from "../broadcast/service.js";
import { createChannelSenders } from "../channels/senders.js";
import { fill, loadPrompts } from "../prompts.js";
import { openStorage } from "../storage/open.js";
import { lessonAfterDelivery, lessonExtra } from "../study/delivery.js";
import { cliLogger, configOrExit, run } from "./common.js";

run(async () => {
  const { values } = parseArgs({ options: { text: { type: "string" }, file: { type: "string" } } });
  const prompts = await loadPrompts();
  const text = values.text ?? (values.file ? await readFile(values.file, "utf8") : undefined);
  if (!text || text.trim().length === 0) {
    process.stderr.write(`${prompts.replies.broadcast_usage}\n`);
    return 2;
  }
  const config = configOrExit();
  const logger = cliLogger(config);
  // The bot's database: the SQLite file, or PostgreSQL when DATABASE_URL is set.
  const storage = await openStorage(config);
  try {
    const { senders } = createChannelSenders(config, prompts.replies, storage.usage);
    if (senders.length === 0) {
      process.stderr.write(`${prompts.replies.broadcast_no_channel}\n`);
      return 2;
    }
    const service = createBroadcastService(
      storage,
      senders.map((x) => x.channel),
    );
    const { id, recipients } = await service.draft(text.trim(), "cli");
    await service.confirm(id);
    process.stdout.write(`${fill(prompts.replies.notice_queued, { id, recipients })}\n`);
    const print = async (finished: boolean) => {
      const c = await service.counts(id);
      process.stdout.write(
        `${fill(finished ? prompts.replies.notice_done : prompts.replies.notice_progress, { id, ...c })}\n`,
      );
    };
    const worker = createWorker(
      { ...storage, senders, service, logger },
      {
        onProgress: (b, _c, finished) => (b.id === id ? print(finished) : undefined),
        progressEveryMs: 2000,
        // Study lessons queued by the bot go out with their check question here too.
        extraFor: lessonExtra(storage.study),
        afterDelivery: lessonAfterDelivery(storage.study),
      },
    );
    const timer = setInterval(() => void print(false).catch(() => undefined), 5000);
    const stop = () => worker.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      // Delivers when no other worker holds the lease; otherwise waits for the running bot's.
      await worker.drain();
    } finally {
      clearInterval(timer);
    }
    const c = await service.counts(id);
    if (c.pending === 0) await print(true);
    return c.pending === 0 ? 0 : 1;
  } finally {
    await storage.close();
  }
});
