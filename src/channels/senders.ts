/**
 * The broadcast senders and messengers of every configured channel (Telegram, Zalo), built in
 * one place for the bot (`src/main.ts`) and `npm run broadcast`, so both reach every subscribed
 * chat and report progress on every channel.
 */
import type { Messenger } from "../broadcast/progress.js";
import type { ChannelSender } from "../broadcast/service.js";
import type { Config } from "../config.js";
import type { Replies } from "../prompts.js";
import type { UsageCounter } from "../storage/ports.js";
import { createTelegramSender } from "./telegram/sender.js";
import { createZaloClient, type ZaloClient } from "./zalo/client.js";
import { createZaloSender } from "./zalo/sender.js";

export interface ChannelSenders {
  /** One per configured channel; empty when no channel is configured. */
  senders: ChannelSender[];
  /** The Zalo client (the bot also receives with it), when configured. */
  zaloClient?: ZaloClient;
  /** One per configured channel: progress reports to administrators. */
  messengers: Messenger[];
}

export function createChannelSenders(config: Config, replies: Replies, usage: UsageCounter): ChannelSenders {
  const telegram = config.telegram
    ? createTelegramSender({ token: config.telegram.token, apiRoot: config.telegram.apiRoot, replies })
    : undefined;
  const zaloClient = config.zalo
    ? createZaloClient({ token: config.zalo.token, baseUrl: config.zalo.apiBaseUrl })
    : undefined;
  const zalo =
    zaloClient && config.zalo
      ? createZaloSender(zaloClient, config.zalo.perSecond, config.zalo.monthlyQuota, usage)
      : undefined;
  const messengers: Messenger[] = [];
  if (telegram) {
    messengers.push({
      channel: "telegram",
      send: async (chatId, text) => String((await telegram.api.sendMessage(chatId, text)).message_id),
      edit: async (chatId, messageId, text) => {
        await telegram.api.editMessageText(chatId, Number(messageId), text);
      },
    });
  }
  if (zaloClient) {
    // Zalo cannot edit a message: the report comes once, when the notice is sent.
    messengers.push({
      channel: "zalo",
      send: async (chatId, text) => {
        await zaloClient.sendMessage(chatId, text);
        return undefined;
      },
    });
  }
  return { senders: [telegram, zalo].filter((s) => s !== undefined), zaloClient, messengers };
}
