import { describe, expect, it } from "vitest";
import { type Messenger, progressReporter } from "../../src/broadcast/progress.js";
import { fill } from "../../src/prompts.js";
import type { Broadcast, BroadcastCounts } from "../../src/storage/ports.js";
import { prompts } from "../bot/test-engine.js";
import { memoryLogger } from "../fakes/memory-logger.js";

const r = prompts.replies;
const counts: BroadcastCounts = { total: 3, pending: 1, sent: 2, failed: 0, blocked: 0, cancelled: 0 };
const notice = (reportChat: string | null, reportMessage: string | null): Broadcast => ({
  id: 7,
  text: "x",
  createdBy: "a",
  createdAt: "2026-11-30T00:00:00.000Z",
  status: "running",
  scheduledFor: null,
  startedAt: null,
  finishedAt: null,
  reportChat,
  reportMessage,
});

function recording(channel: string, canEdit: boolean) {
  const said: string[] = [];
  const m: Messenger = {
    channel,
    send: async (chatId, text) => {
      said.push(`send ${chatId}: ${text}`);
      return "1";
    },
    ...(canEdit
      ? {
          edit: async (chatId: string, messageId: string, text: string) => {
            said.push(`edit ${chatId}/${messageId}: ${text}`);
          },
        }
      : {}),
  };
  return { m, said };
}

describe("broadcast progress reports", () => {
  it("edit the report message where the platform can, as deliveries go out and when done", async () => {
    const tg = recording("telegram", true);
    const report = progressReporter([tg.m], r, memoryLogger().logger);
    await report(notice("telegram:42", "9"), counts, false);
    await report(notice("telegram:42", "9"), { ...counts, pending: 0, sent: 3 }, true);
    expect(tg.said).toEqual([
      `edit 42/9: ${fill(r.notice_progress, { id: 7, ...counts })}`,
      `edit 42/9: ${fill(r.notice_done, { id: 7, ...counts, pending: 0, sent: 3 })}`,
    ]);
  });

  it("send the final report once where the platform cannot edit, on the channel that confirmed", async () => {
    const tg = recording("telegram", true);
    const zalo = recording("zalo", false);
    const report = progressReporter([tg.m, zalo.m], r, memoryLogger().logger);
    await report(notice("zalo:admin1", null), counts, false);
    await report(notice("zalo:admin1", null), counts, true);
    expect(zalo.said).toEqual([`send admin1: ${fill(r.notice_done, { id: 7, ...counts })}`]);
    expect(tg.said).toEqual([]);
  });

  it("say nothing without a report chat, or for a channel not configured", async () => {
    const tg = recording("telegram", true);
    const report = progressReporter([tg.m], r, memoryLogger().logger);
    await report(notice(null, null), counts, true);
    await report(notice("zalo:admin1", null), counts, true);
    expect(tg.said).toEqual([]);
  });
});
