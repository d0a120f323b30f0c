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
