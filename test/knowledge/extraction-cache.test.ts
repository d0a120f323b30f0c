import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractionKey } from "../../src/knowledge/extraction-cache.js";
import { type CommandRunner, createOcr, execRunner, OCR_INSTALL } from "../../src/knowledge/formats/ocr.js";
import { buildIndex } from "../../src/search/index-store.js";
import { tempDir } from "../helpers.js";
import { hasOcr } from "./formats/ocr-available.js";

const FIXTURES = new URL("../fixtures/formats/", import.meta.url).pathname;
const PLAN = "Kế hoạch thử\n\nI- MỤC ĐÍCH\n\n1. Tăng cường công tác dân vận của chính quyền các cấp.\n";

async function folder(files: string[]): Promise<{ knowledge: string; index: string; cache: string }> {
  const root = await tempDir();
  const knowledge = join(root, "knowledge");
  await mkdir(knowledge);
  await writeFile(join(knowledge, "ke-hoach.txt"), PLAN);
  for (const f of files) await copyFile(join(FIXTURES, f), join(knowledge, f));
  return { knowledge, index: join(root, "index"), cache: join(root, "extracted") };
}
const entries = async (dir: string) =>
  (await readdir(dir).catch(() => [])).filter((n) => n.endsWith(".json"));
const noOcr = createOcr({ runner: () => Promise.reject(new Error("no OCR here")) });

describe("the cache of readings beside the index", () => {
  it("reads a PDF once: the next build takes its reading from <DATA_DIR>/extracted, pruned when the file goes", async () => {
    const { knowledge, index, cache } = await folder(["ke-hoach-12.pdf"]);
    let pages = 0;
    const options = { extract: { ocr: noOcr, onProgress: () => (pages += 1) } };
    const first = await buildIndex(knowledge, index, options);
    expect(pages).toBe(3);
    const key = extractionKey(await readFile(join(knowledge, "ke-hoach-12.pdf")));
    // Only the PDF is kept: a text file is read faster than the cache.
    expect(await entries(cache)).toEqual([`${key}.json`]);
    pages = 0;
    const second = await buildIndex(knowledge, index, options);
    expect(pages).toBe(0);
    expect(second.index.passages.map((p) => p.text)).toEqual(first.index.passages.map((p) => p.text));
    expect(second.manifest.documents.find((d) => d.source === "ke-hoach-12.pdf")?.format).toBe("pdf");
    // A damaged entry is read again, and rewritten.
    await writeFile(join(cache, `${key}.json`), "{ not json");
    await buildIndex(knowledge, index, options);
    expect(pages).toBe(3);
    expect(JSON.parse(await readFile(join(cache, `${key}.json`), "utf8")).extracted.format).toBe("pdf");
    await rm(join(knowledge, "ke-hoach-12.pdf"));
    await buildIndex(knowledge, index, options);
    expect(await entries(cache)).toEqual([]);
  });

  it("does not keep a reading that lacked OCR, so it is read again once OCR is installed", async () => {
    const { knowledge, index, cache } = await folder(["quyet-dinh-245.pdf"]);
    const built = await buildIndex(knowledge, index, {
      extract: { ocr: createOcr({ runner: () => Promise.reject(new Error("ENOENT")) }) },
    });
    expect(built.manifest.documents.find((d) => d.source === "quyet-dinh-245.pdf")?.warnings).toEqual([
      `trang 2 chưa đọc được (cần cài OCR: ${OCR_INSTALL})`,
    ]);
    expect(await entries(cache)).toEqual([]);
  });

  it("can be turned off, and is not made beside an index folder of another name", async () => {
    const { knowledge, index, cache } = await folder(["ke-hoach-12.pdf"]);
    await buildIndex(knowledge, index, { cacheDir: false, extract: { ocr: noOcr } });
    expect(await entries(cache)).toEqual([]);
    await buildIndex(knowledge, join(index, "..", "chi-muc"), { extract: { ocr: noOcr } });
    expect(await entries(cache)).toEqual([]);
  });

  it.skipIf(!hasOcr)(
    "does not run OCR again on the next build of the same scan",
    async () => {
      const { knowledge, index } = await folder(["quyet-dinh-scan.pdf"]);
      let recognitions = 0;
      const counting: CommandRunner = (file, args, options) => {
        if (file === "tesseract" && args.includes("stdout")) recognitions += 1;
        return execRunner(file, args, options);
      };
      // A new engine for each build, as a new process would have.
      const first = await buildIndex(knowledge, index, { extract: { ocr: createOcr({ runner: counting }) } });
      expect(recognitions).toBe(1);
      const second = await buildIndex(knowledge, index, {
        extract: { ocr: createOcr({ runner: counting }) },
      });
      expect(recognitions).toBe(1);
      const scan = (r: typeof first) => r.manifest.documents.find((d) => d.source === "quyet-dinh-scan.pdf");
      expect(scan(second)).toEqual(scan(first));
      expect(scan(second)?.warnings).toEqual(["trang 1 đọc bằng OCR"]);
    },
    120_000,
  );
});
