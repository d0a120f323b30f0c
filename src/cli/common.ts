/** What the command-line tools share: configuration, logger, the index they answer from. */
import { type Config, ConfigError, loadConfig } from "../config.js";
import { createLogger, type Logger } from "../logger.js";
import { ensureIndex, type LoadedIndex } from "../search/index-store.js";

/** Reads the configuration, or prints what is wrong and exits 2. */
export function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Loads the index, building it first when it is missing, stale or damaged. */
export async function openIndex(config: Config, logger: Logger): Promise<LoadedIndex> {
  const outcome = await ensureIndex(config.knowledgeDir, config.indexDir, {
    embedder: config.embedder,
    maxDocumentBytes: config.maxDocumentBytes,
    onCorrupt: (err) => logger.warn({ path: err.path, reason: err.message }, "chỉ mục bị hỏng, đang xây lại"),
  });
  if (outcome.action === "built") {
    logger.info(
      {
        reason: outcome.reason,
        documents: outcome.manifest.documents.length,
        passages: outcome.manifest.passages,
        ms: Math.round(outcome.ms),
      },
      "đã xây chỉ mục",
    );
    for (const s of outcome.manifest.skipped) logger.warn({ file: s.source, reason: s.reason }, "bỏ qua tệp");
  }
  return outcome;
}

/** A logger for command-line tools: warnings and errors only unless LOG_LEVEL says otherwise. */
export function cliLogger(config: Config): Logger {
  return createLogger(config.logLevel ?? "warn");
}

/** Runs a command's main function, printing a failure for people and exiting non-zero. */
export function run(main: () => Promise<number | undefined>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (err: unknown) => {
      process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
