/**
 * `npm run ingest`: (re)builds the knowledge index from KNOWLEDGE_DIR and prints a summary:
 * documents, passages, and every skipped file with its reason. Only documents added or changed
 * since the last ingest are embedded again; `--full` rebuilds everything, the corpus embedder too.
 */
import { buildIndex } from "../search/index-store.js";
import { cliLogger, configOrExit, run } from "./common.js";

run(async () => {
  const config = configOrExit();
  cliLogger(config);
  const out = process.stdout;
  out.write(`Đang xây chỉ mục từ ${config.knowledgeDir} …\n`);
  const full = process.argv.includes("--full");
  const shown = { documents: 0, vectors: 0 };
  const report = await buildIndex(config.knowledgeDir, config.indexDir, {
    embedder: config.embedder,
    maxDocumentBytes: config.maxDocumentBytes,
    full,
    onProgress: (stage, done, total) => {
      // Progress only for corpora large enough to wait for.
      if (total >= 200 && (done - shown[stage] >= Math.ceil(total / 20) || done === total)) {
        shown[stage] = done;
        out.write(`  ${done}/${total} ${stage === "documents" ? "tài liệu" : "đoạn đã tính vector"}\n`);
      }
    },
  });
  const m = report.manifest;
  out.write(
    `Xong trong ${(report.ms / 1000).toFixed(1)} giây: ${m.documents.length} tài liệu, ${m.passages} đoạn trích.\n`,
  );
  for (const d of m.documents) out.write(`  ✓ ${d.source} — ${d.title} (${d.passages} đoạn)\n`);
  if (m.embedder) {
    out.write(
      `Vector: ${report.embedded} đoạn tính mới, ${report.reused} đoạn giữ từ lần trước (${m.embedder}).\n`,
    );
  }
  if (m.skipped.length > 0) {
    out.write(`Bỏ qua ${m.skipped.length} tệp:\n`);
    for (const s of m.skipped) out.write(`  ✗ ${s.source}: ${s.reason}\n`);
  }
  out.write(`Chỉ mục: ${config.indexDir}\n`);
  return m.documents.length === 0 ? 1 : 0;
});
