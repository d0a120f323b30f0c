/**
 * The administrators' web page in a real browser: Debian's headless Chromium driven by
 * playwright-core, against the bot started as a user starts it, talking to the fake Bot API.
 * Sign-in through the link the bot sends for /quantri, the chart drawn, the gaps filtered, a
 * question with markup shown as text, an announcement composed, sent to every subscriber and
 * reported, a document uploaded (the rebuild's progress followed) and the bot asked about it,
 * then removed, a form without its CSRF token refused, a used link refused.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); skipped without it, except in CI
 * (CI=true), where a missing browser fails. SCREENSHOTS_DIR=docs/screenshots keeps screenshots.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../../cli/run-cli.js";
import { type FakeTelegram, startFakeTelegram } from "../../fakes/telegram-server.js";
import { copyOfKnowledge, freePort, tempDir } from "../../helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === "true")
  throw new Error(`${CHROMIUM} is missing: run apt-get install -y chromium (CI must run the browser tests)`);
if (!hasChromium)
  console.warn(
    `browser tests skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`,
  );

const TOKEN = "123456789:TEST-token-abcdefghijklmnop";
const ADMIN = { id: 1001, is_bot: false, first_name: "Quản trị" };
const SUBSCRIBERS = [2001, 2002, 2003];
let msgId = 1;
const say = (tg: FakeTelegram, userId: number, text: string) =>
  tg.push({
    message: {
      message_id: msgId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: `U${userId}` },
      from: { id: userId, is_bot: false, first_name: `U${userId}` },
      text,
    },
  });

describe.skipIf(!hasChromium)("the administrators' web page in Chromium", () => {
  let tg: FakeTelegram;
  let bot: ChildProcess & { stderrText: () => string };
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let link: string;
  const dialogs: string[] = [];
  const shots = process.env.SCREENSHOTS_DIR;

  /** The next message the bot sends to `chatId` after `push` (also in beforeAll, where expect.poll is not). */
  const replyTo = async (chatId: number, push: () => void) => {
    const before = tg.sent(chatId).length;
    push();
    const end = Date.now() + 20_000;
    while (tg.sent(chatId).length <= before) {
      if (Date.now() > end) throw new Error(`the bot never answered chat ${chatId}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return String(tg.sent(chatId)[before]?.params.text);
  };
  const shot = async (name: string) => {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    tg = await startFakeTelegram();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    bot = startBot({
      KNOWLEDGE_DIR: await copyOfKnowledge(),
      DATA_DIR: await tempDir(),
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_ADMIN_IDS: String(ADMIN.id),
      PUBLIC_URL: origin,
      PORT: String(port),
    });
    await tg.waitFor(
      (c) => c.method === "setMyCommands" && JSON.stringify(c.params.scope ?? "").includes(String(ADMIN.id)),
      60_000,
    );
    // Subscribers, and questions asked the way people ask them.
    for (const id of SUBSCRIBERS) await replyTo(id, () => say(tg, id, "/dangky"));
    await replyTo(2001, () => say(tg, 2001, "Hội quần chúng tự đảm bảo kinh phí thế nào?"));
    await replyTo(2002, () => say(tg, 2002, "Giá xăng hôm nay bao nhiêu?"));
    await replyTo(2003, () => say(tg, 2003, "gia xang hom nay bao nhieu"));
    await replyTo(2002, () =>
      say(tg, 2002, '<script>alert("xss")</script>"><img src=x onerror=alert(1)> giá vàng?'),
    );

    const profile = await tempDir("danvan-chromium-");
    if (shots) await mkdir(shots, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1100, height: 900 },
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // Nothing but the bot's own server: no CDN, no outside request.
    await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (bot && bot.exitCode === null) bot.kill("SIGKILL");
    await tg?.close();
  });

  it("refuses /quantri from someone who is not an administrator", async () => {
    const text = await replyTo(2001, () => say(tg, 2001, "/quantri"));
    expect(text).toContain("chỉ dành cho quản trị viên");
    expect(text).not.toContain("/quantri/vao");
    await expect.poll(() => bot.stderrText()).toContain("người không phải quản trị viên");
  });

  it("signs an administrator in through the link the bot sends, and draws the chart", async () => {
    const text = await replyTo(ADMIN.id, () => say(tg, ADMIN.id, "/quantri"));
    link = /http:\/\/127\.0\.0\.1:\d+\/quantri\/vao\?t=[\w-]+/.exec(text)?.[0] ?? "";
    expect(link).not.toBe("");
    // Without a session: the sign-in page.
    await page.goto(`${origin}/quantri/cau-hoi`);
    expect(new URL(page.url()).pathname).toBe("/quantri/dang-nhap");
    await shot("quantri-dang-nhap");
    await page.goto(link);
    await page.getByRole("button", { name: "Vào trang quản trị" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/quantri");
    expect(await page.locator("h1").textContent()).toBe("Tổng quan");
    await page.locator("#chart-questions[data-drawn='30'] canvas").waitFor();
    // Drawn: the canvas has coloured pixels, and the legend names the series.
    // (A string: the test's TypeScript has no DOM types.)
    const inked = (await page.evaluate(`(() => {
      const canvas = document.querySelector("#chart-questions canvas");
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
      return { n, width: canvas.width };
    })()`)) as { n: number; width: number };
    expect(inked.width).toBeGreaterThan(200);
    expect(inked.n).toBeGreaterThan(500);
    expect(await page.locator(".u-legend").textContent()).toContain("Không tìm thấy");
    expect(await page.textContent("main")).toContain("Tổng cộng 4 câu hỏi");
    await shot("quantri-tong-quan");
  });

  it("filters the questions not found, grouped, and shows markup people typed as text", async () => {
    await page.getByRole("link", { name: "Câu hỏi" }).click();
    await page.selectOption("select[name=loai]", "not_found");
    await page.getByRole("button", { name: "Lọc" }).click();
    const rows = page.locator("table.questions tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    for (const t of await rows.locator("td:nth-child(4)").allTextContents()) expect(t).toBe("Không tìm thấy");
    const gap = page.locator("table.gaps tbody tr").first();
    expect(await gap.locator("td").nth(1).textContent()).toBe("2");
    // The wording with diacritics stands for the group; the other is listed under it.
    expect(await gap.locator("td").first().textContent()).toBe(
      "Giá xăng hôm nay bao nhiêu?Cách hỏi khác: gia xang hom nay bao nhieu",
    );
    const markup = page.getByText('<script>alert("xss")</script>"><img src=x onerror=alert(1)> giá vàng?');
    expect(await markup.count()).toBeGreaterThan(0);
    expect(await page.locator("main img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await shot("quantri-cau-hoi");
    // The answered one opens with its cited passages.
    await page.goto(`${origin}/quantri/cau-hoi?loai=answered`);
    await page.locator("table.questions tbody a").first().click();
    expect(await page.textContent("main")).toContain("Các đoạn bot đã trích dẫn");
    expect(await page.locator("ol.citations li blockquote").count()).toBeGreaterThan(0);
  });

  it("refuses a form sent without its CSRF token", async () => {
    const status = await page.evaluate(async () => {
      const r = await fetch("/quantri/thong-bao", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "text=gi%E1%BA%A3+m%E1%BA%A1o",
      });
      return r.status;
    });
    expect(status).toBe(403);
  });

  it("composes an announcement, previews it per platform, sends it to every subscriber and shows the report", async () => {
    const notice = "Họp giao ban công tác dân vận lúc 8 giờ sáng thứ Hai <tại hội trường>.";
    await page.getByRole("link", { name: "Thông báo" }).click();
    await page.fill("textarea[name=text]", notice);
    await page.getByRole("button", { name: "Xem trước" }).click();
    expect(await page.locator(".preview.telegram .bubble").textContent()).toBe(notice);
    expect(await page.locator(".preview.zalo .bubble").textContent()).toBe(notice);
    expect(await page.textContent("main")).toContain("Telegram: 3 cuộc trò chuyện đang nhận thông báo");
    await shot("quantri-thong-bao");
    // The first delivery meets a 429 (retry after 2 s): the notice is still going out when the page opens.
    tg.failNext("sendMessage", 429, 1, 2);
    await page.getByRole("button", { name: "Gửi ngay" }).click();
    await page.locator("section.progress progress").waitFor();
    expect(await page.locator(".status").textContent()).toMatch(/chờ gửi|đang gửi/);
    for (const id of SUBSCRIBERS)
      await expect
        .poll(
          () =>
            tg
              .sent(id)
              .some((c) => String(c.params.text).includes("8 giờ sáng thứ Hai &lt;tại hội trường&gt;")),
          {
            timeout: 20_000,
          },
        )
        .toBe(true);
    // The page follows the progress (app.js polls), then reloads itself with the report.
    await page.locator("p.report").waitFor({ timeout: 20_000 });
    expect(await page.textContent("p.report")).toMatch(/3 thành công, 0 lỗi, 0 bị chặn \(tổng 3\)/);
    expect(await page.locator(".status").textContent()).toBe("đã gửi xong");
    await shot("quantri-bao-cao");
  });

  it("lists the subscribers and the documents", async () => {
    await page.getByRole("link", { name: "Người đăng ký" }).click();
    expect(await page.locator("table.subscribers tbody tr").count()).toBe(3);
    await shot("quantri-nguoi-dang-ky");
    await page.getByRole("link", { name: "Tài liệu" }).click();
    expect(await page.textContent("table.documents")).toContain("Kết luận số 43-KL/TW");
  });

  it("uploads a document, follows the rebuild, and the bot answers from it; removed, it is cited no more", async () => {
    // A fact no shipped document has: where a commune's team receives citizens.
    const notice = [
      "ỦY BAN NHÂN DÂN XÃ HÒA AN",
      "Số: 17/TB-UBND",
      "Hòa An, ngày 20 tháng 11 năm 2026",
      "",
      "THÔNG BÁO",
      "Về lịch tiếp công dân của Tổ dân vận xã Hòa An",
      "",
      "1. Tổ dân vận xã Hòa An tiếp công dân vào sáng thứ Năm hằng tuần, từ 7 giờ 30 đến 11 giờ, tại nhà văn hóa ấp Phú Lợi.",
      "2. Người dân mang theo căn cước khi đến nêu kiến nghị; kiến nghị được trả lời trong 10 ngày làm việc.",
      "",
    ].join("\n");
    const question = "Tổ dân vận xã Hòa An tiếp công dân ở đâu?";
    const before = await replyTo(2003, () => say(tg, 2003, question));
    expect(before).not.toContain("17/TB-UBND");
    const polls: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/quantri/tai-lieu/tien-do")) polls.push(r.url());
    });
    await page.goto(`${origin}/quantri/tai-lieu`);
    expect(await page.textContent("form.upload")).toContain("tối đa 50,0 MB");
    await page.setInputFiles("#document-file", {
      name: "Thông báo lịch tiếp dân.txt",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(notice),
    });
    await page.getByRole("button", { name: "Tải lên" }).click();
    // The page follows the rebuild (app.js polls its progress), then shows what came of it.
    await page.locator("section.ingest-done").waitFor({ timeout: 60_000 });
    expect(polls.length).toBeGreaterThan(0);
    expect(await page.textContent("section.ingest-done")).toContain(
      "«Thông báo lịch tiếp dân.txt» đã vào chỉ mục",
    );
    const row = page.locator("table.documents tr.changed");
    expect(await row.locator("td").allTextContents()).toEqual(
      expect.arrayContaining(["Thông báo", "17/TB-UBND", "20/11/2026", "Thông báo lịch tiếp dân.txt"]),
    );
    await shot("quantri-tai-lieu");
    // Asked over Telegram, the bot answers from the new document and cites it.
    const answer = await replyTo(2003, () => say(tg, 2003, question));
    expect(answer).toMatch(/^Theo tài liệu/);
    expect(answer).toContain("nhà văn hóa ấp Phú Lợi");
    expect(answer).toContain("— Thông báo 17/TB-UBND · 1");

    // Removed (asked to confirm), the bot no longer cites it.
    await row.getByRole("button", { name: "Gỡ" }).click();
    expect(await page.textContent("main")).toContain(
      "Gỡ «Thông báo lịch tiếp dân.txt» khỏi tài liệu của bot?",
    );
    await page.getByRole("button", { name: "Gỡ tài liệu" }).click();
    await page.locator("section.ingest-done", { hasText: "đã được gỡ" }).waitFor({ timeout: 60_000 });
    expect(await page.locator("table.documents tbody tr").count()).toBe(1);
    const after = await replyTo(2003, () => say(tg, 2003, question));
    expect(after).not.toContain("17/TB-UBND");
    expect(after).not.toContain("Phú Lợi");
  });

  it("fits a phone's screen: nothing wider than the page but the tables, which scroll on their own", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const path of [
      "/quantri",
      "/quantri/cau-hoi",
      "/quantri/thong-bao",
      "/quantri/nguoi-dang-ky",
      "/quantri/tai-lieu",
    ]) {
      await phone.goto(`${origin}${path}`);
      const { scroll, width } = (await phone.evaluate(
        "({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })",
      )) as { scroll: number; width: number };
      expect(scroll, path).toBeLessThanOrEqual(width);
    }
    await phone.goto(`${origin}/quantri`);
    await phone.locator("#chart-questions canvas").waitFor();
    if (shots) await phone.screenshot({ path: join(shots, "quantri-dien-thoai.png"), fullPage: true });
    await phone.close();
  });

  it("refuses the link once used, and signs out", async () => {
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    expect(await page.textContent("main")).toContain("Bạn đã đăng xuất");
    await page.goto(`${origin}/quantri`);
    expect(new URL(page.url()).pathname).toBe("/quantri/dang-nhap");
    const used = await page.goto(link);
    expect(used?.status()).toBe(403);
    expect(await page.textContent("main")).toContain("Liên kết đăng nhập không dùng được");
  });
});
