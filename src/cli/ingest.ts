/**
 * `npm run ingest`: (re)builds the knowledge index from KNOWLEDGE_DIR and prints a summary:
 * documents, passages, and every skipped file with its reason. Only documents added or changed
 * since the last ingest are embedded again; `--full` rebuilds everything, the corpus embedder too.
 * The change is announced in the database, so every instance serving these documents reloads.
 */
import { errorSummary } from "../logger.js";
import { fill, loadPrompts } from "../prompts.js";
import { buildIndex } from "../search/index-store.js";
import { openStorage } from "../storage/open.js";
import { cliLogger, configOrExit, run } from "./common.js";

run(async () => {
  const config = configOrExit();
  const logger = cliLogger(config);
  const r = (await loadPrompts()).replies;
  const out = process.stdout;
  const say = (template: string, values: Record<string, string | number> = {}) =>
    out.write(`${fill(template, values)}\n`);
  say(r.ingest_start, { dir: config.knowledgeDir });
  const full = process.argv.includes("--full");
  const shown = { documents: 0, vectors: 0 };
  const report = await buildIndex(config.knowledgeDir, config.indexDir, {
    embedder: config.embedder,
    maxDocumentBytes: config.maxDocumentBytes,
    maxDocumentPages: config.maxDocumentPages,
    full,
    onProgress: (stage, done, total) => {
      // Progress only for corpora large enough to wait for.
      if (total >= 200 && (done - shown[stage] >= Math.ceil(total / 20) || done === total)) {
        shown[stage] = done;
        say(stage === "documents" ? r.ingest_progress_documents : r.ingest_progress_vectors, { done, total });
      }
    },
  });
  const m = report.manifest;
  say(r.ingest_done, {
    seconds: (report.ms / 1000).toFixed(1),
    documents: m.documents.length,
    passages: m.passages,
  });
  for (const d of m.documents)
    say(r.ingest_document, { source: d.source, title: d.title, passages: d.passages });
  if (m.embedder) {
    say(r.ingest_vectors, { embedded: report.embedded, reused: report.reused, embedder: m.embedder });
  }
  if (m.skipped.length > 0) {
    say(r.ingest_skipped, { count: m.skipped.length });
    for (const s of m.skipped) say(r.ingest_skipped_line, { source: s.source, reason: s.reason });
  }
  say(r.ingest_index, { dir: config.indexDir });
  // Instances sharing the database (and the documents) rebuild their own index when they see this.
  // The index is built either way: a database that cannot be reached is only worth a warning.
  try {
    const storage = await openStorage(config);
    try {
      await storage.knowledge.bump(new Date().toISOString());
    } finally {
      await storage.close();
    }
  } catch (err) {
    logger.warn({ err: errorSummary(err) }, "không báo được cho các máy khác rằng tài liệu đã đổi");
  }
  return m.documents.length === 0 ? 1 : 0;
});
