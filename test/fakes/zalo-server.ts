/**
 * A Zalo Bot API server on 127.0.0.1 for tests: getUpdates returns one update (wrapped in
 * {ok, result}) or ok:false with error 408 when idle, sendMessage refuses texts over 2,000
 * characters, failures come as ok:false on HTTP 200 (with a retry_after when asked) or as a
 * dropped connection ("network"), and every call is recorded.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ZaloCall {
  method: string;
  params: Record<string, unknown>;
}

export interface FakeZalo {
  baseUrl: string;
  calls: ZaloCall[];
  push(update: Record<string, unknown>): void;
  /** The next `times` calls of `method` fail with this error code (or a dropped connection). */
  failNext(method: string, code: number | "network", times?: number, retryAfter?: number): void;
  sent(chatId?: string): ZaloCall[];
  /** Delivers a webhook call to `url` with the given secret header. */
  deliver(url: string, update: unknown, secret?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startFakeZalo(): Promise<FakeZalo> {
  const calls: ZaloCall[] = [];
  const updates: Record<string, unknown>[] = [];
  const waiting: (() => void)[] = [];
  const failures = new Map<string, { code: number | "network"; times: number; retryAfter?: number }>();
  let nextId = 1;
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const params = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.url ?? "")?.[1] ?? "";
    const reply = (payload: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (method !== "getUpdates") calls.push({ method, params });
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      if (failure.code === "network") {
        req.socket.destroy();
        return;
      }
      return reply({
        ok: false,
        error_code: failure.code,
        description: failure.code === 429 ? "Quota exceeded" : "Error",
        ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }
    switch (method) {
      case "getUpdates": {
        if (updates.length === 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, Math.min(Number(params.timeout ?? 0), 2) * 1000);
            waiting.push(() => {
              clearTimeout(t);
              resolve();
            });
          });
        }
        const u = updates.shift();
        return reply(
          u ? { ok: true, result: u } : { ok: false, error_code: 408, description: "Request timeout" },
        );
      }
      case "sendMessage": {
        const text = String(params.text ?? "");
        if (text.length < 1 || text.length > 2000)
          return reply({ ok: false, error_code: 400, description: "text length must be 1-2000" });
        return reply({ ok: true, result: { message_id: `m${nextId++}`, date: Date.now() } });
      }
      case "getMe":
        return reply({
          ok: true,
          result: { id: "bot1", account_name: "danvan_bot", display_name: "Dân vận" },
        });
      default:
        return reply({ ok: true, result: true });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    push(update) {
      updates.push(update);
      for (const w of waiting.splice(0)) w();
    },
    failNext(method, code, times = 1, retryAfter) {
      failures.set(method, { code, times, retryAfter });
    },
    sent: (chatId) =>
      calls.filter(
        (c) => c.method === "sendMessage" && (chatId === undefined || c.params.chat_id === chatId),
      ),
    async deliver(url, update, secret) {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(update),
      });
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of waiting.splice(0)) w();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let messageSeq = 1;
/** A text message update as Zalo sends it. */
export function zaloText(
  chatId: string,
  userId: string,
  text: string,
  group = false,
): Record<string, unknown> {
  return {
    event_name: "message.text.received",
    message: {
      from: { id: userId, display_name: `Người ${userId}`, is_bot: false },
      chat: { id: chatId, chat_type: group ? "GROUP" : "PRIVATE" },
      text,
      message_id: `z${messageSeq++}`,
      date: Date.now(),
    },
  };
}
