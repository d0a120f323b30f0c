/**
 * The storage contract: what every backend of the storage ports (src/storage/ports.ts) must do,
 * as one suite taking a factory. SQLite runs it (sqlite/contract.test.ts); a PostgreSQL backend
 * runs the same suite before it may replace SQLite.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { QuestionRecord, Storage } from "../../src/storage/ports.js";

/** Registers the contract suite for the backend `open` makes (a fresh, empty store each time). */
export function storageContract(name: string, open: () => Promise<Storage>): void {
  describe(`storage contract: ${name}`, () => {
    const opened: Storage[] = [];
    const fresh = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    const question = (q: Partial<QuestionRecord> = {}): QuestionRecord => ({
      channel: "telegram",
      chatId: "c1",
      userId: "u1",
      question: "Kết luận 43 ban hành ngày nào?",
      status: "answered",
      topScore: 0.9,
      coverage: 0.8,
      latencyMs: 12.6,
      citations: ["kh:p1", "kh:p2"],
      ...q,
    });

    describe("question log and feedback", () => {
      it("keeps each question with its outcome, newest first, and counts them", async () => {
        const s = await fresh();
        const first = await s.questions.record(question());
        const second = await s.questions.record(question({ question: "Giá xăng?", status: "not_found" }));
        expect(second).not.toBe(first);
        expect(await s.questions.count()).toBe(2);
        expect(await s.questions.get(first)).toMatchObject({
          id: first,
          channel: "telegram",
          chatId: "c1",
          userId: "u1",
          status: "answered",
          citations: ["kh:p1", "kh:p2"],
          latencyMs: 13,
          feedback: null,
        });
        expect(Number.isNaN(Date.parse((await s.questions.get(first))?.askedAt ?? ""))).toBe(false);
        expect((await s.questions.recent(5)).map((q) => q.id)).toEqual([second, first]);
        expect(await s.questions.get(9999)).toBeUndefined();
      });

      it("keeps the partial grade, and lists what was not answered, most frequent first, case and spaces aside", async () => {
        const s = await fresh();
        await s.questions.record(question({ question: "Giá xăng?", status: "not_found" }));
        await s.questions.record(question({ question: "giá xăng?  ", status: "not_found" }));
        const partial = await s.questions.record(
          question({ question: "Phụ cấp trưởng thôn?", status: "partial" }),
        );
        await s.questions.record(question({ question: "KL 43?", status: "answered" }));
        expect(await s.questions.get(partial)).toMatchObject({ status: "partial" });
        const top = await s.questions.topUnanswered(5);
        expect(top.map((q) => q.count)).toEqual([2, 1]);
        expect(top[1]?.question).toBe("Phụ cấp trưởng thôn?");
        expect(await s.questions.topUnanswered(5, "2999-01-01")).toEqual([]);
      });

      it("keeps 👍/👎 with a question that exists, and says when it does not", async () => {
        const s = await fresh();
        const id = await s.questions.record(question());
        expect(await s.feedback.set(id, -1)).toBe(true);
        expect(await s.feedback.set(id, 1)).toBe(true);
        expect((await s.questions.get(id))?.feedback).toBe(1);
        expect(await s.feedback.set(id + 100, 1)).toBe(false);
      });
    });

    describe("subscriptions", () => {
      const chat = { channel: "telegram", chatId: "42", chatType: "private" as const };

      it("subscribes once, leaves, and comes back", async () => {
        const s = await fresh();
        expect(await s.subscriptions.subscribe(chat)).toBe("new");
        expect(await s.subscriptions.subscribe(chat)).toBe("already");
        expect(await s.subscriptions.get("telegram", "42")).toMatchObject({
          active: true,
          chatType: "private",
        });
        expect(await s.subscriptions.unsubscribe("telegram", "42")).toBe(true);
        expect(await s.subscriptions.get("telegram", "42")).toMatchObject({
          active: false,
          inactiveReason: "unsubscribed",
        });
        expect(await s.subscriptions.subscribe(chat)).toBe("again");
        expect(await s.subscriptions.unsubscribe("zalo", "nobody")).toBe(false);
        expect(await s.subscriptions.get("zalo", "nobody")).toBeUndefined();
      });

      it("follows membership: deactivated with a reason, reactivated only for that reason, migrated", async () => {
        const s = await fresh();
        await s.subscriptions.subscribe(chat);
        await s.subscriptions.subscribe({
          channel: "telegram",
          chatId: "-1",
          chatType: "group",
          title: "Nhóm",
        });
        expect(await s.subscriptions.deactivate("telegram", "42", "blocked")).toBe(true);
        expect(await s.subscriptions.deactivate("telegram", "42", "blocked")).toBe(false);
        expect(await s.subscriptions.reactivate("telegram", "42", "removed")).toBe(false);
        expect(await s.subscriptions.reactivate("telegram", "42", "blocked")).toBe(true);
        expect(await s.subscriptions.migrate("telegram", "-1", "-100")).toBe(true);
        expect(await s.subscriptions.get("telegram", "-1")).toBeUndefined();
        expect(await s.subscriptions.get("telegram", "-100")).toMatchObject({
          active: true,
          chatType: "group",
          title: "Nhóm",
        });
      });

      it("counts by channel and kind, and the active ones on given channels", async () => {
        const s = await fresh();
        await s.subscriptions.subscribe(chat);
        await s.subscriptions.subscribe({ ...chat, chatId: "43" });
        await s.subscriptions.subscribe({ channel: "zalo", chatId: "z1", chatType: "private" });
        await s.subscriptions.unsubscribe("telegram", "43");
        expect(await s.subscriptions.counts()).toEqual([
          { channel: "telegram", chatType: "private", active: 1, inactive: 1 },
          { channel: "zalo", chatType: "private", active: 1, inactive: 0 },
        ]);
        expect(await s.subscriptions.countActive()).toBe(2);
        expect(await s.subscriptions.countActive(["zalo"])).toBe(1);
        expect(await s.subscriptions.countActive([])).toBe(0);
      });
    });

    describe("notices and deliveries", () => {
      const at = "2026-11-30T01:00:00.000Z";
      const subscribed = async (s: Storage) => {
        await s.subscriptions.subscribe({ channel: "telegram", chatId: "1", chatType: "private" });
        await s.subscriptions.subscribe({ channel: "telegram", chatId: "2", chatType: "group" });
        await s.subscriptions.subscribe({ channel: "zalo", chatId: "z1", chatType: "private" });
        await s.subscriptions.subscribe({ channel: "telegram", chatId: "3", chatType: "private" });
        await s.subscriptions.unsubscribe("telegram", "3");
      };

      it("queues a draft once, to the active subscribers of the given channels", async () => {
        const s = await fresh();
        await subscribed(s);
        const id = await s.notices.create("Họp giao ban", "telegram:a1", at);
        expect(await s.notices.get(id)).toMatchObject({
          id,
          status: "draft",
          text: "Họp giao ban",
          createdBy: "telegram:a1",
        });
        expect(await s.notices.counts(id)).toMatchObject({ total: 0 });
        expect(await s.notices.queue(id, ["telegram"], { chat: "telegram:1", message: "7" }, at)).toBe(true);
        expect(await s.notices.queue(id, ["telegram"], undefined, at)).toBe(false);
        expect(await s.notices.get(id)).toMatchObject({
          status: "queued",
          reportChat: "telegram:1",
          reportMessage: "7",
        });
        expect(await s.notices.counts(id)).toEqual({
          total: 2,
          pending: 2,
          sent: 0,
          failed: 0,
          blocked: 0,
          cancelled: 0,
        });
        expect(await s.notices.queue(9999, ["telegram"], undefined, at)).toBe(false);
        // A report to a chat without a message to edit (a platform that cannot edit).
        const other = await s.notices.create("Khác", "zalo:a1", at);
        expect(await s.notices.queue(other, ["zalo"], { chat: "zalo:a1" }, at)).toBe(true);
        expect(await s.notices.get(other)).toMatchObject({ reportChat: "zalo:a1", reportMessage: null });
      });

      it("claims each delivery once, due ones only, and settles them", async () => {
        const s = await fresh();
        await subscribed(s);
        const id = await s.notices.create("x", "cli", at);
        await s.notices.queue(id, ["telegram", "zalo"], undefined, at);
        expect(await s.notices.hasWork()).toBe(true);
        const a = await s.notices.claim("telegram", 0, at);
        const b = await s.notices.claim("telegram", 0, at);
        expect(await s.notices.claim("telegram", 0, at)).toBeUndefined();
        expect([a?.chatId, b?.chatId].sort()).toEqual(["1", "2"]);
        expect(a).toMatchObject({ broadcastId: id, channel: "telegram", attempts: 1 });
        expect(b?.chatType).toBe(b?.chatId === "2" ? "group" : "private");
        await s.notices.settle(a as never, { status: "sent", error: null, nextAtMs: 0 }, at);
        await s.notices.settle(b as never, { status: "pending", error: "502", nextAtMs: 5000 }, at);
        expect(await s.notices.claim("telegram", 4999, at)).toBeUndefined();
        const again = await s.notices.claim("telegram", 5000, at);
        expect(again).toMatchObject({ chatId: b?.chatId, attempts: 2 });
        await s.notices.settle(again as never, { status: "blocked", error: "403", nextAtMs: 0 }, at);
        const z = await s.notices.claim("zalo", 0, at);
        await s.notices.settle(z as never, { status: "failed", error: "400", nextAtMs: 0 }, at);
        expect(await s.notices.counts(id)).toEqual({
          total: 3,
          pending: 0,
          sent: 1,
          failed: 1,
          blocked: 1,
          cancelled: 0,
        });
      });

      it("puts deliveries left sending back to pending", async () => {
        const s = await fresh();
        await subscribed(s);
        const id = await s.notices.create("x", "cli", at);
        await s.notices.queue(id, ["telegram"], undefined, at);
        await s.notices.claim("telegram", 0, at);
        expect(await s.notices.counts(id)).toMatchObject({ pending: 2 });
        expect(await s.notices.resumeSending(at)).toBe(1);
        expect(await s.notices.resumeSending(at)).toBe(0);
        expect(await s.notices.claim("telegram", 0, at)).toBeDefined();
      });

      it("runs queued notices and finishes them", async () => {
        const s = await fresh();
        const id = await s.notices.create("x", "cli", at);
        await s.notices.queue(id, ["telegram"], undefined, at);
        expect(await s.notices.running()).toEqual([]);
        await s.notices.startQueued(at);
        expect((await s.notices.running()).map((b) => [b.id, b.status, b.startedAt])).toEqual([
          [id, "running", at],
        ]);
        await s.notices.finish(id, "2026-11-30T02:00:00.000Z");
        expect(await s.notices.get(id)).toMatchObject({
          status: "done",
          finishedAt: "2026-11-30T02:00:00.000Z",
        });
        expect(await s.notices.running()).toEqual([]);
        expect(await s.notices.hasWork()).toBe(false);
      });

      it("schedules drafts only, lists them soonest first, and cancels with their pending deliveries", async () => {
        const s = await fresh();
        await subscribed(s);
        const later = await s.notices.create("sau", "telegram:a1", at);
        const sooner = await s.notices.create("trước", "telegram:a1", at);
        expect(await s.notices.schedule(later, "2026-12-05T01:00:00.000Z")).toBe(true);
        expect(await s.notices.schedule(sooner, "2026-12-01T01:00:00.000Z")).toBe(true);
        expect(await s.notices.schedule(sooner, "2026-12-02T01:00:00.000Z")).toBe(false);
        expect((await s.notices.scheduled()).map((b) => [b.id, b.scheduledFor])).toEqual([
          [sooner, "2026-12-01T01:00:00.000Z"],
          [later, "2026-12-05T01:00:00.000Z"],
        ]);
        // A scheduled notice can be queued when its time comes.
        expect(await s.notices.queue(sooner, ["telegram"], undefined, at)).toBe(true);
        expect(await s.notices.cancel(sooner, at)).toBe(true);
        expect(await s.notices.cancel(sooner, at)).toBe(false);
        expect(await s.notices.counts(sooner)).toMatchObject({ total: 2, pending: 0, cancelled: 2 });
        expect(await s.notices.claim("telegram", 0, at)).toBeUndefined();
        expect(await s.notices.get(sooner)).toMatchObject({ status: "cancelled", finishedAt: at });
      });

      it("finds an author's notices by status, oldest first, and the recent ones without drafts", async () => {
        const s = await fresh();
        const mine1 = await s.notices.create("a", "telegram:a1", at);
        await s.notices.create("b", "telegram:a2", at);
        const mine2 = await s.notices.create("c", "telegram:a1", at);
        await s.notices.schedule(mine2, "2026-12-01T01:00:00.000Z");
        expect((await s.notices.byCreator("telegram:a1", ["draft"])).map((b) => b.id)).toEqual([mine1]);
        expect((await s.notices.byCreator("telegram:a1", ["draft", "scheduled"])).map((b) => b.id)).toEqual([
          mine1,
          mine2,
        ]);
        expect(await s.notices.byCreator("telegram:a1", [])).toEqual([]);
        const recent = await s.notices.recent(5);
        expect(recent.map((b) => [b.id, b.status])).toEqual([[mine2, "scheduled"]]);
        expect(recent[0]?.counts).toMatchObject({ total: 0 });
        // Many lessons of a study series after it: they crowd the list, unless left out.
        for (let i = 0; i < 6; i++) {
          const lesson = await s.notices.create(`Bài ${i + 1}`, "study:1", at);
          await s.notices.queue(lesson, ["telegram"], undefined, at);
        }
        expect((await s.notices.recent(5)).map((b) => b.createdBy)).not.toContain("telegram:a1");
        expect((await s.notices.recent(5, { withoutLessons: true })).map((b) => b.id)).toEqual([mine2]);
      });
    });

    describe("the worker lease", () => {
      it("is held by one holder until it expires, renewed by that holder, and released", async () => {
        const s = await fresh();
        expect(await s.lease.hold("w", "a", 10_000, 0)).toBe(true);
        expect(await s.lease.hold("w", "b", 10_000, 5_000)).toBe(false);
        expect(await s.lease.hold("w", "a", 20_000, 9_000)).toBe(true);
        expect(await s.lease.hold("w", "b", 30_000, 15_000)).toBe(false);
        expect(await s.lease.hold("w", "b", 30_000, 20_001)).toBe(true);
        expect(await s.lease.hold("other", "a", 10_000, 0)).toBe(true);
        await s.lease.release("w", "a");
        expect(await s.lease.hold("w", "c", 40_000, 21_000)).toBe(false);
        await s.lease.release("w", "b");
        expect(await s.lease.hold("w", "c", 40_000, 21_000)).toBe(true);
      });
    });

    describe("usage counters", () => {
      it("counts messages per channel", async () => {
        const s = await fresh();
        expect(await s.usage.used("zalo")).toBe(0);
        await s.usage.add("zalo");
        await s.usage.add("zalo", 3);
        await s.usage.add("telegram");
        expect(await s.usage.used("zalo")).toBe(4);
        expect(await s.usage.used("telegram")).toBe(1);
      });
    });

    describe("sessions", () => {
      it("keeps a value per key as JSON, replaces and deletes it", async () => {
        const s = await fresh();
        expect(await s.sessions.get("telegram:1")).toBeUndefined();
        const value = { question: "Kết luận 43?", citations: [{ passageId: "kh:p1", score: 0.5 }] };
        await s.sessions.set("telegram:1", value);
        await s.sessions.set("zalo:1", { question: "khác" });
        expect(await s.sessions.get("telegram:1")).toEqual(value);
        await s.sessions.set("telegram:1", { question: "mới" });
        expect(await s.sessions.get("telegram:1")).toEqual({ question: "mới" });
        await s.sessions.delete("telegram:1");
        expect(await s.sessions.get("telegram:1")).toBeUndefined();
        expect(await s.sessions.get("zalo:1")).toEqual({ question: "khác" });
      });
    });

    describe("administrators' web page (issue 14)", () => {
      const HOUR = 3600_000;
      const iso = (ms: number) => new Date(ms).toISOString();

      it("uses a sign-in link once, only before it expires, and never another's", async () => {
        const s = await fresh();
        const t0 = Date.parse("2026-12-01T10:00:00Z");
        await s.webSignIn.createLink("hash-a", "telegram:1001", iso(t0), iso(t0 + 600_000));
        await s.webSignIn.createLink("hash-b", "zalo:abc", iso(t0), iso(t0 + 600_000));
        expect(await s.webSignIn.peekLink("hash-a", iso(t0 + 1000))).toBe("telegram:1001");
        // Peeking does not use it.
        expect(await s.webSignIn.useLink("hash-a", iso(t0 + 2000))).toBe("telegram:1001");
        expect(await s.webSignIn.useLink("hash-a", iso(t0 + 3000))).toBeUndefined();
        expect(await s.webSignIn.peekLink("hash-a", iso(t0 + 3000))).toBeUndefined();
        expect(await s.webSignIn.useLink("nope", iso(t0 + 3000))).toBeUndefined();
        expect(await s.webSignIn.useLink("hash-b", iso(t0 + 600_000))).toBeUndefined();
        expect(await s.webSignIn.peekLink("hash-b", iso(t0 + 600_001))).toBeUndefined();
      });

      it("keeps sessions by the hash of their id, records activity, ends and prunes them", async () => {
        const s = await fresh();
        const t0 = Date.parse("2026-12-01T10:00:00Z");
        const session = {
          idHash: "sess-1",
          admin: "telegram:1001",
          csrf: "csrf-1",
          createdAt: iso(t0),
          lastSeenAt: iso(t0),
          expiresAt: iso(t0 + 12 * HOUR),
        };
        await s.webSignIn.createSession(session);
        await s.webSignIn.createSession({ ...session, idHash: "sess-2", csrf: "csrf-2" });
        await s.webSignIn.createSession({ ...session, idHash: "sess-3", expiresAt: iso(t0 + HOUR) });
        expect(await s.webSignIn.getSession("sess-1")).toEqual(session);
        await s.webSignIn.touchSession("sess-1", iso(t0 + 2 * HOUR));
        expect((await s.webSignIn.getSession("sess-1"))?.lastSeenAt).toBe(iso(t0 + 2 * HOUR));
        await s.webSignIn.endSession("sess-2");
        expect(await s.webSignIn.getSession("sess-2")).toBeUndefined();
        await s.webSignIn.createLink("used", "telegram:1001", iso(t0), iso(t0 + 600_000));
        await s.webSignIn.useLink("used", iso(t0));
        // At t0 + 2h: sess-3 has expired; sess-1 was seen at t0 + 2h (not idle since t0 + 1h).
        expect(await s.webSignIn.prune(iso(t0 + 2 * HOUR), iso(t0 + HOUR))).toBe(2);
        expect(await s.webSignIn.getSession("sess-1")).toBeDefined();
        expect(await s.webSignIn.getSession("sess-3")).toBeUndefined();
      });

      it("writes the audit log and reads it newest first", async () => {
        const s = await fresh();
        await s.audit.record({
          actor: "telegram:1",
          action: "sign-in",
          detail: "",
          at: "2026-12-01T10:00:00.000Z",
        });
        await s.audit.record({
          actor: "zalo:x",
          action: "notice-send",
          detail: "#3",
          at: "2026-12-01T10:05:00.000Z",
        });
        const recent = await s.audit.recent(10);
        expect(recent.map((e) => [e.actor, e.action, e.detail, e.at])).toEqual([
          ["zalo:x", "notice-send", "#3", "2026-12-01T10:05:00.000Z"],
          ["telegram:1", "sign-in", "", "2026-12-01T10:00:00.000Z"],
        ]);
        expect(await s.audit.recent(1)).toHaveLength(1);
      });

      it("searches the question log by words, grade, feedback and channel, newest first, with the total", async () => {
        const s = await fresh();
        const a = await s.questions.record(question({ question: "Kết luận 43 ban hành ngày nào?" }));
        const b = await s.questions.record(question({ question: "Giá xăng hôm nay?", status: "not_found" }));
        const c = await s.questions.record(
          question({ question: "Quỹ 100% của hội?", status: "partial", channel: "zalo" }),
        );
        await s.feedback.set(a, -1);
        await s.feedback.set(c, 1);
        const ids = async (f: Parameters<typeof s.questionInsights.search>[0], limit = 10, offset = 0) => {
          const r = await s.questionInsights.search(f, limit, offset);
          return { total: r.total, ids: r.rows.map((q) => q.id) };
        };
        expect(await ids({})).toEqual({ total: 3, ids: [c, b, a] });
        expect(await ids({}, 1, 1)).toEqual({ total: 3, ids: [b] });
        expect(await ids({ text: "KẾT LUẬN" })).toEqual({ total: 1, ids: [a] });
        expect(await ids({ text: "ket luan 43" })).toEqual({ total: 1, ids: [a] });
        expect(await ids({ text: "quy cua hoi" })).toEqual({ total: 1, ids: [c] });
        expect(await ids({ text: "ban hanh ket" })).toEqual({ total: 1, ids: [a] });
        expect(await ids({ text: "luận xăng" })).toEqual({ total: 0, ids: [] });
        // % and _ are what was typed, not patterns.
        expect(await ids({ text: "100%" })).toEqual({ total: 1, ids: [c] });
        expect(await ids({ text: "%" })).toEqual({ total: 1, ids: [c] });
        expect(await ids({ text: "_" })).toEqual({ total: 0, ids: [] });
        expect(await ids({ statuses: ["not_found", "partial"] })).toEqual({ total: 2, ids: [c, b] });
        expect(await ids({ feedback: -1 })).toEqual({ total: 1, ids: [a] });
        expect(await ids({ channel: "zalo" })).toEqual({ total: 1, ids: [c] });
        expect(await ids({ from: iso(Date.now() + HOUR) })).toEqual({ total: 0, ids: [] });
        expect(await ids({ from: iso(Date.now() - HOUR), to: iso(Date.now() + HOUR) })).toMatchObject({
          total: 3,
        });
        expect((await s.questionInsights.search({ feedback: 1 }, 5, 0)).rows[0]).toMatchObject({
          question: "Quỹ 100% của hội?",
          status: "partial",
          feedback: 1,
          citations: ["kh:p1", "kh:p2"],
        });
        expect(await s.questionInsights.texts({ statuses: ["not_found", "partial"] }, 10)).toMatchObject([
          { question: "Quỹ 100% của hội?" },
          { question: "Giá xăng hôm nay?" },
        ]);
        expect(await s.questionInsights.texts({ text: "xang" }, 1)).toHaveLength(1);
        // A question deleted from the log is no longer found.
        await s.questionInsights.prune(iso(Date.now() + HOUR));
        expect(await ids({ text: "ket luan" })).toEqual({ total: 0, ids: [] });
      });

      it("counts questions per day by outcome and feedback, and prunes old ones", async () => {
        const s = await fresh();
        const a = await s.questions.record(question());
        await s.questions.record(question({ status: "partial" }));
        await s.questions.record(question({ status: "not_found" }));
        const d = await s.questions.record(question({ status: "not_found" }));
        await s.feedback.set(a, 1);
        await s.feedback.set(d, -1);
        const days = await s.questionInsights.daily(iso(Date.now() - 24 * HOUR));
        expect(days).toHaveLength(1);
        expect(days[0]).toMatchObject({ answered: 1, partial: 1, notFound: 2, liked: 1, disliked: 1 });
        expect(days[0]?.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(await s.questionInsights.daily(iso(Date.now() + HOUR))).toEqual([]);
        expect(await s.questionInsights.prune(iso(Date.now() - HOUR))).toBe(0);
        expect(await s.questions.count()).toBe(4);
        expect(await s.questionInsights.prune(iso(Date.now() + HOUR))).toBe(4);
        expect(await s.questions.count()).toBe(0);
      });

      it("lists subscriptions by channel, kind and state with the reason they stopped", async () => {
        const s = await fresh();
        await s.subscriptions.subscribe({ channel: "telegram", chatId: "1", chatType: "private" });
        await s.subscriptions.subscribe({
          channel: "telegram",
          chatId: "-5",
          chatType: "group",
          title: "Chi bộ",
        });
        await s.subscriptions.subscribe({ channel: "zalo", chatId: "z1", chatType: "private" });
        await s.subscriptions.deactivate("telegram", "1", "blocked");
        const all = await s.subscriberDirectory.list({}, 10, 0);
        expect(all.total).toBe(3);
        expect(all.rows).toHaveLength(3);
        const inactive = await s.subscriberDirectory.list({ active: false }, 10, 0);
        expect(inactive.rows.map((r) => [r.channel, r.chatId, r.inactiveReason])).toEqual([
          ["telegram", "1", "blocked"],
        ]);
        const groups = await s.subscriberDirectory.list(
          { channel: "telegram", chatType: "group", active: true },
          10,
          0,
        );
        expect(groups.rows.map((r) => [r.chatId, r.title])).toEqual([["-5", "Chi bộ"]]);
        expect((await s.subscriberDirectory.list({ channel: "zalo" }, 10, 0)).total).toBe(1);
        expect((await s.subscriberDirectory.list({}, 1, 2)).rows).toHaveLength(1);
      });

      it("deletes the conversations last written before a time", async () => {
        const s = await fresh();
        await s.sessions.set("telegram:1", { question: "Kết luận 43?" });
        expect(await s.sessionRetention.prune(iso(Date.now() - HOUR))).toBe(0);
        expect(await s.sessions.get("telegram:1")).toEqual({ question: "Kết luận 43?" });
        expect(await s.sessionRetention.prune(iso(Date.now() + HOUR))).toBe(1);
        expect(await s.sessions.get("telegram:1")).toBeUndefined();
      });

      it("counts a notice's deliveries per channel", async () => {
        const s = await fresh();
        await s.subscriptions.subscribe({ channel: "telegram", chatId: "1", chatType: "private" });
        await s.subscriptions.subscribe({ channel: "telegram", chatId: "2", chatType: "private" });
        await s.subscriptions.subscribe({ channel: "zalo", chatId: "z1", chatType: "private" });
        const id = await s.notices.create("Họp lúc 8 giờ", "telegram:1", "2026-12-01T10:00:00.000Z");
        await s.notices.queue(id, ["telegram", "zalo"], undefined, "2026-12-01T10:00:00.000Z");
        const row = await s.notices.claim("telegram", Date.now(), "2026-12-01T10:00:01.000Z");
        if (!row) throw new Error("nothing to claim");
        await s.notices.settle(row, { status: "sent", error: null, nextAtMs: 0 }, "2026-12-01T10:00:02.000Z");
        expect(await s.noticeInsights.countsByChannel(id)).toEqual([
          { channel: "telegram", total: 2, pending: 1, sent: 1, failed: 0, blocked: 0, cancelled: 0 },
          { channel: "zalo", total: 1, pending: 1, sent: 0, failed: 0, blocked: 0, cancelled: 0 },
        ]);
        expect(await s.noticeInsights.countsByChannel(id + 1)).toEqual([]);
      });
    });

    describe("study series and quizzes (issue 15)", () => {
      const at = "2026-12-01T00:00:00.000Z";
      const series = (s: Storage) =>
        s.study.createSeries(
          {
            title: "Mỗi ngày một điều",
            documentId: "ke-hoach-kl43",
            passages: ["p1", "p2", "p3"],
            schedule: "0 7 * * 1-5",
            createdBy: "telegram:1001",
          },
          at,
        );
      const privateChat = { channel: "telegram", chatId: "42", chatType: "private" as const };
      const group = { channel: "telegram", chatId: "-100", chatType: "group" as const, title: "Chi bộ 3" };

      it("keeps a series as a draft until it starts, and pauses, resumes and stops it", async () => {
        const s = await fresh();
        const id = await series(s);
        expect(await s.study.getSeries(id)).toMatchObject({
          id,
          status: "draft",
          passages: ["p1", "p2", "p3"],
          schedule: "0 7 * * 1-5",
          lastRunAt: null,
        });
        expect(await s.study.setStatus(id, "active", ["draft", "paused"], at)).toBe(true);
        expect((await s.study.getSeries(id))?.lastRunAt).toBe(at);
        expect(await s.study.setStatus(id, "active", ["draft", "paused"], at)).toBe(false);
        expect(await s.study.setStatus(id, "paused", ["active"], at)).toBe(true);
        expect((await s.study.listSeries(["active"])).map((x) => x.id)).toEqual([]);
        expect((await s.study.listSeries()).map((x) => x.id)).toEqual([id]);
        expect(await s.study.setStatus(id, "stopped", ["draft", "active", "paused"], at)).toBe(true);
        expect(await s.study.getSeries(id + 99)).toBeUndefined();
      });

      it("lets chats join and leave, each with its own progress, a late joiner at lesson 1", async () => {
        const s = await fresh();
        const id = await series(s);
        expect(await s.study.join(id, privateChat, at)).toBe("new");
        expect(await s.study.join(id, privateChat, at)).toBe("already");
        expect(await s.study.advance(id, "telegram", "42", 0, at)).toBe(true);
        expect(await s.study.advance(id, "telegram", "42", 0, at)).toBe(false);
        expect(await s.study.join(id, group, at)).toBe("new");
        expect((await s.study.members(id)).map((m) => [m.chatId, m.done])).toEqual([
          ["42", 1],
          ["-100", 0],
        ]);
        expect(await s.study.leave(id, "telegram", "42", at)).toBe(true);
        expect(await s.study.leave(id, "telegram", "42", at)).toBe(false);
        expect(await s.study.membershipsOf("telegram", "42")).toEqual([]);
        expect(await s.study.join(id, privateChat, at)).toBe("again");
        expect(await s.study.member(id, "telegram", "42")).toMatchObject({ active: true, done: 1 });
        expect(await s.study.deactivateChat("telegram", "-100", at)).toBe(1);
        expect((await s.study.membershipsOf("telegram", "42")).map((m) => m.seriesId)).toEqual([id]);
      });

      it("queues a scheduled send once: each chat's next lesson as a notice delivery, progress moved on", async () => {
        const s = await fresh();
        const id = await series(s);
        await s.study.join(id, privateChat, at);
        await s.study.advance(id, "telegram", "42", 0, at);
        await s.study.join(id, group, at);
        await s.study.join(id, { channel: "zalo", chatId: "z1", chatType: "private" }, at);
        const question = {
          question: "Câu hỏi kiểm tra: …",
          options: ["a", "b"],
          correct: 1,
          explanation: "Đáp án: b",
          plain: "Câu hỏi kiểm tra: …\n1. a\n2. b",
        };
        const lessons = [{ text: "Bài 1/3" }, { text: "Bài 2/3", question }, { text: "Bài 3/3" }];
        const run = "2026-12-02T00:00:00.000Z";
        await s.study.setStatus(id, "active", ["draft"], at);
        const queued = await s.study.queueRun(id, run, lessons, ["telegram"], at);
        expect(queued.map((q) => [q.lesson, q.chats])).toEqual([
          [1, 1],
          [2, 1],
        ]);
        expect(await s.study.queueRun(id, run, lessons, ["telegram"], at)).toEqual([]);
        const [first, second] = queued;
        expect(await s.notices.get(first?.broadcastId ?? 0)).toMatchObject({
          text: "Bài 1/3",
          status: "queued",
        });
        expect(await s.notices.counts(second?.broadcastId ?? 0)).toMatchObject({ total: 1, pending: 1 });
        expect(await s.study.lessonOf(second?.broadcastId ?? 0)).toEqual({
          seriesId: id,
          lesson: 2,
          question,
        });
        expect(await s.study.lessonOf(first?.broadcastId ?? 0)).toEqual({ seriesId: id, lesson: 1 });
        expect(await s.study.lessonOf(9999)).toBeUndefined();
        expect((await s.study.members(id)).map((m) => [m.chatId, m.done])).toEqual([
          ["42", 2],
          ["-100", 1],
          ["z1", 0],
        ]);
        expect((await s.study.getSeries(id))?.lastRunAt).toBe(run);
        // The worker claims lesson deliveries like any notice's.
        expect(await s.notices.claim("telegram", Date.parse(run), run)).toMatchObject({
          broadcastId: first?.broadcastId,
          chatId: "-100",
        });
        // A chat past the last lesson gets nothing more.
        await s.study.queueRun(id, "2026-12-03T00:00:00.000Z", lessons, ["telegram"], at);
        const last = await s.study.queueRun(id, "2026-12-04T00:00:00.000Z", lessons, ["telegram"], at);
        expect(last.map((q) => [q.lesson, q.chats])).toEqual([[3, 1]]);
        expect((await s.study.member(id, "telegram", "42"))?.done).toBe(3);
      });

      it("queues nothing for a series paused or stopped after it was listed as active", async () => {
        const s = await fresh();
        const id = await series(s);
        await s.study.join(id, privateChat, at);
        const lessons = [{ text: "Bài 1/3" }, { text: "Bài 2/3" }, { text: "Bài 3/3" }];
        const run = "2026-12-02T00:00:00.000Z";
        // A draft never sends.
        expect(await s.study.queueRun(id, run, lessons, ["telegram"], at)).toEqual([]);
        await s.study.setStatus(id, "active", ["draft"], at);
        await s.study.setStatus(id, "paused", ["active"], at);
        expect(await s.study.queueRun(id, run, lessons, ["telegram"], at)).toEqual([]);
        await s.study.setStatus(id, "stopped", ["paused"], at);
        expect(await s.study.queueRun(id, run, lessons, ["telegram"], at)).toEqual([]);
        expect(await s.study.member(id, "telegram", "42")).toMatchObject({ done: 0 });
        expect((await s.study.getSeries(id))?.lastRunAt).toBe(at);
        expect(await s.notices.claim("telegram", Date.parse(run), run)).toBeUndefined();
      });

      const question = (itemId: string, correct = 1) => ({
        itemId,
        question: "Điền vào chỗ trống: …",
        options: ["a", "b", "c"],
        correct,
        explanation: "Đáp án: b",
      });

      it("keeps a quiz from draft to done, one step at a time, and its polls", async () => {
        const s = await fresh();
        const id = await s.quizzes.create(
          { ...group, createdBy: "telegram:1001", questions: [question("i1"), question("i2")], seconds: 30 },
          at,
        );
        expect(await s.quizzes.get(id)).toMatchObject({
          status: "draft",
          current: -1,
          seconds: 30,
          repeat: null,
        });
        expect(await s.quizzes.setQuestions(id, [question("i2")])).toBe(true);
        expect((await s.quizzes.ofChat("telegram", "-100", ["draft"])).map((q) => q.id)).toEqual([id]);
        expect(await s.quizzes.start(id, 1000)).toBe(true);
        expect(await s.quizzes.setQuestions(id, [])).toBe(false);
        expect((await s.quizzes.due(999)).length).toBe(0);
        expect((await s.quizzes.due(1000)).map((q) => q.id)).toEqual([id]);
        expect(await s.quizzes.step(id, -1, 31_000)).toBe(true);
        expect(await s.quizzes.step(id, -1, 31_000)).toBe(false);
        expect(await s.quizzes.get(id)).toMatchObject({ current: 0, nextAtMs: 31_000 });
        await s.quizzes.recordPoll("poll-1", id, 0);
        expect(await s.quizzes.pollOf("poll-1")).toEqual({ quizId: id, question: 0 });
        expect(await s.quizzes.pollOf("poll-x")).toBeUndefined();
        expect(await s.quizzes.finish(id, at)).toBe(true);
        expect((await s.quizzes.ran({ channel: "telegram", chatId: "-100" })).map((q) => q.status)).toEqual([
          "done",
        ]);
      });

      it("schedules a quiz, and keeps each person's first answer only", async () => {
        const s = await fresh();
        const id = await s.quizzes.create(
          {
            ...group,
            createdBy: "telegram:1001",
            questions: [question("i1")],
            seconds: 30,
            scheduledFor: "2026-12-04T08:00:00.000Z",
            repeat: "0 15 * * 5",
          },
          at,
        );
        expect(await s.quizzes.get(id)).toMatchObject({ status: "scheduled", repeat: "0 15 * * 5" });
        expect(await s.quizzes.dueScheduled("2026-12-04T07:59:00.000Z")).toEqual([]);
        expect((await s.quizzes.dueScheduled("2026-12-04T08:00:00.000Z")).map((q) => q.id)).toEqual([id]);
        const answer = {
          quizId: id,
          question: 0,
          channel: "telegram",
          chatId: "-100",
          userId: "7",
          userName: "Lan",
          option: 1,
          correct: true,
        };
        expect(await s.quizzes.answer(answer, at)).toBe(true);
        expect(await s.quizzes.answer({ ...answer, option: 2, correct: false }, at)).toBe(false);
        await s.quizzes.answer({ ...answer, userId: "8", userName: null, option: 0, correct: false }, at);
        expect(
          (await s.quizzes.answers({ channel: "telegram", chatId: "-100" })).map((a) => [
            a.userId,
            a.correct,
          ]),
        ).toEqual([
          ["7", true],
          ["8", false],
        ]);
        expect(await s.quizzes.answers({ chatId: "other" })).toEqual([]);
        expect(await s.quizzes.cancel(id, at)).toBe(true);
        expect(await s.quizzes.cancel(id, at)).toBe(false);
      });

      it("moves a group's memberships, quizzes and answers to its new id when it becomes a supergroup", async () => {
        const s = await fresh();
        const one = await series(s);
        const two = await series(s);
        await s.study.join(one, group, at);
        await s.study.advance(one, "telegram", "-100", 0, at);
        await s.study.join(two, group, at);
        // The new id already follows series two (joined in between): that membership is kept.
        await s.study.join(two, { ...group, chatId: "-100200" }, at);
        await s.study.join(one, privateChat, at);
        expect(await s.study.migrateChat("telegram", "-100", "-100200", at)).toBe(1);
        expect((await s.study.membershipsOf("telegram", "-100200")).map((m) => [m.seriesId, m.done])).toEqual(
          expect.arrayContaining([
            [one, 1],
            [two, 0],
          ]),
        );
        expect(await s.study.membershipsOf("telegram", "-100")).toEqual([]);
        expect((await s.study.members(one)).map((m) => m.chatId)).toEqual(["-100200", "42"]);
        expect(await s.study.migrateChat("telegram", "-100", "-100200", at)).toBe(0);

        const quiz = await s.quizzes.create(
          { ...group, createdBy: "telegram:1001", questions: [question("i1")], seconds: 30 },
          at,
        );
        const other = await s.quizzes.create(
          { ...group, chatId: "-300", createdBy: "telegram:1001", questions: [question("i1")], seconds: 30 },
          at,
        );
        await s.quizzes.start(quiz, 1000);
        await s.quizzes.answer(
          {
            quizId: quiz,
            question: 0,
            channel: "telegram",
            chatId: "-100",
            userId: "7",
            userName: "Lan",
            option: 1,
            correct: true,
          },
          at,
        );
        expect(await s.quizzes.migrateChat("telegram", "-100", "-100200")).toBe(1);
        expect((await s.quizzes.ofChat("telegram", "-100200", ["running"])).map((q) => q.id)).toEqual([quiz]);
        expect(await s.quizzes.ofChat("telegram", "-100", ["running", "draft"])).toEqual([]);
        expect((await s.quizzes.ofChat("telegram", "-300", ["draft"])).map((q) => q.id)).toEqual([other]);
        expect(
          (await s.quizzes.answers({ channel: "telegram", chatId: "-100200" })).map((a) => a.userId),
        ).toEqual(["7"]);
        expect(await s.quizzes.answers({ chatId: "-100" })).toEqual([]);
      });

      it("counts the quiz figures per chat, per person and per question in the database, with limits", async () => {
        const s = await fresh();
        const quiz = (chatId: string) =>
          s.quizzes.create(
            {
              ...group,
              chatId,
              createdBy: "telegram:1001",
              questions: [
                { ...question("i1"), question: "Câu dễ" },
                { ...question("i2"), question: "Câu khó" },
              ],
              seconds: 30,
            },
            at,
          );
        const [a1, a2, b1, cancelled] = [
          await quiz("-100"),
          await quiz("-100"),
          await quiz("-200"),
          await quiz("-100"),
        ];
        for (const id of [a1, a2, b1, cancelled]) await s.quizzes.start(id, 1000);
        await s.quizzes.finish(a1, at);
        await s.quizzes.cancel(cancelled, at);
        await quiz("-100"); // a draft: not run
        let minute = 0;
        const answer = (
          quizId: number,
          q: number,
          chatId: string,
          userId: string,
          userName: string | null,
          correct: boolean,
        ) =>
          s.quizzes.answer(
            {
              quizId,
              question: q,
              channel: "telegram",
              chatId,
              userId,
              userName,
              option: correct ? 1 : 0,
              correct,
            },
            `2026-12-01T00:${String(minute++).padStart(2, "0")}:00.000Z`,
          );
        // Lan: 4 answers, 3 right, in both chats; Minh: 2 of 2 in -100; Hoa: 0 of 2 in -100, later without a name.
        await answer(a1, 0, "-100", "7", "Lan", true);
        await answer(a1, 1, "-100", "7", "Lan", false);
        await answer(a1, 0, "-100", "8", "Minh", true);
        await answer(a1, 1, "-100", "8", "Minh", true);
        await answer(a1, 0, "-100", "9", "Hoa", false);
        await answer(a2, 0, "-100", "9", null, false);
        await answer(b1, 0, "-200", "7", "Lan Nguyễn", true);
        await answer(b1, 1, "-200", "7", "Lan Nguyễn", true);

        expect(await s.quizzes.totals()).toEqual({ quizzes: 3, answers: 8, correct: 5 });
        expect(await s.quizzes.totals({ channel: "telegram", chatId: "-100" })).toEqual({
          quizzes: 2,
          answers: 6,
          correct: 3,
        });
        expect(await s.quizzes.totals({ chatId: "-300" })).toEqual({ quizzes: 0, answers: 0, correct: 0 });
        expect(await s.quizzes.chatFigures()).toEqual([
          { channel: "telegram", chatId: "-100", quizzes: 2, people: 3, answers: 6, correct: 3 },
          { channel: "telegram", chatId: "-200", quizzes: 1, people: 1, answers: 2, correct: 2 },
        ]);
        expect(await s.quizzes.topPeople({}, 10)).toEqual([
          {
            channel: "telegram",
            userId: "7",
            name: "Lan Nguyễn",
            answered: 4,
            correct: 3,
            quizzes: 2,
            run: 3,
          },
          { channel: "telegram", userId: "8", name: "Minh", answered: 2, correct: 2, quizzes: 1, run: 2 },
          { channel: "telegram", userId: "9", name: "Hoa", answered: 2, correct: 0, quizzes: 2, run: 2 },
        ]);
        expect(
          (await s.quizzes.topPeople({ channel: "telegram", chatId: "-100" }, 2)).map((p) => [
            p.userId,
            p.correct,
            p.run,
          ]),
        ).toEqual([
          ["8", 2, 2],
          ["7", 1, 2],
        ]);
        expect(await s.quizzes.hardestQuestions({}, 2)).toEqual([
          { quizId: a2, question: 0, text: "Câu dễ", answers: 1, correct: 0 },
          { quizId: a1, question: 1, text: "Câu khó", answers: 2, correct: 1 },
        ]);
        expect(await s.quizzes.hardestQuestions({ chatId: "-200" }, 5)).toHaveLength(2);

        // Answers older than the retention go, with the user ids and names they hold.
        expect(await s.quizzes.prune("2026-12-01T00:05:00.000Z")).toBe(5);
        expect((await s.quizzes.answers()).map((x) => x.userId)).toEqual(["9", "7", "7"]);
        expect(await s.quizzes.prune("2026-12-01T00:05:00.000Z")).toBe(0);
      });
    });

    describe("several instances: update claims, shared rate limits, the documents' version", () => {
      it("lets one claim of an update id win, per channel, even when claims race", async () => {
        const s = await fresh();
        expect(await s.claims.claim("telegram", "1001", 1_000)).toBe(true);
        expect(await s.claims.claim("telegram", "1001", 1_001)).toBe(false);
        expect(await s.claims.claim("zalo", "1001", 1_002)).toBe(true);
        const racing = await Promise.all(
          Array.from({ length: 20 }, () => s.claims.claim("telegram", "2002", 2_000)),
        );
        expect(racing.filter(Boolean)).toHaveLength(1);
        expect(await s.claims.prune(1_002)).toBe(1);
        // A pruned id is forgotten; the newer ones are still claimed.
        expect(await s.claims.claim("telegram", "1001", 3_000)).toBe(true);
        expect(await s.claims.claim("zalo", "1001", 3_000)).toBe(false);
      });

      it("counts takes per key in a sliding window, and says how long to wait", async () => {
        const s = await fresh();
        expect(await s.rateLimits.take("telegram:u1", 2, 60_000, 0)).toBe(0);
        expect(await s.rateLimits.take("telegram:u1", 2, 60_000, 10_000)).toBe(0);
        expect(await s.rateLimits.take("telegram:u1", 2, 60_000, 20_000)).toBe(40_000);
        expect(await s.rateLimits.take("telegram:u2", 2, 60_000, 20_000)).toBe(0);
        // The first take leaves the window at 60 s: one more is allowed, then the wait is the second's.
        expect(await s.rateLimits.take("telegram:u1", 2, 60_000, 60_001)).toBe(0);
        expect(await s.rateLimits.take("telegram:u1", 2, 60_000, 60_002)).toBe(10_000 + 60_000 - 60_002);
        const racing = await Promise.all(
          Array.from({ length: 10 }, () => s.rateLimits.take("zalo:u3", 3, 60_000, 100_000)),
        );
        expect(racing.filter((w) => w === 0)).toHaveLength(3);
      });

      it("forgets the keys whose last question is older than asked, and only those", async () => {
        const s = await fresh();
        await s.rateLimits.take("telegram:old", 5, 60_000, 1_000);
        await s.rateLimits.take("telegram:old", 5, 60_000, 2_000);
        await s.rateLimits.take("telegram:recent", 5, 60_000, 1_000);
        await s.rateLimits.take("telegram:recent", 5, 60_000, 90_000);
        expect(await s.rateLimits.prune(50_000)).toBe(1);
        expect(await s.rateLimits.prune(50_000)).toBe(0);
        // The one kept still counts its hits in the window.
        expect(await s.rateLimits.take("telegram:recent", 1, 60_000, 95_000)).toBeGreaterThan(0);
      });

      it("keeps the documents' version, bumped by each announced change", async () => {
        const s = await fresh();
        expect(await s.knowledge.current()).toEqual({ version: 0, changedAt: null });
        expect(await s.knowledge.bump("2026-12-01T01:00:00.000Z")).toBe(1);
        expect(await s.knowledge.bump("2026-12-01T02:00:00.000Z")).toBe(2);
        expect(await s.knowledge.current()).toEqual({ version: 2, changedAt: "2026-12-01T02:00:00.000Z" });
      });

      it("answers a ping with its backend", async () => {
        const s = await fresh();
        expect(["sqlite", "postgres"]).toContain((await s.ping()).backend);
      });
    });
  });
}
