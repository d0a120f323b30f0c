import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fill, loadPrompts } from "../../src/prompts.js";
import { startBot } from "../cli/run-cli.js";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-server.js";
import { type FakeZalo, startFakeZalo, zaloText } from "../fakes/zalo-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

const prompts = await loadPrompts();

let zalo: FakeZalo;
let tg: FakeTelegram;
let bot: ReturnType<typeof startBot>;

/** The messages sent to a Zalo chat after `push`, once `count` of them have arrived. */
const next = async (chatId: string, push: () => void, count = 1) => {
  const before = zalo.sent(chatId).length;
  push();
  await expect
    .poll(() => zalo.sent(chatId).length, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(before + count);
  return zalo
    .sent(chatId)
    .slice(before)
    .map((c) => String(c.params.text));
};

beforeAll(async () => {
  zalo = await startFakeZalo();
  tg = await startFakeTelegram();
  const kb = await copyOfKnowledge();
  // One very long sentence: its passage stays whole, so showing it needs several Zalo messages.
  await writeFile(
    join(kb, "dai.md"),
    `# Văn bản dài\n\n${"Cán bộ dân vận tuyên truyền, vận động, lắng nghe, đối thoại với Nhân dân ở khu dân cư, ".repeat(60)}kết thúc.\n`,
  );
  bot = startBot({
    KNOWLEDGE_DIR: kb,
    DATA_DIR: await tempDir(),
    ZALO_BOT_TOKEN: "zalo-test-token-123456",
    ZALO_API_BASE_URL: zalo.baseUrl,
    ZALO_ADMIN_IDS: "admin1",
    TELEGRAM_BOT_TOKEN: "123456789:TEST-token-abcdefghijklmnop",
    TELEGRAM_API_ROOT: tg.apiRoot,
  });
  for (let i = 0; i < 300 && !zalo.calls.some((c) => c.method === "deleteWebhook"); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await zalo.close();
  await tg.close();
});

describe("the bot on Zalo", () => {
  it("answers a question with quoted excerpts and numbered citations, every message within 2,000 characters", async () => {
    const [answer] = await next("u1", () =>
      zalo.push(zaloText("u1", "u1", "Kết luận 43 ban hành ngày nào?")),
    );
    expect(answer).toContain("[1] «");
    expect(answer).toContain("07/01/2019");
    expect(answer).toContain("— Kế hoạch thực hiện KL 43-KL/TW · phần mở đầu");
    expect(answer).toContain('Gõ "xem nguồn 1"');
    expect(answer).not.toMatch(/<[a-z]+>/);
    expect(zalo.calls.some((c) => c.method === "sendChatAction" && c.params.action === "typing")).toBe(true);
  });

  it("shows a source in full on 'xem nguồn 1' and on /nguon 1", async () => {
    const [a] = await next("u1", () => zalo.push(zaloText("u1", "u1", "xem nguồn 1")));
    expect(a).toMatch(/^Nguồn 1: Kế hoạch thực hiện KL 43-KL\/TW · phần mở đầu/);
    const [b] = await next("u1", () => zalo.push(zaloText("u1", "u1", "/nguon 1")));
    expect(b).toBe(a);
  });

  it("splits a long reply into messages under 2,000 characters at boundaries", async () => {
    await next("u2", () => zalo.push(zaloText("u2", "u2", "cán bộ dân vận lắng nghe đối thoại khu dân cư")));
    const parts = await next("u2", () => zalo.push(zaloText("u2", "u2", "xem nguồn 1")), 3);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join(" ")).toContain("kết thúc.");
  });

  it("subscribes a chat, and delivers an administrator's notice to Zalo and Telegram subscribers", async () => {
    expect((await next("u3", () => zalo.push(zaloText("u3", "u3", "/dangky"))))[0]).toContain(
      "Đã đăng ký nhận thông báo",
    );
    tg.push({
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 555, type: "private" },
        from: { id: 555, is_bot: false, first_name: "T" },
        text: "/dangky",
      },
    });
    await expect.poll(() => tg.sent(555).length, { timeout: 15_000 }).toBe(1);
    const [preview] = await next("admin1", () =>
      zalo.push(zaloText("admin1", "admin1", "/thongbao Lịch tiếp xúc cử tri tuần sau.")),
    );
    expect(preview).toContain("sẽ gửi tới 2 cuộc trò chuyện");
    const id = /\/xacnhan (\d+)/.exec(preview ?? "")?.[1];
    expect(id).toBeDefined();
    const [queued] = await next("admin1", () => zalo.push(zaloText("admin1", "admin1", `/xacnhan ${id}`)));
    expect(queued).toContain("Đang gửi thông báo");
    await expect
      .poll(() => zalo.sent("u3").some((c) => c.params.text === "Lịch tiếp xúc cử tri tuần sau."), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(() => tg.sent(555).some((c) => c.params.text === "Lịch tiếp xúc cử tri tuần sau."), {
        timeout: 15_000,
      })
      .toBe(true);
    // The administrator who confirmed on Zalo gets the report there (Zalo cannot edit a message:
    // it comes once, when the notice has gone out).
    const report = fill(prompts.replies.notice_done, {
      id: Number(id),
      sent: 2,
      failed: 0,
      blocked: 0,
      total: 2,
      pending: 0,
      cancelled: 0,
    });
    await expect
      .poll(() => zalo.sent("admin1").map((c) => String(c.params.text)), { timeout: 15_000 })
      .toContain(report);
  });

  it("refuses a notice from someone who is not an administrator", async () => {
    const [reply] = await next("u4", () => zalo.push(zaloText("u4", "u4", "/thongbao Họp")));
    expect(reply).toContain("chỉ dành cho quản trị viên");
  });

  it("ignores unknown events and stickers safely, and keeps answering", async () => {
    zalo.push({
      event_name: "message.sticker.received",
      message: { from: { id: "u5" }, chat: { id: "u5", chat_type: "PRIVATE" }, message_id: "s1" },
    });
    zalo.push({ event_name: "something.new", data: 1 });
    const [answer] = await next("u5", () =>
      zalo.push(zaloText("u5", "u5", "hoi quan chung tu dam bao kinh phi the nao")),
    );
    expect(answer).toContain("tự đảm bảo kinh phí");
  });
});

describe("an administrator who sends a file or a photo on Zalo", () => {
  it("is told where documents can be added (the Zalo Bot API delivers no file to a bot); others' are left unanswered", async () => {
    const event = (name: string, from: string, id: string, extra: object = {}) => ({
      event_name: name,
      message: { from: { id: from }, chat: { id: from, chat_type: "PRIVATE" }, message_id: id, ...extra },
    });
    const [file] = await next("admin1", () =>
      zalo.push(event("message.unsupported.received", "admin1", "f1")),
    );
    expect(file).toBe(prompts.replies.zalo_file_note);
    expect(file).toContain("Telegram");
    expect(file).toContain("npm run ingest");
    const [photo] = await next("admin1", () =>
      zalo.push(event("message.image.received", "admin1", "f2", { photo: "https://example.invalid/p.jpg" })),
    );
    expect(photo).toBe(prompts.replies.zalo_file_note);
    // Someone else's file: no note; the next answer is the first message they get.
    zalo.push(event("message.unsupported.received", "u6", "f3"));
    const [answer] = await next("u6", () =>
      zalo.push(zaloText("u6", "u6", "Kết luận 43 ban hành ngày nào?")),
    );
    expect(answer).toContain("07/01/2019");
    expect(zalo.sent("u6")).toHaveLength(1);
  });
});

describe("Zalo replies that fail on the way", () => {
  const question = "Kết luận 43 ban hành ngày nào?";
  it("retries a reply hit by 429 (waiting its retry_after), 5xx or a network error, and delivers the answer", async () => {
    for (const [chat, code, retryAfter] of [
      ["r1", 429, 1],
      ["r2", 502, undefined],
      ["r3", "network", undefined],
    ] as const) {
      zalo.failNext("sendMessage", code, 2, retryAfter);
      const t0 = Date.now();
      const [answer] = await next(chat, () => zalo.push(zaloText(chat, chat, question)), 3);
      expect(answer).toContain("07/01/2019");
      const texts = zalo.sent(chat).map((c) => String(c.params.text));
      expect(texts).toHaveLength(3);
      expect(new Set(texts).size).toBe(1);
      expect(texts).not.toContain(prompts.replies.error);
      if (retryAfter) expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    }
  });

  it("apologises only when the retries are spent", async () => {
    zalo.failNext("sendMessage", 500, 4);
    zalo.push(zaloText("r4", "r4", question));
    await expect.poll(() => zalo.sent("r4").length, { timeout: 20_000 }).toBe(5);
    expect(String(zalo.sent("r4").at(-1)?.params.text)).toBe(prompts.replies.error);
    expect(zalo.sent("r4")).toHaveLength(5);
  });
});

describe("Zalo groups", () => {
  it("lets the bot's administrators subscribe a group (Zalo cannot tell who administers it), and nobody else", async () => {
    const [refused] = await next("g1", () => zalo.push(zaloText("g1", "u9", "@DanVan /dangky", true)));
    expect(refused).toContain("Chỉ quản trị viên của nhóm");
    const [ok] = await next("g1", () => zalo.push(zaloText("g1", "admin1", "@DanVan /dangky", true)));
    expect(ok).toContain("Đã đăng ký nhận thông báo cho Nhóm này");
  });
});
