import { describe, expect, it } from "vitest";
import { createAdmin } from "../../src/bot/admin.js";
import type { Incoming, Reply } from "../../src/bot/types.js";
import { createBroadcastService } from "../../src/broadcast/service.js";
import { createSignInLinks } from "../../src/server/web/sign-in.js";
import { openSqliteStorage } from "../../src/storage/sqlite/index.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { prompts } from "./test-engine.js";

const r = prompts.replies;

function setup(withWeb = true) {
  const storage = openSqliteStorage(":memory:");
  const log = memoryLogger();
  const admin = createAdmin({
    subscriptions: storage.subscriptions,
    broadcasts: createBroadcastService(storage, ["telegram"]),
    questionLog: storage.questions,
    admins: { telegram: new Set(["1001"]), zalo: new Set(["z-admin"]) },
    replies: r,
    logger: log.logger,
    webLinks: withWeb
      ? createSignInLinks({
          store: storage.webSignIn,
          audit: storage.audit,
          publicUrl: "https://bot.example.vn",
        })
      : undefined,
  });
  const from = (
    channel: "telegram" | "zalo",
    userId: string,
    chatType: "private" | "group" = "private",
  ): Incoming => ({
    channel,
    chatId: chatType === "group" ? "-5" : userId,
    chatType,
    userId,
    text: "/quantri",
    addressed: true,
  });
  const say = async (m: Incoming) =>
    (await admin.handle("web", "", m)).map((x: Reply) => (x.kind === "text" ? x.text : x.kind)).join("\n");
  return { storage, log, say, from };
}

describe("/quantri", () => {
  it("gives an administrator in a private chat a one-time link tied to them, on Telegram and on Zalo", async () => {
    const { say, from, storage } = setup();
    const text = await say(from("telegram", "1001"));
    expect(text).toContain("hết hạn sau 10 phút");
    const url = /https:\/\/bot\.example\.vn\/quantri\/vao\?t=([\w-]+)/.exec(text);
    expect(url).not.toBeNull();
    const { sha256 } = await import("../../src/server/web/sign-in.js");
    expect(await storage.webSignIn.peekLink(sha256(url?.[1] ?? ""), new Date().toISOString())).toBe(
      "telegram:1001",
    );
    const zalo = await say(from("zalo", "z-admin"));
    const token = /t=([\w-]+)/.exec(zalo)?.[1] ?? "";
    expect(token).not.toBe(url?.[1]);
    expect(await storage.webSignIn.peekLink(sha256(token), new Date().toISOString())).toBe("zalo:z-admin");
  });

  it("refuses a non-administrator, and logs the attempt", async () => {
    const { say, from, log, storage } = setup();
    expect(await say(from("telegram", "2002"))).toBe(r.admin_only);
    expect(log.lines().some((l) => l.userId === "2002" && l.command === "web")).toBe(true);
    expect(await storage.audit.recent(5)).toEqual([]);
  });

  it("sends no link into a group, and says when the page is not configured", async () => {
    const group = setup();
    const text = await group.say(group.from("telegram", "1001", "group"));
    expect(text).toBe(r.web_private_only);
    expect(text).not.toContain("http");
    const off = setup(false);
    expect(await off.say(off.from("telegram", "1001"))).toContain("PUBLIC_URL");
  });
});
