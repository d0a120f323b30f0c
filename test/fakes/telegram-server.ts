/**
 * A small Telegram Bot API server on 127.0.0.1 for tests. It serves queued updates to
 * getUpdates (long polling), records every call with its parameters, rejects what Telegram
 * rejects (text over 4,096 characters after entities, malformed HTML, callback data over 64
 * bytes, a quiz poll Telegram would refuse), and can be told to answer the next calls of a method
 * with 429, 403 or 5xx. Polls get ids "poll-1", "poll-2"…; files a test registers are served by
 * getFile and the download route `GET /file/bot<token>/<file_path>` (recorded as calls of the
 * pseudo-method "downloadFile"), for the right token only.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export interface FakeTelegram {
  apiRoot: string;
  calls: RecordedCall[];
  /** Queues an update (update_id assigned). */
  push(update: Record<string, unknown>): void;
  /** The next `times` calls of `method` fail with this status (and retry_after for 429). */
  failNext(method: string, status: 429 | 403 | 400 | 500 | 502, times?: number, retryAfter?: number): void;
  /** Resolves when a call matching `predicate` has been recorded. */
  waitFor(predicate: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  sent(chatId?: number): RecordedCall[];
  /** The quiz polls sent (to one chat when given), with the poll id each was given. */
  polls(chatId?: number): (RecordedCall & { pollId: string })[];
  /** Messages delivered per chat, 429s answered, and delivery times (for benchmarks). */
  stats: { delivered: Map<string, number>; tooMany: number; times: number[] };
  /** getChatMember answers "administrator" for this user in this chat. */
  makeChatAdmin(chatId: number, userId: number): void;
  /**
   * Serves `bytes` as the file `fileId` (getFile and its download); `size` is the file_size
   * getFile reports (default the bytes' length); `failDownload` answers the download with 502.
   */
  addFile(fileId: string, bytes: Uint8Array, options?: { size?: number; failDownload?: boolean }): void;
  close(): Promise<void>;
}

export const BOT_USER = { id: 777000111, is_bot: true, first_name: "Dân vận", username: "DanVanTestBot" };

export interface FakeTelegramOptions {
  /**
   * Answer 429 (retry_after 1) as Telegram does when a bot sends more than 30 messages in a
   * second, more than 20 a minute into one group, or more than one a second into one chat.
   */
  enforceLimits?: boolean;
  /** Keep no call log (benchmarks with tens of thousands of calls); counters still work. */
  quiet?: boolean;
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const calls: RecordedCall[] = [];
  const files = new Map<string, { bytes: Uint8Array; size: number; failDownload: boolean; path: string }>();
  let token: string | undefined;
  const updates: Record<string, unknown>[] = [];
  const waiting: (() => void)[] = [];
  const failures = new Map<string, { status: number; times: number; retryAfter: number }>();
  const watchers: { predicate: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  const chatAdmins = new Set<string>();
  const stats = { delivered: new Map<string, number>(), tooMany: 0, times: [] as number[] };
  const recent: number[] = [];
  const perChat = new Map<string, number[]>();
  /** Telegram's limits: true when this message may go now (and counts it). */
  const withinLimits = (chatId: string): boolean => {
    const t = Date.now();
    while (recent.length > 0 && (recent[0] as number) <= t - 1000) recent.shift();
    const group = chatId.startsWith("-");
    const history = (perChat.get(chatId) ?? []).filter((x) => x > t - (group ? 60_000 : 1000));
    if (recent.length >= 30 || (group ? history.length >= 20 : history.length >= 1)) return false;
    recent.push(t);
    history.push(t);
    perChat.set(chatId, history);
    return true;
  };
  let nextUpdateId = 1;
  let nextMessageId = 1000;
  let nextPollId = 1;
  const pollIdOf = new Map<RecordedCall, string>();

  const record = (c: RecordedCall) => {
    calls.push(c);
    for (const w of [...watchers]) {
      if (w.predicate(c)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(c);
      }
    }
  };

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? "");
    if (download && req.method === "GET") {
      const path = decodeURIComponent(download[2] as string);
      record({ method: "downloadFile", params: { file_path: path }, at: Date.now() });
      const f = [...files.values()].find((x) => x.path === path);
      if (!f || download[1] !== token)
        return send(404, { ok: false, error_code: 404, description: "Not Found" });
      if (f.failDownload) return send(502, { ok: false, error_code: 502, description: "Bad Gateway" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": f.bytes.length });
      res.end(Buffer.from(f.bytes));
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? "");
    if (!match) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    token ??= match[1];
    const method = match[2] as string;
    const params = await readParams(req);
    const call = method !== "getUpdates" && !options.quiet ? { method, params, at: Date.now() } : undefined;
    if (call) record(call);
    if (options.enforceLimits && method === "sendMessage" && !withinLimits(String(params.chat_id))) {
      stats.tooMany += 1;
      return send(429, {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      });
    }
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      const description =
        failure.status === 429
          ? `Too Many Requests: retry after ${failure.retryAfter}`
          : failure.status === 403
            ? "Forbidden: bot was blocked by the user"
            : failure.status === 400
              ? "Bad Request: chat not found"
              : "Internal Server Error";
      return send(failure.status, {
        ok: false,
        error_code: failure.status,
        description,
        ...(failure.status === 429 ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }
    switch (method) {
      case "getMe":
        return send(200, { ok: true, result: BOT_USER });
      case "getUpdates": {
        const offset = Number(params.offset ?? 0);
        while (updates.length > 0 && Number(updates[0]?.update_id) < offset) updates.shift();
        if (updates.length === 0) {
          const timeout = Math.min(Number(params.timeout ?? 0), 2) * 1000;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, timeout);
            waiting.push(() => {
              clearTimeout(t);
              resolve();
            });
          });
        }
        while (updates.length > 0 && Number(updates[0]?.update_id) < offset) updates.shift();
        return send(200, { ok: true, result: updates.slice(0, Number(params.limit ?? 100)) });
      }
      case "sendMessage":
      case "editMessageText": {
        const problem = checkText(String(params.text ?? ""), params.parse_mode as string | undefined);
        if (problem) return send(400, { ok: false, error_code: 400, description: `Bad Request: ${problem}` });
        const markupProblem = checkMarkup(params.reply_markup);
        if (markupProblem)
          return send(400, { ok: false, error_code: 400, description: `Bad Request: ${markupProblem}` });
        if (method === "sendMessage") {
          const chat = String(params.chat_id);
          stats.delivered.set(chat, (stats.delivered.get(chat) ?? 0) + 1);
          stats.times.push(Date.now());
        }
        return send(200, {
          ok: true,
          result: {
            message_id: nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(params.chat_id), type: Number(params.chat_id) < 0 ? "supergroup" : "private" },
            from: BOT_USER,
            text: params.text,
          },
        });
      }
      case "sendPoll": {
        // Telegram's rules for a quiz poll, as far as the bot uses them.
        const question = String(params.question ?? "");
        const options = (typeof params.options === "string" ? JSON.parse(params.options) : params.options) as
          | { text: string }[]
          | undefined;
        const correct = (
          typeof params.correct_option_ids === "string"
            ? JSON.parse(params.correct_option_ids)
            : params.correct_option_ids
        ) as number[] | undefined;
        const problem =
          question.length < 1 || question.length > 300
            ? "poll question length must not exceed 300"
            : !options || options.length < 2 || options.length > 12
              ? "poll must have 2-12 options"
              : options.some((o) => o.text.length < 1 || o.text.length > 100)
                ? "poll options length must not exceed 100"
                : params.type === "quiz" && (!correct || correct.some((c) => c < 0 || c >= options.length))
                  ? "wrong correct option ids"
                  : String(params.explanation ?? "").length > 200
                    ? "quiz poll explanation must be at most 200 characters"
                    : undefined;
        if (problem) return send(400, { ok: false, error_code: 400, description: `Bad Request: ${problem}` });
        const chat = String(params.chat_id);
        stats.delivered.set(chat, (stats.delivered.get(chat) ?? 0) + 1);
        const pollId = `poll-${nextPollId++}`;
        if (call) pollIdOf.set(call, pollId);
        return send(200, {
          ok: true,
          result: {
            message_id: nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(params.chat_id), type: Number(params.chat_id) < 0 ? "supergroup" : "private" },
            from: BOT_USER,
            poll: {
              id: pollId,
              question,
              options: (options ?? []).map((o) => ({ text: o.text, voter_count: 0 })),
              total_voter_count: 0,
              is_closed: false,
              is_anonymous: params.is_anonymous !== false && params.is_anonymous !== "false",
              type: params.type ?? "regular",
              allows_multiple_answers: false,
              correct_option_ids: correct,
              explanation: params.explanation,
            },
          },
        });
      }
      case "setWebhook": {
        return send(200, { ok: true, result: true });
      }
      case "getFile": {
        const f = files.get(String(params.file_id));
        if (!f) return send(400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
        // Telegram gives no file_path for a file over 20 MB (the bot cannot download it).
        return send(200, {
          ok: true,
          result: {
            file_id: params.file_id,
            file_unique_id: `u-${params.file_id}`,
            file_size: f.size,
            // The Bot API gives a download path for files up to 20 MB, as it counts them: 20 MiB.
            ...(f.size <= 20 * 1024 * 1024 ? { file_path: f.path } : {}),
          },
        });
      }
      case "getChatMember": {
        const admin = chatAdmins.has(`${params.chat_id}:${params.user_id}`);
        return send(200, {
          ok: true,
          result: {
            status: admin ? "administrator" : "member",
            user: { id: Number(params.user_id), is_bot: false, first_name: "U" },
          },
        });
      }
      default:
        return send(200, { ok: true, result: true });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    push(update) {
      updates.push({ update_id: nextUpdateId++, ...update });
      for (const w of waiting.splice(0)) w();
    },
    failNext(method, status, times = 1, retryAfter = 1) {
      failures.set(method, { status, times, retryAfter });
    },
    waitFor(predicate, timeoutMs = 15_000) {
      const found = calls.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("the expected Bot API call never came")), timeoutMs);
        watchers.push({
          predicate,
          resolve: (c) => {
            clearTimeout(t);
            resolve(c);
          },
        });
      });
    },
    stats,
    makeChatAdmin(chatId, userId) {
      chatAdmins.add(`${chatId}:${userId}`);
    },
    addFile(fileId, bytes, o = {}) {
      files.set(fileId, {
        bytes,
        size: o.size ?? bytes.length,
        failDownload: o.failDownload ?? false,
        path: `documents/file_${files.size + 1}`,
      });
    },
    polls(chatId) {
      return calls
        .filter((c) => c.method === "sendPoll" && pollIdOf.has(c))
        .filter((c) => chatId === undefined || Number(c.params.chat_id) === chatId)
        .map((c) => ({ ...c, pollId: pollIdOf.get(c) as string }));
    },
    sent(chatId) {
      return calls.filter(
        (c) => c.method === "sendMessage" && (chatId === undefined || Number(c.params.chat_id) === chatId),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of waiting.splice(0)) w();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = "";
  for await (const chunk of req) body += chunk;
  if (!body) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) return JSON.parse(body) as Record<string, unknown>;
  if (type.includes("x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body));
  return {};
}

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-spoiler",
  "span",
]);

/** Telegram's HTML rules, as far as the bot uses them: balanced known tags, escaped text, ≤ 4096. */
function checkText(text: string, parseMode?: string): string | undefined {
  if (text.length === 0) return "message text is empty";
  let visible = text;
  if (parseMode === "HTML") {
    const stack: string[] = [];
    const tag = /<\/?([a-z-]+)(?:\s[^>]*)?>|<|&(#\d+|#x[0-9a-f]+|[a-z]+);?|>/gi;
    for (const m of text.matchAll(tag)) {
      if (m[0] === "<" || m[0] === ">") return "can't parse entities: unexpected character";
      if (m[0].startsWith("&")) {
        const entity = (m[2] ?? "").toLowerCase();
        if (
          !m[0].endsWith(";") ||
          (!["amp", "lt", "gt", "quot"].includes(entity) && !entity.startsWith("#"))
        ) {
          return "can't parse entities: unsupported entity";
        }
        continue;
      }
      const name = (m[1] ?? "").toLowerCase();
      if (!ALLOWED_TAGS.has(name)) return `can't parse entities: unsupported start tag "${name}"`;
      if (m[0].startsWith("</")) {
        if (stack.pop() !== name)
          return `can't parse entities: can't find end tag corresponding to start tag "${name}"`;
      } else stack.push(name);
    }
    if (stack.length > 0)
      return `can't parse entities: can't find end tag corresponding to start tag "${stack[0]}"`;
    visible = text.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot);/g, "x");
  }
  if (visible.length > 4096) return "message is too long";
  return undefined;
}

function checkMarkup(markup: unknown): string | undefined {
  if (!markup) return undefined;
  const parsed = (typeof markup === "string" ? JSON.parse(markup) : markup) as {
    inline_keyboard?: { text: string; callback_data?: string }[][];
  };
  for (const row of parsed.inline_keyboard ?? []) {
    for (const b of row)
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64)
        return "BUTTON_DATA_INVALID";
  }
  return undefined;
}
