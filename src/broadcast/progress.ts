/**
 * Progress reports of a broadcast, to the chat of the administrator who confirmed it, on
 * whichever channel that was: through each channel's Messenger port. Where the platform can
 * edit a message (Telegram) the report message is edited as deliveries go out; where it cannot
 * (Zalo), or when there is no report message, the final report comes as one new message.
 */
import type { Logger } from "../logger.js";
import { fill, type Replies } from "../prompts.js";
import type { Broadcast, BroadcastCounts } from "../storage/ports.js";

/** A channel's way to send a message to a chat, and to edit one when the platform can. */
export interface Messenger {
  readonly channel: string;
  /** Sends plain text; the sent message's id when the platform gives one. */
  send(chatId: string, text: string): Promise<string | undefined>;
  /** Replaces a message's text; absent where the platform cannot edit (Zalo). */
  edit?(chatId: string, messageId: string, text: string): Promise<void>;
}

/** The worker's `onProgress` for these messengers. */
export function progressReporter(
  messengers: readonly Messenger[],
  r: Replies,
  logger: Logger,
): (b: Broadcast, c: BroadcastCounts, finished: boolean) => Promise<void> {
  const byChannel = new Map(messengers.map((m) => [m.channel, m]));
  return async (b, c, finished) => {
    const at = b.reportChat?.indexOf(":") ?? -1;
    if (!b.reportChat || at < 0) return;
    const messenger = byChannel.get(b.reportChat.slice(0, at));
    const chatId = b.reportChat.slice(at + 1);
    if (!messenger) return;
    const text = fill(finished ? r.notice_done : r.notice_progress, { id: b.id, ...c });
    if (b.reportMessage && messenger.edit) await messenger.edit(chatId, b.reportMessage, text);
    else if (finished) await messenger.send(chatId, text);
    if (finished)
      logger.info({ broadcast: b.id, channel: messenger.channel }, "đã báo kết quả gửi thông báo");
  };
}
