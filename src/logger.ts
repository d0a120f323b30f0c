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
