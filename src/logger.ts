/** The pino logger. Logs go to standard error so command output on standard output stays clean. */
import { type Logger, pino } from "pino";

export type { Logger };

/** Creates the process logger; secrets are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ["token", "*.token", "apiKey", "*.apiKey", "headers.authorization"], censor: "[ẩn]" },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A bot token in a URL path (`/bot<token>/`) or on its own (Telegram's `123456:ABC…`). */
const SECRETS = [/\/bot[^/\s]+/g, /\b\d{5,}:[\w-]{20,}\b/g];

/** A text with anything that looks like a bot token replaced. */
export function redact(text: string): string {
  return SECRETS.reduce((t, re) => t.replace(re, (m) => (m.startsWith("/bot") ? "/bot[ẩn]" : "[ẩn]")), text);
}

/**
 * What may be logged of an error: its name, message (tokens removed), code and the platform's
 * error code and description, and the same of its cause. Never the whole object: errors of HTTP
 * clients and bot frameworks carry tokens, URLs, requests and the user's update.
 */
export function errorSummary(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: redact(String(err)).slice(0, 300) };
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { name: e.name, message: redact(e.message).slice(0, 300) };
  for (const key of ["code", "error_code", "method", "status"] as const) {
    const v = e[key];
    if (typeof v === "string" || typeof v === "number") out[key] = typeof v === "string" ? redact(v) : v;
  }
  if (typeof e.description === "string") out.description = redact(e.description).slice(0, 300);
  const inner = e.error ?? e.cause;
  if (inner !== undefined && inner !== err && depth < 3) out.cause = errorSummary(inner, depth + 1);
  return out;
}
