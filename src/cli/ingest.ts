/**
 * `npm run ingest`: (re)builds the knowledge index from KNOWLEDGE_DIR and prints a summary:
 * documents, passages, and every skipped file with its reason.
 */
import { buildIndex } from "../search/index-store.js";
import { cliLogger, configOrExit, run } from "./common.js";

run(async () => {
  const config = configOrExit();
  cliLogger(config);
  const out = process.stdout;
  out.write(`Đang xây chỉ mục từ ${config.knowledgeDir} …\n`);
  let lastShown = 0;
  const report = await buildIndex(config.knowledgeDir, config.indexDir, (done, total) => {
    // Progress only for corpora large enough to wait for.
    if (total >= 200 && (done - lastShown >= Math.ceil(total / 20) || done === total)) {
      lastShown = done;
      out.write(`  ${done}/${total} tài liệu\n`);
    }
  });
  const m = report.manifest;
  out.write(
    `Xong trong ${(report.ms / 1000).toFixed(1)} giây: ${m.documents.length} tài liệu, ${m.passages} đoạn trích.\n`,
  );
  for (const d of m.documents) out.write(`  ✓ ${d.source} — ${d.title} (${d.passages} đoạn)\n`);
  if (m.skipped.length > 0) {
    out.write(`Bỏ qua ${m.skipped.length} tệp:\n`);
    for (const s of m.skipped) out.write(`  ✗ ${s.source}: ${s.reason}\n`);
  }
  out.write(`Chỉ mục: ${config.indexDir}\n`);
  return m.documents.length === 0 ? 1 : 0;
});
