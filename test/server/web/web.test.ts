import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../../src/prompts.js";
import { createStudyService } from "../../../src/study/service.js";
import { memoryLogger } from "../../fakes/memory-logger.js";
import { ADMIN, webKit } from "./web-kit.js";

const question = (
  question: string,
  status: "answered" | "partial" | "not_found" = "not_found",
  channel = "telegram",
) => ({
  channel,
  chatId: "c1",
  userId: "u1",
  question,
  status,
  topScore: 0.5,
  coverage: 0.4,
  latencyMs: 12,
  citations: [],
});

describe("signing in to the administrators' web page", () => {
  it("sends someone without a session to the sign-in page, which says how to get a link", async () => {
    const { browser } = await webKit();
    const b = browser();
    for (const path of ["/quantri", "/quantri/", "/quantri/cau-hoi", "/quantri/thong-bao/1"]) {
      const res = await b.request(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location")).toBe("/quantri/dang-nhap");
    }
    const page = await (await b.request("/quantri/dang-nhap")).text();
    expect(page).toContain("nhắn /quantri cho bot");
    expect(page).toContain("npm run admin-link");
    expect(page).not.toContain("dang-xuat");
  });

  it("opens a session from a one-time link: asking first, then a cookie that is HttpOnly and SameSite=Strict", async () => {
    const { browser, links, storage } = await webKit();
    const b = browser();
    const url = new URL(await links.issue(ADMIN));
    expect(url.origin + url.pathname).toBe("http://127.0.0.1:8080/quantri/vao");
    // Opening the link (a preview, a scanner) only asks; it does not use the link.
    const ask = await b.request(url.pathname + url.search);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Vào trang quản trị");
    expect(ask.headers.get("referrer-policy")).toBe("no-referrer");
    const res = await b.post("/quantri/vao", { t: url.searchParams.get("t") ?? "" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/quantri");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/quantri/);
    expect(cookie).not.toMatch(/Secure/i);
    const overview = await b.request("/quantri");
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain(`Đang đăng nhập: ${ADMIN}`);
    expect((await storage.audit.recent(5)).map((e) => [e.actor, e.action])).toEqual([
      [ADMIN, "sign-in"],
      [ADMIN, "sign-in-link"],
    ]);
  });

  it("marks the cookie Secure behind HTTPS, under PUBLIC_URL's path", async () => {
    const { links, browser } = await webKit({ publicUrl: "https://bot.example.vn" });
    const url = new URL(await links.issue(ADMIN));
    expect(url.href).toMatch(/^https:\/\/bot\.example\.vn\/quantri\/vao\?t=[\w-]{40,}$/);
    const res = await browser().post("/quantri/vao", { t: url.searchParams.get("t") ?? "" });
    expect(res.headers.get("set-cookie")).toMatch(/Secure/);
  });

  it("refuses a link used twice, expired, forged, or of someone no longer an administrator", async () => {
    const { browser, links, clock } = await webKit();
    const token = async (admin = ADMIN) => new URL(await links.issue(admin)).searchParams.get("t") ?? "";
    const used = await token();
    expect((await browser().post("/quantri/vao", { t: used })).status).toBe(303);
    for (const [why, t] of [
      ["reused", used],
      ["forged", `${used.slice(0, -4)}AAAA`],
      ["empty", ""],
      ["not an administrator", await token("telegram:666")],
    ] as const) {
      const b = browser();
      const res = await b.post("/quantri/vao", { t });
      expect(res.status, why).toBe(403);
      expect(await res.text(), why).toContain("Liên kết đăng nhập không dùng được");
      expect(b.jar.size, why).toBe(0);
      expect((await b.request(`/quantri/vao?t=${t}`)).status, why).toBe(403);
    }
    const late = await token();
    clock.now = new Date(clock.now.getTime() + 10 * 60_000 + 1000);
    expect((await browser().request(`/quantri/vao?t=${late}`)).status).toBe(403);
    expect((await browser().post("/quantri/vao", { t: late })).status).toBe(403);
  });

  it("ends a session idle for 30 minutes, any session after 12 hours, and at sign-out", async () => {
    const { browser, clock } = await webKit();
    const b = browser();
    await b.signIn();
    const step = (minutes: number) => {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
    };
    // Active every 25 minutes: alive until the twelfth hour, then signed out.
    for (let i = 0; i < 28; i++) {
      step(25);
      expect((await b.request("/quantri")).status, `after ${(i + 1) * 25} min`).toBe(200);
    }
    step(25);
    expect((await b.request("/quantri")).status).toBe(303);

    const idle = browser();
    await idle.signIn();
    step(31);
    expect((await idle.request("/quantri")).headers.get("location")).toBe("/quantri/dang-nhap");

    const leaving = browser();
    await leaving.signIn();
    const cookie = [...leaving.jar][0];
    const out = await leaving.post("/quantri/dang-xuat", { _csrf: await leaving.csrf() });
    expect(await out.text()).toContain("Bạn đã đăng xuất");
    // The old cookie opens nothing any more.
    const replay = browser();
    if (cookie) replay.jar.set(cookie[0], cookie[1]);
    expect((await replay.request("/quantri")).status).toBe(303);
  });

  it("refuses with 403 a form without its CSRF token, or with another session's", async () => {
    const { browser, storage } = await webKit();
    const a = browser();
    await a.signIn();
    const other = browser();
    await other.signIn();
    const otherToken = await other.csrf();
    expect((await a.post("/quantri/thong-bao", { text: "Họp lúc 8 giờ" })).status).toBe(403);
    const wrong = await a.post("/quantri/thong-bao", { text: "Họp lúc 8 giờ", _csrf: otherToken });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("Biểu mẫu không hợp lệ");
    expect(await storage.notices.recent(5)).toEqual([]);
    const ok = await a.post("/quantri/thong-bao", { text: "Họp lúc 8 giờ", _csrf: await a.csrf() });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toMatch(/^\/quantri\/thong-bao\/\d+$/);
  });

  it("sends security headers: only its own scripts, no framing, no caching", async () => {
    const { browser } = await webKit();
    const b = browser();
    await b.signIn();
    const res = await b.request("/quantri");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.text();
    expect(body).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    const uplot = await b.request("/quantri/tai-nguyen/uPlot.iife.min.js");
    expect(uplot.status).toBe(200);
    expect(uplot.headers.get("content-type")).toContain("javascript");
    expect(await uplot.text()).toContain("uPlot");
  });
});

describe("the pages", () => {
  it("shows what users wrote as text, never as markup", async () => {
    const { browser, storage } = await webKit();
    const evil = ['<script>alert("x")</script> có không?', '"><img src=x onerror=alert(1)> phí?'];
    const ids = [];
    for (const q of evil) ids.push(await storage.questions.record(question(q)));
    const b = browser();
    await b.signIn();
    for (const path of ["/quantri/cau-hoi", `/quantri/cau-hoi/${ids[0]}`, `/quantri/cau-hoi/${ids[1]}`]) {
      const body = await (await b.request(path)).text();
      expect(body, path).not.toContain("<script>alert");
      expect(body, path).not.toContain("<img src=x");
    }
    const list = await (await b.request("/quantri/cau-hoi")).text();
    expect(list).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(list).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  });

  it("filters questions by grade, channel, words and date, and exports the selection as CSV", async () => {
    const { browser, storage, clock } = await webKit();
    await storage.questions.record(question("Kết luận 43 ban hành ngày nào?", "answered"));
    await storage.questions.record(question("Giá xăng hôm nay?"));
    await storage.questions.record(question("gia xang hom nay bao nhieu", "not_found", "zalo"));
    await storage.questions.record(question('=HYPERLINK("http://x")', "partial"));
    clock.now = new Date(clock.now.getTime() + 3 * 86_400_000);
    await storage.questions.record(question("Lương hưu tháng này?"));
    const b = browser();
    await b.signIn();
    const rows = async (query: string) => {
      const body = await (await b.request(`/quantri/cau-hoi?${query}`)).text();
      const table = body.slice(body.indexOf('class="questions"'));
      return [...table.matchAll(/href="\/quantri\/cau-hoi\/\d+">([^<]+)</g)].map((m) => m[1]);
    };
    expect(await rows("loai=not_found")).toEqual([
      "Lương hưu tháng này?",
      "gia xang hom nay bao nhieu",
      "Giá xăng hôm nay?",
    ]);
    expect(await rows("loai=not_found&kenh=zalo")).toEqual(["gia xang hom nay bao nhieu"]);
    expect(await rows("q=gia xang")).toEqual(["gia xang hom nay bao nhieu", "Giá xăng hôm nay?"]);
    expect(await rows("den=2026-12-01")).toHaveLength(4);
    expect(await rows("tu=2026-12-02")).toEqual(["Lương hưu tháng này?"]);
    // The gaps: the two wordings of the petrol price are one, asked twice, so first.
    const page = await (await b.request("/quantri/cau-hoi")).text();
    const gaps = page.slice(
      page.indexOf('class="gaps"'),
      page.indexOf("</table>", page.indexOf('class="gaps"')),
    );
    expect(gaps.indexOf("xăng")).toBeLessThan(gaps.indexOf("Lương hưu"));
    expect(gaps).toMatch(/<td>2<\/td>/);

    const csv = await b.request("/quantri/cau-hoi.csv?loai=unanswered");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('"Câu hỏi"');
    // A formula is written as text, never run by a spreadsheet.
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect((await storage.audit.recent(1))[0]).toMatchObject({ actor: ADMIN, action: "questions-export" });
  });

  it("previews a notice as Telegram and as Zalo show it, with recipients per channel; sends, reports and cancels", async () => {
    const { browser, storage } = await webKit();
    for (const [channel, chatId] of [
      ["telegram", "1"],
      ["telegram", "2"],
      ["zalo", "z1"],
    ] as const)
      await storage.subscriptions.subscribe({ channel, chatId, chatType: "private" });
    const b = browser();
    await b.signIn();
    const text = "Họp giao ban <b>lúc</b> 8 giờ & mang sổ.\n\nĐịa điểm: hội trường.";
    const created = await b.post("/quantri/thong-bao", { text, _csrf: await b.csrf("/quantri/thong-bao") });
    const path = created.headers.get("location") ?? "";
    const preview = await (await b.request(path)).text();
    expect(preview).toContain("Trên Telegram sẽ hiện như sau");
    expect(preview).toContain("Trên Zalo sẽ hiện như sau");
    // What the administrator typed is text on both platforms.
    // Both previews: Telegram's HTML (text escaped by its renderer) and Zalo's plain text.
    expect(preview.match(/Họp giao ban &lt;b&gt;lúc&lt;\/b&gt; 8 giờ &amp; mang sổ\./g)).toHaveLength(2);
    expect(preview).not.toContain("<b>lúc</b>");
    expect(preview).toContain("Telegram: 2 cuộc trò chuyện đang nhận thông báo");
    expect(preview).toContain("Zalo: 1 cuộc trò chuyện đang nhận thông báo");
    const id = Number(path.split("/").pop());
    const sent = await b.post(`${path}/gui`, { _csrf: await b.csrf(path) });
    expect(sent.status).toBe(303);
    const progress = await (await b.request(`${path}/tien-do`)).json();
    expect(progress).toMatchObject({
      ok: true,
      status: "queued",
      finished: false,
      counts: { total: 3, pending: 3 },
    });
    const running = await (await b.request(path)).text();
    expect(running).toContain(`data-progress="/quantri/thong-bao/${id}/tien-do"`);
    // Sending twice does nothing more.
    expect((await b.post(`${path}/gui`, { _csrf: await b.csrf(path) })).status).toBe(409);
    expect((await b.post(`${path}/huy`, { _csrf: await b.csrf(path) })).status).toBe(303);
    const after = await (await b.request(`${path}/tien-do`)).json();
    expect(after).toMatchObject({ status: "cancelled", finished: true, counts: { cancelled: 3 } });
    expect((await storage.audit.recent(3)).map((e) => e.action)).toEqual([
      "notice-cancel",
      "notice-send",
      "notice-draft",
    ]);
  });

  it("lists administrators' announcements only, not the lessons of study series (sent as notices too)", async () => {
    const { browser, storage } = await webKit();
    await storage.subscriptions.subscribe({ channel: "telegram", chatId: "1", chatType: "private" });
    const at = new Date().toISOString();
    const notice = await storage.notices.create("Họp chi bộ tối thứ Sáu", "telegram:1001", at);
    await storage.notices.queue(notice, ["telegram"], undefined, at);
    const lesson = await storage.notices.create("Bài 1/5: Dân biết, dân bàn", "study:1", at);
    await storage.notices.queue(lesson, ["telegram"], undefined, at);
    const b = browser();
    await b.signIn();
    for (const path of ["/quantri", "/quantri/thong-bao"]) {
      const body = await (await b.request(path)).text();
      expect(body).toContain("Họp chi bộ tối thứ Sáu");
      expect(body).not.toContain("Dân biết, dân bàn");
    }
  });

  it("shows the study series with their followers, and the quizzes' figures per group, question and person", async () => {
    const replies = (await loadPrompts()).replies;
    const { browser, storage } = await webKit({
      quizFigures: (st) => () =>
        createStudyService({
          study: st.study,
          quizzes: st.quizzes,
          index: () => {
            throw new Error("the figures need no index");
          },
          channels: ["telegram"],
          isAdmin: () => false,
          replies,
          logger: memoryLogger().logger,
        }).figures(),
    });
    const at = "2026-12-01T03:00:00.000Z";
    const series = await storage.study.createSeries(
      {
        title: "Mỗi ngày một điều: Kết luận 43",
        documentId: "kh",
        passages: ["p1", "p2", "p3"],
        schedule: "0 7 * * 1-5",
        createdBy: ADMIN,
      },
      at,
    );
    await storage.study.setStatus(series, "active", ["draft"], at);
    await storage.study.join(
      series,
      { channel: "telegram", chatId: "-100", chatType: "group", title: "Chi bộ 1" },
      at,
    );
    await storage.study.join(series, { channel: "telegram", chatId: "5", chatType: "private" }, at);
    const q = (itemId: string, question: string) => ({
      itemId,
      question,
      options: ["a", "b", "c"],
      correct: 1,
      explanation: "Đáp án: b",
    });
    const quiz = await storage.quizzes.create(
      {
        channel: "telegram",
        chatId: "-100",
        chatType: "group",
        createdBy: ADMIN,
        questions: [
          q("i1", "Phương châm «Dân biết, dân bàn, dân làm, dân ___»"),
          q("i2", "Kết luận 43 ban hành năm nào?"),
        ],
        seconds: 30,
      },
      at,
    );
    await storage.quizzes.start(quiz, 0);
    const answer = { quizId: quiz, channel: "telegram", chatId: "-100", option: 1 };
    await storage.quizzes.answer(
      { ...answer, question: 0, userId: "7", userName: "Lan <b>", correct: true },
      at,
    );
    await storage.quizzes.answer(
      { ...answer, question: 0, userId: "8", userName: "Minh", correct: true },
      at,
    );
    await storage.quizzes.answer(
      { ...answer, question: 1, userId: "7", userName: "Lan <b>", correct: false },
      at,
    );
    await storage.quizzes.answer(
      { ...answer, question: 1, userId: "8", userName: "Minh", correct: true },
      at,
    );
    await storage.quizzes.finish(quiz, at);
    const b = browser();
    await b.signIn();
    const body = await (await b.request("/quantri/hoc-tap")).text();
    expect(body).toContain("Mỗi ngày một điều: Kết luận 43");
    expect(body).toContain("đang chạy");
    expect(body).toMatch(/<td>3<\/td><td>2<\/td><\/tr>/);
    expect(body).toContain("1 bài kiểm tra, 4 lượt trả lời, trả lời đúng 75%.");
    // The hardest question first: 1 of 2 right.
    expect(body.indexOf("Kết luận 43 ban hành năm nào?")).toBeLessThan(body.indexOf("Dân biết, dân bàn"));
    expect(body).toContain("Lan &lt;b&gt;");
    // Groups by their title, people by their names: no chat or user ids on the page.
    expect(body).toContain("Chi bộ 1");
    expect(body).not.toContain("-100");
    expect(body).not.toMatch(/<td>[78]<\/td>/);
  });

  it("says in Vietnamese that a page cannot be shown when the database fails, and logs chosen fields only", async () => {
    const { browser, storage, log } = await webKit();
    const b = browser();
    await b.signIn();
    storage.questionInsights.daily = async () => {
      throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    };
    const res = await b.request("/quantri");
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain("Trang này tạm thời không hiển thị được");
    expect(body).not.toContain("statement timeout");
    expect(body).not.toContain("Internal Server Error");
    const line = log.lines().find((l) => l.msg === "lỗi khi hiển thị trang quản trị");
    expect(line?.path).toBe("/quantri");
    expect(JSON.stringify(line?.err)).toContain("statement timeout");
  });

  it("schedules a notice in Vietnam's time and refuses a time already past", async () => {
    const { browser, broadcasts } = await webKit();
    const b = browser();
    await b.signIn();
    const created = await b.post("/quantri/thong-bao", {
      text: "Hẹn giờ",
      _csrf: await b.csrf("/quantri/thong-bao"),
    });
    const path = created.headers.get("location") ?? "";
    const past = await b.post(`${path}/hen-gio`, { when: "2026-12-01T08:00", _csrf: await b.csrf(path) });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("01/12/2026 08:00 đã qua");
    // 03:00 UTC is 10:00 in Vietnam; 11:30 is still to come.
    expect(
      (await b.post(`${path}/hen-gio`, { when: "2026-12-01T11:30", _csrf: await b.csrf(path) })).status,
    ).toBe(303);
    const [scheduled] = await broadcasts.scheduled();
    expect(scheduled?.scheduledFor).toBe("2026-12-01T04:30:00.000Z");
    expect(await (await b.request(path)).text()).toContain("Sẽ gửi lúc 01/12/2026 11:30");
  });

  it("lists subscribers by channel, kind and state with why they stopped", async () => {
    const { browser, storage } = await webKit();
    await storage.subscriptions.subscribe({ channel: "telegram", chatId: "1", chatType: "private" });
    await storage.subscriptions.subscribe({
      channel: "telegram",
      chatId: "-9",
      chatType: "group",
      title: "Chi hội <Phụ nữ>",
    });
    await storage.subscriptions.deactivate("telegram", "-9", "removed");
    const b = browser();
    await b.signIn();
    const inactive = await (await b.request("/quantri/nguoi-dang-ky?trang_thai=inactive")).text();
    expect(inactive).toContain("Chi hội &lt;Phụ nữ&gt;");
    expect(inactive).toContain("bot bị xoá khỏi nhóm");
    expect(inactive).not.toContain("<td>1</td><td>01/12/2026");
    const active = await (await b.request("/quantri/nguoi-dang-ky?trang_thai=active")).text();
    expect(active).not.toContain("Chi hội");
  });

  it("draws the overview chart from the question log's last 30 days", async () => {
    const { browser, storage, clock } = await webKit();
    const a = await storage.questions.record(question("Kết luận 43?", "answered"));
    await storage.feedback.set(a, -1);
    clock.now = new Date(clock.now.getTime() + 86_400_000);
    await storage.questions.record(question("Giá xăng?"));
    const b = browser();
    await b.signIn();
    const body = await (await b.request("/quantri")).text();
    const data = /data-chart="([^"]+)"/.exec(body)?.[1] ?? "";
    const chart = JSON.parse(data.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as {
      x: number[];
      series: { label: string; values: number[] }[];
    };
    expect(chart.x).toHaveLength(30);
    expect(chart.series.map((s) => s.values.slice(-2))).toEqual([
      [1, 0],
      [0, 0],
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
    expect(body).toContain("Tổng cộng 2 câu hỏi");
  });
});
