/**
 * Remakes the Word fixtures under test/fixtures/formats/ (run once, committed):
 * `npx tsx scripts/make-word-fixtures.ts`. The .doc files are the test plan and the short lists
 * (test/knowledge/formats/word-samples.ts) saved by LibreOffice as Word 97–2003 — the only tool here that writes .doc:
 * `apt-get install -y --no-install-recommends libreoffice-writer-nogui`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { planDocx, shortListsDocx } from "../test/knowledge/formats/word-samples.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "test", "fixtures", "formats");

/** Converts a .docx to .doc with LibreOffice headless, in a profile of its own. */
export function docxToDoc(docx: string, outDir: string): string {
  execFileSync(
    "soffice",
    [
      `-env:UserInstallation=file://${join(outDir, "lo-profile")}`,
      "--headless",
      "--convert-to",
      "doc:MS Word 97",
      "--outdir",
      outDir,
      docx,
    ],
    { stdio: "ignore", timeout: 120_000 },
  );
  return docx.replace(/\.docx$/, ".doc");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tmp = mkdtempSync(join(tmpdir(), "word-fixtures-"));
  try {
    for (const [name, make] of [
      ["ke-hoach-dan-van", planDocx],
      ["danh-sach-ngan", shortListsDocx],
    ] as const) {
      const docx = join(tmp, `${name}.docx`);
      writeFileSync(docx, await make());
      copyFileSync(docxToDoc(docx, tmp), join(OUT, `${name}.doc`));
      console.log(`written ${join(OUT, `${name}.doc`)}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
