/**
 * Configuration: one zod schema over the environment. `loadConfig(env)` is pure; `main.ts` and the
 * command-line tools call it once. A bad value stops start-up with a message naming the variable.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_MAX_PAGES } from "./knowledge/formats/pdf.js";
import { DEFAULT_MAX_DOCUMENT_BYTES } from "./knowledge/loader.js";
import type { EmbedderConfig } from "./search/embeddings/index.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = z.object({
  KNOWLEDGE_DIR: z.string().min(1).default("./knowledge"),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LLM_MODEL: z.string().min(1).default("qwen2.5:7b-instruct"),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(20_000),
  EMBEDDINGS: z.enum(["corpus", "openai", "none"]).default("corpus"),
  EMBEDDINGS_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMBEDDINGS_MODEL: z.string().min(1).default("bge-m3"),
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  VECTOR_WEIGHT: z.coerce.number().min(0).max(10).optional(),
  VECTOR_LEAD_WEIGHT: z.coerce.number().min(0).max(10).optional(),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, "không đúng dạng token của BotFather")
    .optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default("https://api.telegram.org"),
  TELEGRAM_ADMIN_IDS: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "phải là các số id người dùng, cách nhau bởi dấu phẩy")
    .optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "chỉ gồm chữ, số, _ và -, tối đa 256 ký tự")
    .optional(),
  ZALO_BOT_TOKEN: z.string().min(10, "quá ngắn").optional(),
  ZALO_API_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://bot-api.zaloplatforms.com"),
  ZALO_ADMIN_IDS: z
    .string()
    .regex(/^\s*[\w-]+(\s*,\s*[\w-]+)*\s*$/, "các id cách nhau bởi dấu phẩy")
    .optional(),
  ZALO_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ZALO_WEBHOOK_SECRET: z.string().min(8).max(256).optional(),
  ZALO_RATE_PER_SECOND: z.coerce.number().min(0.1).max(100).default(5),
  ZALO_MONTHLY_QUOTA: z.coerce.number().int().min(0).default(0),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1000).default(DEFAULT_MAX_DOCUMENT_BYTES),
  MAX_DOCUMENT_PAGES: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_MAX_PAGES),
  MAX_QUESTION_LENGTH: z.coerce.number().int().min(20).max(4000).default(1000),
  QUESTIONS_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(12),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  ADMIN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  QUESTION_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\/\S+$/, "phải là một địa chỉ postgres://…")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
});

export interface Config {
  /** Absolute path of the documents folder. */
  knowledgeDir: string;
  /** Absolute path of the runtime data folder (index, database). */
  dataDir: string;
  /** Where the knowledge index lives: `<dataDir>/index`. */
  indexDir: string;
  /** The level asked for; unset means "info" for the bot and "warn" in the terminal tools. */
  logLevel?: (typeof LOG_LEVELS)[number];
  /** Where the question log and other state live: `<dataDir>/bot.sqlite`. */
  databasePath: string;
  /**
   * PostgreSQL instead of the SQLite file (DATABASE_URL), for several instances sharing one
   * state; its pool's size and timeouts.
   */
  postgres?: {
    url: string;
    poolSize: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    idleTimeoutMs: number;
  };
  /** An OpenAI-compatible chat endpoint; answers stay extractive without it. */
  llm?: { baseUrl: string; model: string; apiKey?: string; timeoutMs: number };
  maxQuestionLength: number;
  questionsPerMinute: number;
  /** Document files larger than this many bytes are skipped at ingest, by name (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
  /** PDFs with more pages than this are refused at ingest, by name with the count (MAX_DOCUMENT_PAGES). */
  maxDocumentPages: number;
  /** How passage vectors are made: learned from the corpus (default), a remote model, or none. */
  embedder: EmbedderConfig;
  /** VECTOR_WEIGHT and VECTOR_LEAD_WEIGHT (unset: the defaults in knowledge-index.ts). */
  vectorWeights: { cosine?: number; lead?: number };
  /** Telegram, when a bot token is configured. */
  telegram?: {
    token: string;
    apiRoot: string;
    adminIds: number[];
    mode: TelegramMode;
  };
  /** Zalo, when a bot token is configured. */
  zalo?: {
    token: string;
    apiBaseUrl: string;
    adminIds: string[];
    mode: ZaloMode;
    perSecond: number;
    /** Messages a month the Zalo plan allows (0: no cap). */
    monthlyQuota: number;
  };
  /** Port of the HTTP server (webhooks, /healthz). */
  port: number;
  /** The administrators' web page (/quantri), when PUBLIC_URL says where it is reached. */
  web?: {
    /** PUBLIC_URL without a trailing slash: links are `${publicUrl}/quantri/…`. */
    publicUrl: string;
    /** Cookies are Secure when the page is reached over HTTPS. */
    secure: boolean;
    idleMinutes: number;
    maxHours: number;
  };
  /** Questions older than this many days are deleted from the question log (QUESTION_LOG_RETENTION_DAYS). */
  questionLogRetentionDays: number;
}

/**
 * How Telegram updates arrive: long polling, or a webhook at `url` (the secret header is the
 * configured one, else one generated and kept under DATA_DIR).
 */
export type TelegramMode = { kind: "polling" } | { kind: "webhook"; url: string; secret?: string };

/** How Zalo updates arrive: long polling, or a webhook at `url` checked with `secret` (required). */
export type ZaloMode = { kind: "polling" } | { kind: "webhook"; url: string; secret: string };

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
  if (c.EMBEDDINGS === "openai" && !c.EMBEDDINGS_BASE_URL) {
    throw new ConfigError(
      "EMBEDDINGS_BASE_URL",
      "phải được đặt khi EMBEDDINGS=openai, ví dụ http://127.0.0.1:11434/v1",
    );
  }
  if (c.ZALO_WEBHOOK_URL && !c.ZALO_WEBHOOK_SECRET) {
    // Without it anyone could post updates to the webhook: not a silent fall-back to polling.
    throw new ConfigError(
      "ZALO_WEBHOOK_SECRET",
      "phải được đặt (8–256 ký tự) khi đặt ZALO_WEBHOOK_URL; bỏ ZALO_WEBHOOK_URL để dùng long polling",
    );
  }
  const dataDir = resolve(cwd, c.DATA_DIR);
  return {
    knowledgeDir: resolve(cwd, c.KNOWLEDGE_DIR),
    dataDir,
    indexDir: resolve(dataDir, "index"),
    databasePath: resolve(dataDir, "bot.sqlite"),
    postgres: c.DATABASE_URL
      ? {
          url: c.DATABASE_URL,
          poolSize: c.DATABASE_POOL_SIZE,
          connectTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
          idleTimeoutMs: c.DATABASE_IDLE_TIMEOUT_MS,
        }
      : undefined,
    logLevel: c.LOG_LEVEL,
    llm: c.LLM_BASE_URL
      ? { baseUrl: c.LLM_BASE_URL, model: c.LLM_MODEL, apiKey: c.LLM_API_KEY, timeoutMs: c.LLM_TIMEOUT_MS }
      : undefined,
    maxQuestionLength: c.MAX_QUESTION_LENGTH,
    maxDocumentBytes: c.MAX_DOCUMENT_BYTES,
    maxDocumentPages: c.MAX_DOCUMENT_PAGES,
    questionsPerMinute: c.QUESTIONS_PER_MINUTE,
    vectorWeights: { cosine: c.VECTOR_WEIGHT, lead: c.VECTOR_LEAD_WEIGHT },
    telegram: c.TELEGRAM_BOT_TOKEN
      ? {
          token: c.TELEGRAM_BOT_TOKEN,
          apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
          adminIds: idList(c.TELEGRAM_ADMIN_IDS).map(Number),
          mode: c.TELEGRAM_WEBHOOK_URL
            ? { kind: "webhook", url: c.TELEGRAM_WEBHOOK_URL, secret: c.TELEGRAM_WEBHOOK_SECRET }
            : { kind: "polling" },
        }
      : undefined,
    zalo: c.ZALO_BOT_TOKEN
      ? {
          token: c.ZALO_BOT_TOKEN,
          apiBaseUrl: c.ZALO_API_BASE_URL.replace(/\/+$/, ""),
          adminIds: idList(c.ZALO_ADMIN_IDS),
          mode:
            c.ZALO_WEBHOOK_URL && c.ZALO_WEBHOOK_SECRET
              ? { kind: "webhook", url: c.ZALO_WEBHOOK_URL, secret: c.ZALO_WEBHOOK_SECRET }
              : { kind: "polling" },
          perSecond: c.ZALO_RATE_PER_SECOND,
          monthlyQuota: c.ZALO_MONTHLY_QUOTA,
        }
      : undefined,
    port: c.PORT,
    web: c.PUBLIC_URL
      ? {
          publicUrl: c.PUBLIC_URL.replace(/\/+$/, ""),
          secure: c.PUBLIC_URL.startsWith("https:"),
          idleMinutes: c.ADMIN_SESSION_IDLE_MINUTES,
          maxHours: c.ADMIN_SESSION_MAX_HOURS,
        }
      : undefined,
    questionLogRetentionDays: c.QUESTION_LOG_RETENTION_DAYS,
    embedder:
      c.EMBEDDINGS === "openai" && c.EMBEDDINGS_BASE_URL
        ? {
            kind: "openai",
            baseUrl: c.EMBEDDINGS_BASE_URL,
            model: c.EMBEDDINGS_MODEL,
            apiKey: c.EMBEDDINGS_API_KEY,
            batchSize: c.EMBEDDINGS_BATCH_SIZE,
            timeoutMs: c.EMBEDDINGS_TIMEOUT_MS,
          }
        : { kind: c.EMBEDDINGS === "none" ? "none" : "corpus" },
  };
}

/** "1, 2,3" → ["1", "2", "3"]. */
function idList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

function describe(variable: string, message: string): string {
  if (variable === "LOG_LEVEL") return `phải là một trong: ${LOG_LEVELS.join(", ")}`;
  if (variable === "ZALO_WEBHOOK_SECRET") return "phải dài từ 8 đến 256 ký tự";
  if (variable === "ZALO_API_BASE_URL" || variable === "ZALO_WEBHOOK_URL")
    return "phải là một địa chỉ http(s)://…";
  if (variable === "ZALO_ADMIN_IDS") return "phải là các id người dùng Zalo, cách nhau bởi dấu phẩy";
  if (variable === "TELEGRAM_BOT_TOKEN") return "không đúng dạng token của BotFather (123456:ABC…)";
  if (variable === "TELEGRAM_API_ROOT") return "phải là một địa chỉ http(s)://…";
  if (variable === "TELEGRAM_WEBHOOK_URL") return "phải là một địa chỉ https://… mà Telegram gọi tới được";
  if (variable === "TELEGRAM_WEBHOOK_SECRET") return "chỉ gồm chữ, số, _ và -, tối đa 256 ký tự";
  if (variable === "PORT") return "phải là số cổng từ 1 đến 65535";
  if (variable === "PUBLIC_URL")
    return "phải là địa chỉ http(s)://… nơi mở trang quản trị, ví dụ https://bot.example.vn";
  if (variable === "QUESTION_LOG_RETENTION_DAYS") return "phải là số ngày từ 1 đến 3650";
  if (variable === "ADMIN_SESSION_IDLE_MINUTES") return "phải là số phút từ 1 đến 1440";
  if (variable === "ADMIN_SESSION_MAX_HOURS") return "phải là số giờ từ 1 đến 168";
  if (variable === "DATABASE_URL")
    return "phải là một địa chỉ PostgreSQL postgres://người_dùng:mật_khẩu@máy:5432/tên_cơ_sở_dữ_liệu (bỏ trống để dùng SQLite)";
  if (variable === "DATABASE_POOL_SIZE") return "phải là số kết nối từ 1 đến 500";
  if (variable === "TELEGRAM_ADMIN_IDS") return "phải là các số id người dùng, cách nhau bởi dấu phẩy";
  if (variable === "VECTOR_WEIGHT" || variable === "VECTOR_LEAD_WEIGHT") return "phải là một số từ 0 đến 10";
  if (variable === "EMBEDDINGS") return "phải là corpus, openai hoặc none";
  if (variable === "EMBEDDINGS_BASE_URL")
    return "phải là một địa chỉ http(s)://…, ví dụ http://127.0.0.1:11434/v1";
  if (variable === "LLM_BASE_URL") return "phải là một địa chỉ http(s)://…, ví dụ http://127.0.0.1:11434/v1";
  if (variable === "MAX_DOCUMENT_PAGES")
    return `phải là một số trang từ 1 đến 10000 (mặc định ${DEFAULT_MAX_PAGES})`;
  if (variable === "MAX_DOCUMENT_BYTES")
    return "phải là một số byte, ít nhất 1000 (mặc định 50000000, tức 50 MB)";
  if (variable.endsWith("_MS") || variable.startsWith("MAX_") || variable.endsWith("_PER_MINUTE")) {
    return `phải là một số nguyên hợp lệ (${message})`;
  }
  return `không hợp lệ (${message})`;
}
