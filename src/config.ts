/**
 * Configuration: one zod schema over the environment. `loadConfig(env)` is pure; `main.ts` and the
 * command-line tools call it once. A bad value stops start-up with a message naming the variable.
 */
import { resolve } from "node:path";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = z.object({
  KNOWLEDGE_DIR: z.string().min(1).default("./knowledge"),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
});

export interface Config {
  /** Absolute path of the documents folder. */
  knowledgeDir: string;
  /** Absolute path of the runtime data folder (index, database). */
  dataDir: string;
  /** Where the knowledge index lives: `<dataDir>/index`. */
  indexDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** A configuration value that cannot be used; `variable` names the environment variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`Cấu hình sai: biến môi trường ${variable} ${expected}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration from an environment (pure: no file is touched). */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  // Empty strings count as unset, as in most deployment tools' env files.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "?");
    throw new ConfigError(variable, describe(variable, issue?.message ?? "không hợp lệ"));
  }
  const c = parsed.data;
  const dataDir = resolve(cwd, c.DATA_DIR);
  return {
    knowledgeDir: resolve(cwd, c.KNOWLEDGE_DIR),
    dataDir,
    indexDir: resolve(dataDir, "index"),
    logLevel: c.LOG_LEVEL,
  };
}

function describe(variable: string, message: string): string {
  if (variable === "LOG_LEVEL") return `phải là một trong: ${LOG_LEVELS.join(", ")}`;
  return `không hợp lệ (${message})`;
}
