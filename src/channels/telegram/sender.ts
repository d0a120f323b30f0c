/**
 * Telegram as a broadcast channel: sends a notice to one chat, split like answers when it is
 * longer than a message, and translates Bot API errors for the delivery worker (429 → wait
 * retry_after, 403 → blocked, other 400 → failed, 5xx and network → retry later). It uses its own
 * Api without auto-retry: the worker paces and retries deliveries itself.
 */
import { Api, GrammyError, HttpError } from "grammy";
import type { ChannelSender, SendResult } from "../../broadcast/service.js";
import type { Replies } from "../../prompts.js";
import { sendQuizPoll } from "./poll.js";
import { renderTelegram } from "./render.js";

export interface TelegramSenderOptions {
  token: string;
  apiRoot?: string;
  replies: Replies;
  /** Messages per second in total (Telegram allows about 30). */
  perSecond?: number;
}

export function createTelegramSender(o: TelegramSenderOptions): ChannelSender & { api: Api } {
  const api = new Api(o.token, o.apiRoot ? { apiRoot: o.apiRoot } : {});
  return {
    channel: "telegram",
    api,
    limits: { perSecond: o.perSecond ?? 29, privateIntervalMs: 1000, groupIntervalMs: 3000 },
    async send(chatId, _chatType, text, take, extra): Promise<SendResult> {
      const messages = renderTelegram({ kind: "text", text }, o.replies);
      try {
        for (const m of messages) {
          await take();
          await api.sendMessage(chatId, m.html, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
          });
        }
        // A lesson's check question comes after it as a quiz poll.
        if (extra?.question) {
          await take();
          await sendQuizPoll(api, chatId, extra.question);
        }
        return { ok: true };
      } catch (err) {
        return translate(err);
      }
    },
  };
}

export function translate(err: unknown): SendResult {
  if (err instanceof GrammyError) {
    const reason = `${err.error_code} ${err.description}`;
    if (err.error_code === 429)
      return { ok: false, kind: "retry", afterMs: 1000 * (err.parameters.retry_after ?? 5), reason };
    if (err.error_code === 403) return { ok: false, kind: "blocked", reason };
    if (err.error_code >= 400 && err.error_code < 500) return { ok: false, kind: "failed", reason };
    return { ok: false, kind: "transient", reason };
  }
  if (err instanceof HttpError) return { ok: false, kind: "transient", reason: String(err.error) };
  return { ok: false, kind: "transient", reason: (err as Error).message };
}
