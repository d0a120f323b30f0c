/** A pino logger that keeps its lines in memory, so tests can read what was logged. */
import { pino } from "pino";
import type { Logger } from "../../src/logger.js";

export function memoryLogger(): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const logger = pino({ level: "debug", base: undefined }, { write: (s: string) => chunks.push(s) });
  return {
    logger,
    lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>),
    text: () => chunks.join(""),
  };
}
