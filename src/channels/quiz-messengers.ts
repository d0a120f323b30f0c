/**
 * How quizzes reach each configured channel (src/study/service.ts's QuizMessenger): Telegram
 * sends native quiz polls and plain messages; Zalo, which has no polls, plain messages (the
 * questions come with numbered options, answered by number). Telegram's 429s are waited out
 * (@grammyjs/auto-retry, as the bot's own Api does), so a burst of quiz messages across groups
 * does not lose a question; the waits are bounded, since a quiz's questions are timed.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Api } from "grammy";
import type { Config } from "../config.js";
import type { QuizMessenger } from "../study/service.js";
import { sendQuizPoll } from "./telegram/poll.js";
import type { ZaloClient } from "./zalo/client.js";
import { splitText, ZALO_MAX } from "./zalo/render.js";

/** The quiz messengers of the configured channels (Telegram with polls, Zalo with numbered options). */
export function createQuizMessengers(config: Config, zaloClient?: ZaloClient): QuizMessenger[] {
  const out: QuizMessenger[] = [];
  if (config.telegram) {
    const api = new Api(
      config.telegram.token,
      config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {},
    );
    api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
    out.push({
      channel: "telegram",
      send: async (chatId, text) => {
        await api.sendMessage(chatId, text);
      },
      poll: (chatId, q, seconds) => sendQuizPoll(api, chatId, q, seconds),
    });
  }
  if (zaloClient) {
    out.push({
      channel: "zalo",
      send: async (chatId, text) => {
        for (const part of splitText(text, ZALO_MAX)) await zaloClient.sendMessage(chatId, part);
      },
    });
  }
  return out;
}
