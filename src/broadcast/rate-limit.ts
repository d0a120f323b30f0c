/**
 * Send pacing for broadcasts: an even pace for the channel as a whole (Telegram: about 30
 * messages a second), a minimum spacing per chat (1 s for a private chat, 3 s for a group, i.e.
 * 20 a minute), and a pause for everyone when the platform answers 429.
 */

export interface Pacer {
  /** Waits until one more message may go to `chatKey` (a group when `group`). */
  take(chatKey: string, group: boolean): Promise<void>;
  /** Everyone waits `ms` (after a 429 with retry_after). */
  pause(ms: number): void;
}

export interface PacerLimits {
  perSecond: number;
  privateIntervalMs: number;
  groupIntervalMs: number;
}

export function createPacer(limits: PacerLimits, now: () => number = Date.now): Pacer {
  const spacing = 1000 / limits.perSecond;
  let nextGlobal = 0;
  let pausedUntil = 0;
  const nextChat = new Map<string, number>();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    async take(chatKey, group) {
      for (;;) {
        const t = now();
        const chatAt = nextChat.get(chatKey) ?? 0;
        const at = Math.max(nextGlobal, pausedUntil, chatAt);
        if (at <= t) {
          // Reserve the slot before any await, so concurrent callers get the following ones.
          nextGlobal = Math.max(t, nextGlobal) + spacing;
          nextChat.set(chatKey, t + (group ? limits.groupIntervalMs : limits.privateIntervalMs));
          if (nextChat.size > 50_000) {
            for (const [k, v] of nextChat) if (v < t) nextChat.delete(k);
          }
          return;
        }
        await sleep(Math.min(at - t, 1000));
      }
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
