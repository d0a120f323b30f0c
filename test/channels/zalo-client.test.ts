import { afterAll, describe, expect, it } from "vitest";
import { createZaloClient, ZaloApiError } from "../../src/channels/zalo/client.js";
import { splitText } from "../../src/channels/zalo/render.js";
import { parseZaloUpdate } from "../../src/channels/zalo/updates.js";
import { startFakeZalo, zaloText } from "../fakes/zalo-server.js";

describe("the Zalo client", async () => {
  const zalo = await startFakeZalo();
  afterAll(() => zalo.close());
  const token = "secret-zalo-token-999";
  const client = createZaloClient({ token, baseUrl: zalo.baseUrl });

  it("reads ok:false on HTTP 200 as an error, without the token", async () => {
    zalo.failNext("sendMessage", 429);
    const err = await client.sendMessage("c", "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).code).toBe(429);
    expect((err as Error).message).not.toContain(token);
    await expect(client.sendMessage("c", "x".repeat(2001))).rejects.toThrow(/400/);
  });

  it("gets one update, and nothing (not an error) on 408", async () => {
    zalo.push(zaloText("c1", "u1", "xin chào"));
    expect(parseZaloUpdate(await client.getUpdates(1))?.incoming?.text).toBe("xin chào");
    expect(await client.getUpdates(1)).toBeUndefined();
  });

  it("names no token when the server is down", async () => {
    const down = createZaloClient({ token, baseUrl: "http://127.0.0.1:9", timeoutMs: 2000 });
    const err = await down.getMe().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/getMe: 0 network error/);
    expect((err as Error).message).not.toContain(token);
  });
});

describe("Zalo updates", () => {
  it("accepts wrapped and bare updates, numeric ids, and group mentions", () => {
    const bare = parseZaloUpdate({
      event_name: "message.text.received",
      message: {
        from: { id: 42, display_name: "Lan" },
        chat: { id: 7, chat_type: "GROUP" },
        text: "@DanVan mttq là gì",
        message_id: 9,
      },
    });
    expect(bare?.incoming).toMatchObject({
      channel: "zalo",
      chatId: "7",
      chatType: "group",
      userId: "42",
      text: "mttq là gì",
    });
    expect(parseZaloUpdate({ ok: true, result: zaloText("c", "u", "hỏi") })?.incoming?.text).toBe("hỏi");
  });

  it("ignores images, stickers, unknown events and nonsense without failing", () => {
    expect(
      parseZaloUpdate({
        event_name: "message.image.received",
        message: { from: { id: 1 }, chat: { id: 1 }, photo_url: "x" },
      })?.incoming,
    ).toBeUndefined();
    expect(parseZaloUpdate({ event_name: "weird.event" })?.incoming).toBeUndefined();
    expect(parseZaloUpdate("garbage")).toBeUndefined();
    expect(parseZaloUpdate(null)).toBeUndefined();
  });

  it("splits text under the limit at paragraph, sentence and word boundaries", () => {
    const parts = splitText(`${"Một câu về dân vận. ".repeat(150)}\n\nĐoạn hai.`, 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.at(-1)).toContain("Đoạn hai.");
    expect(parts.slice(0, -1).every((p) => p.endsWith("."))).toBe(true);
  });
});
