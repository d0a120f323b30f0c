/**
 * Study series on PostgreSQL with two connections at once, as two instances make them: a
 * scheduled send (queueRun) while another instance shows a chat its next lesson (/baihoc, an
 * `advance` not yet committed). The chat must get each lesson once, in order.
 */
import { expect, it } from "vitest";
import { openPostgresStorage } from "../../../src/storage/postgres/index.js";
import { createPg } from "../../../src/storage/postgres/pool.js";
import { withPostgres } from "./suite.js";

withPostgres("PostgreSQL 15: study series across instances", (server) => {
  it("does not queue the lesson another instance is showing the chat, nor skip the next", async () => {
    const url = await server().createDatabase();
    const storage = await openPostgresStorage(url, { max: 4 });
    const other = createPg(url, { max: 2 });
    try {
      const at = "2026-12-01T00:00:00.000Z";
      const id = await storage.study.createSeries(
        {
          title: "Mỗi ngày một điều",
          documentId: "ke-hoach-kl43",
          passages: ["p1", "p2", "p3"],
          schedule: "0 7 * * 1-5",
          createdBy: "telegram:1001",
        },
        at,
      );
      await storage.study.setStatus(id, "active", ["draft"], at);
      await storage.study.join(id, { channel: "telegram", chatId: "42", chatType: "private" }, at);
      const lessons = [{ text: "Bài 1/3" }, { text: "Bài 2/3" }, { text: "Bài 3/3" }];
      // The other instance's /baihoc: lesson 1 shown, its advance still in its transaction.
      const client = await other.pool.connect();
      let queued: Promise<{ broadcastId: number; lesson: number; chats: number }[]> | undefined;
      try {
        await client.query("BEGIN");
        const shown = await client.query(
          "UPDATE study_members SET done = done + 1, updated_at = $1 WHERE series_id = $2 AND channel = 'telegram' AND chat_id = '42' AND done = 0",
          [at, id],
        );
        expect(shown.rowCount).toBe(1);
        queued = storage.study.queueRun(id, "2026-12-02T00:00:00.000Z", lessons, ["telegram"], at);
        // Give the scheduled send time to read the chat's progress while the advance is open.
        await new Promise((r) => setTimeout(r, 300));
        await client.query("COMMIT");
      } finally {
        client.release();
      }
      const result = await queued;
      // Lesson 1 was shown by /baihoc; the scheduled send brings lesson 2, and the next is 3.
      expect(result.map((q) => [q.lesson, q.chats])).toEqual([[2, 1]]);
      expect((await storage.study.member(id, "telegram", "42"))?.done).toBe(2);
      const texts = await other.rows<{ text: string }>(
        "SELECT b.text FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id WHERE d.chat_id = '42'",
      );
      expect(texts.map((t) => t.text)).toEqual(["Bài 2/3"]);
    } finally {
      await other.pool.end();
      await storage.close();
    }
  });
});
