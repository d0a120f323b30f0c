/**
 * Telegram webhook mode: the route on our HTTP server that receives updates. The secret token
 * header is compared in constant time (wrong or missing: 401, nothing processed); the update is
 * acknowledged at once and handled afterwards, so an answer that takes longer than Telegram's
 * webhook timeout never makes Telegram send the update again; one delivered twice anyway is
 * answered once (by update_id: the last 10,000 remembered, and claimed in the database when
 * several instances share the webhook address, so exactly one of them answers).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Bot, BotError } from "grammy";
import type { Update } from "grammy/types";
import type { Route } from "../../server/app.js";
import { createUpdateClaimer, type UpdateClaimer } from "../update-claims.js";

export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** The webhook route; `claimer` decides which instance answers an update (default: this process's memory). */
export function telegramWebhookRoute(bot: Bot, secret: string, claimer?: UpdateClaimer): Route {
  const expected = Buffer.from(secret);
  const claims = claimer ?? createUpdateClaimer();
  return ({ headers, body }) => {
    const given = Buffer.from(String(headers[SECRET_HEADER] ?? ""));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401 };
    const update = body as Update;
    if (typeof update?.update_id !== "number") return { status: 400 };
    // Telegram sends an update again when it thinks the first delivery failed, and a proxy in
    // front of several instances may pass it to another one: answer it once. The claim happens
    // after the acknowledgement, so a slow database never makes Telegram retry.
    // Errors go through the bot's own error boundary, as in polling mode.
    const work = async () => {
      if (!(await claims.first("telegram", update.update_id))) return;
      try {
        await bot.handleUpdate(update);
      } catch (err) {
        if (!(err instanceof BotError)) throw err;
        await bot.errorHandler(err);
      }
    };
    return { status: 200, work };
  };
}

/** The configured secret, else one generated once and kept (mode 600) at `path`. */
export async function webhookSecret(configured: string | undefined, path: string): Promise<string> {
  if (configured) return configured;
  try {
    const kept = (await readFile(path, "utf8")).trim();
    if (/^[A-Za-z0-9_-]{16,256}$/.test(kept)) return kept;
  } catch {
    // Not generated yet.
  }
  const secret = randomBytes(32).toString("base64url");
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return secret;
}
