/**
 * The Zalo channel: long polling by default (one update per getUpdates, 408 = nothing yet), or a
 * webhook route on the shared HTTP server when ZALO_WEBHOOK_URL and ZALO_WEBHOOK_SECRET are set
 * (secret compared in constant time, answered at once, duplicate deliveries dropped by
 * message_id, claimed in the database when several instances share the address). Messages in one chat are answered in order; unknown events are ignored. A reply hit
 * by a 429, a 5xx or a network error is retried with bounded backoff; the apology comes only when
 * the retries are spent.
 */
import { timingSafeEqual } from "node:crypto";
import type { Engine } from "../../bot/engine.js";
import { errorSummary, type Logger } from "../../logger.js";
import type { Replies } from "../../prompts.js";
import type { Route } from "../../server/app.js";
import { createUpdateClaimer, type UpdateClaimer } from "../update-claims.js";
import { ZaloApiError, type ZaloClient } from "./client.js";
import { renderZalo } from "./render.js";
import { parseZaloUpdate } from "./updates.js";

export const ZALO_SECRET_HEADER = "x-bot-api-secret-token";

/** How a reply that failed on the way is tried again. */
export interface ReplyRetry {
  /** Tries after the first (default 3). */
  retries: number;
  /** First wait, doubled each time (default 500 ms). */
  baseMs: number;
  /** Longest total wait for one message, retry_after included (default 15 s). */
  maxTotalMs: number;
}

const DEFAULT_RETRY: ReplyRetry = { retries: 3, baseMs: 500, maxTotalMs: 15_000 };

export interface ZaloChannelDeps {
  client: ZaloClient;
  retry?: Partial<ReplyRetry>;
  engine: Engine;
  replies: Replies;
  logger: Logger;
  /** Decides which instance answers a message delivered to several (default: this process's memory). */
  claimer?: UpdateClaimer;
}

export interface ZaloChannel {
  /** Handles one raw update (from polling or a webhook); resolves when answered. */
  handle(raw: unknown): Promise<void>;
  poll(): Promise<void>;
  webhookRoute(secret: string): Route;
  /** Stops polling and waits for updates being answered. */
  stop(): Promise<void>;
}

export function createZaloChannel(deps: ZaloChannelDeps): ZaloChannel {
  const chains = new Map<string, Promise<void>>();
  const claimer = deps.claimer ?? createUpdateClaimer();
  let stopped = false;
  const retry = { ...DEFAULT_RETRY, ...deps.retry };

  /**
   * Sends one message; a 429, a 5xx or a network error is tried again with a doubling wait (the
   * platform's retry_after when it gives one), within a bounded total wait, as Telegram's
   * auto-retry does for the other channel.
   */
  const sendWithRetry = async (chatId: string, text: string, log: Logger) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await deps.client.sendMessage(chatId, text);
      } catch (err) {
        if (!(err instanceof ZaloApiError) || !err.retryable || attempt >= retry.retries) throw err;
        const wait = err.retryAfterMs ?? retry.baseMs * 2 ** attempt;
        if (waited + wait > retry.maxTotalMs) throw err;
        log.warn(
          { err: errorSummary(err), attempt: attempt + 1, retryInMs: wait },
          "gửi tin Zalo lỗi, thử lại",
        );
        await new Promise((r) => setTimeout(r, wait));
        waited += wait;
      }
    }
  };

  const answer = async (raw: unknown) => {
    const update = parseZaloUpdate(raw);
    if (!update) {
      deps.logger.warn({ update: typeof raw }, "bỏ qua cập nhật Zalo không đọc được");
      return;
    }
    if (!(await claimer.first("zalo", update.messageId || undefined))) return;
    const other = update.nonText;
    if (other && other.chatType === "private") {
      // An administrator sending a file or a photo here wants to add a document: Zalo delivers
      // none to bots, so they are told where it can be done. Others' stickers stay unanswered.
      const who = { channel: "zalo" as const, ...other, text: "", addressed: true };
      if (deps.engine.isAdmin(who))
        await sendWithRetry(other.chatId, deps.replies.zalo_file_note, deps.logger).catch((err: unknown) =>
          deps.logger.warn({ err: errorSummary(err) }, "không gửi được tin Zalo"),
        );
      return;
    }
    if (!update.incoming) return;
    // Everything logged about this update carries its channel and id.
    const log = deps.logger.child({ channel: "zalo", update: update.messageId });
    const m = { ...update.incoming, logger: log };
    try {
      deps.client.sendChatAction(m.chatId, "typing").catch(() => undefined);
      for (const reply of await deps.engine.handle(m)) {
        for (const text of renderZalo(reply, deps.replies)) await sendWithRetry(m.chatId, text, log);
      }
    } catch (err) {
      log.error(
        {
          err: errorSummary(err),
          update: { event: update.event, messageId: update.messageId, chat: m.chatId },
        },
        "lỗi khi xử lý tin nhắn Zalo",
      );
      await deps.client.sendMessage(m.chatId, deps.replies.error).catch(() => undefined);
    }
  };

  const channel: ZaloChannel = {
    handle(raw) {
      const parsed = parseZaloUpdate(raw);
      const chat = parsed?.incoming?.chatId ?? parsed?.nonText?.chatId ?? "";
      const next = (chains.get(chat) ?? Promise.resolve()).then(() => answer(raw));
      chains.set(chat, next);
      void next.finally(() => {
        if (chains.get(chat) === next) chains.delete(chat);
      });
      return next;
    },
    async poll() {
      await deps.client.deleteWebhook().catch(() => undefined);
      let backoff = 1000;
      while (!stopped) {
        try {
          const raw = await deps.client.getUpdates(30);
          backoff = 1000;
          if (raw !== undefined) void channel.handle(raw);
        } catch (err) {
          if (stopped) break;
          deps.logger.warn({ err: errorSummary(err) }, "getUpdates Zalo lỗi, thử lại");
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
    },
    webhookRoute(secret) {
      const expected = Buffer.from(secret);
      return ({ headers, body }) => {
        const given = Buffer.from(String(headers[ZALO_SECRET_HEADER] ?? ""));
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401 };
        return { status: 200, work: () => channel.handle(body) };
      };
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...chains.values()]);
    },
  };
  return channel;
}
