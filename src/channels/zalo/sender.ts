/** Zalo as a broadcast channel: plain text split under 2,000 characters, errors translated. */
import type { ChannelSender, SendResult } from "../../broadcast/service.js";
import { untilNextMonth } from "../../storage/months.js";
import type { UsageCounter } from "../../storage/ports.js";
import { ZaloApiError, type ZaloClient } from "./client.js";
import { splitText, ZALO_MAX } from "./render.js";

/**
 * `quota`: messages a month the plan allows (0: no cap). When it is used up, deliveries wait for
 * the next month instead of being dropped; `usage` counts every message sent.
 */
export function createZaloSender(
  client: ZaloClient,
  perSecond: number,
  quota = 0,
  usage?: UsageCounter,
  now: () => Date = () => new Date(),
): ChannelSender {
  return {
    channel: "zalo",
    limits: { perSecond, privateIntervalMs: 1000, groupIntervalMs: 3000 },
    async send(chatId, _type, text, take, extra): Promise<SendResult> {
      // Zalo has no polls: a lesson's check question comes as numbered options, answered by number.
      const parts = [
        ...splitText(text, ZALO_MAX),
        ...(extra?.question ? splitText(extra.question.plain, ZALO_MAX) : []),
      ];
      if (quota > 0 && usage && (await usage.used("zalo")) + parts.length > quota) {
        return {
          ok: false,
          kind: "retry",
          afterMs: untilNextMonth(now()),
          reason: `monthly quota of ${quota} messages used up`,
        };
      }
      try {
        for (const part of parts) {
          await take();
          await client.sendMessage(chatId, part);
          await usage?.add("zalo");
        }
        return { ok: true };
      } catch (err) {
        if (!(err instanceof ZaloApiError))
          return { ok: false, kind: "transient", reason: (err as Error).message };
        const reason = `${err.code} ${err.description}`;
        // 429: wait what the platform asked (retry_after), else a minute, and resume rather than drop.
        if (err.code === 429)
          return { ok: false, kind: "retry", afterMs: err.retryAfterMs ?? 60_000, reason };
        if (err.code === 403) return { ok: false, kind: "blocked", reason };
        if (err.code === 0 || err.code >= 500 || err.code === 408)
          return { ok: false, kind: "transient", reason };
        return { ok: false, kind: "failed", reason };
      }
    },
  };
}
