import { copyFile, mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractionKey, openExtractionCache } from "../../src/knowledge/extraction-cache.js";
import { type CommandRunner, createOcr, execRunner, OCR_INSTALL } from "../../src/knowledge/formats/ocr.js";
import { type Extracted, UnreadableDocumentError } from "../../src/knowledge/formats/types.js";
import { loadKnowledge } from "../../src/knowledge/loader.js";
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

  it("still indexes a document when the cache cannot be written (DATA_DIR unwritable), logging it once", async () => {
    const { knowledge, index } = await folder(["ke-hoach-12.pdf", "quyet-dinh-245.pdf"]);
    // A file where the cache folder should be: every write fails (ENOTDIR).
    const blocker = join(index, "..", "blocker");
    await writeFile(blocker, "x");
    const loaded = await loadKnowledge(knowledge, {
      cacheDir: join(blocker, "extracted"),
      extract: { ocr: noOcr },
    });
    expect(loaded.skipped).toEqual([]);
    expect(loaded.documents.map((d) => d.source).sort()).toEqual([
      "ke-hoach-12.pdf",
      "ke-hoach.txt",
      "quyet-dinh-245.pdf",
    ]);
    const warned: unknown[][] = [];
    const cache = openExtractionCache(join(blocker, "extracted"), {
      log: { warn: (...a: unknown[]) => warned.push(a) } as never,
    });
    const reading: Extracted = { text: "Kế hoạch\n", format: "pdf", label: "PDF", warnings: [] };
    expect(await cache.extract(new Uint8Array([1]), async () => reading)).toEqual(reading);
    expect(await cache.extract(new Uint8Array([2]), async () => reading)).toEqual(reading);
    expect(warned).toHaveLength(1);
    expect(JSON.stringify(warned[0])).toContain("ENOTDIR");
    // The reading's text is never logged.
    expect(JSON.stringify(warned[0])).not.toContain("Kế hoạch");
  });

  it("prunes only temporary files left for over an hour, never another process's write in progress", async () => {
    const dir = join(await tempDir(), "extracted");
    await mkdir(dir);
    const writing = `.${"a".repeat(64)}.99999.0000.tmp`;
    const abandoned = `.${"b".repeat(64)}.99998.0000.tmp`;
    await writeFile(join(dir, writing), "{");
    await writeFile(join(dir, abandoned), "{");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(dir, abandoned), twoHoursAgo, twoHoursAgo);
    expect(await openExtractionCache(dir).prune()).toBe(1);
    expect(await readdir(dir)).toEqual([writing]);
  });

  it("keeps a refusal, so a rebuild does not spend its time again, until OCR appears", async () => {
    const dir = join(await tempDir(), "extracted");
    const withOcr = createOcr({ capability: { available: true } });
    const without = createOcr({ capability: { available: false, missing: "không có tesseract" } });
    let reads = 0;
    const refuse = async (): Promise<Extracted> => {
      reads += 1;
      throw new UnreadableDocumentError("đọc tệp quá 30 phút, đã dừng");
    };
    const bytes = new Uint8Array([7, 7, 7]);
    const refusal = (ocr: typeof withOcr) => openExtractionCache(dir, { ocr }).extract(bytes, refuse);
    await expect(refusal(without)).rejects.toThrow("đọc tệp quá 30 phút, đã dừng");
    // The next load (a new cache, as a new process opens it) refuses it by the same reason, unread.
    const again = refusal(without);
    await expect(again).rejects.toThrow(UnreadableDocumentError);
    await expect(again).rejects.toThrow("đọc tệp quá 30 phút, đã dừng");
    expect(reads).toBe(1);
    // OCR installed since: read again.
    await expect(refusal(withOcr)).rejects.toThrow("đọc tệp quá 30 phút, đã dừng");
    expect(reads).toBe(2);
    await expect(refusal(withOcr)).rejects.toThrow("đọc tệp quá 30 phút, đã dừng");
    expect(reads).toBe(2);
    // A fault of the reader itself (not a refusal) is never kept.
    let faults = 0;
    const fault = async (): Promise<Extracted> => {
      faults += 1;
      throw new TypeError("bug");
    };
    for (let i = 0; i < 2; i++)
      await expect(
        openExtractionCache(dir, { ocr: withOcr }).extract(new Uint8Array([8]), fault),
      ).rejects.toThrow("bug");
    expect(faults).toBe(2);
  });

  it("skips a refused PDF by the same reason on the next build, from the cache, and prunes it when it goes", async () => {
    const { knowledge, index, cache } = await folder(["mat-khau.pdf"]);
    const first = await buildIndex(knowledge, index, { extract: { ocr: noOcr } });
    expect(first.manifest.skipped).toEqual([{ source: "mat-khau.pdf", reason: "tệp PDF có mật khẩu" }]);
    expect(await entries(cache)).toHaveLength(1);
    const second = await buildIndex(knowledge, index, { extract: { ocr: noOcr } });
    expect(second.manifest.skipped).toEqual(first.manifest.skipped);
    expect(await entries(cache)).toHaveLength(1);
    await rm(join(knowledge, "mat-khau.pdf"));
    await buildIndex(knowledge, index, { extract: { ocr: noOcr } });
    expect(await entries(cache)).toEqual([]);
  });
});
