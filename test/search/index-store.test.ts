import { mkdir, readdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildIndex, ensureIndex, IndexCorruptError, loadIndex } from "../../src/search/index-store.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

async function currentIndexFile(indexDir: string): Promise<string> {
  const version = (await readFile(join(indexDir, "CURRENT"), "utf8")).trim();
  return join(indexDir, version, "index.json");
}

describe("the index on disk", () => {
  it("is built when missing, then reused while the documents are unchanged", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    const first = await ensureIndex(kb, indexDir);
    expect(first.action).toBe("built");
    const second = await ensureIndex(kb, indexDir);
    expect(second.action).toBe("loaded");
    expect(second.index.search("Kết luận 43 ban hành ngày nào?").answered).toBe(true);
  });

  it("is rebuilt when a document is added, edited or removed", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    await ensureIndex(kb, indexDir);
    await writeFile(
      join(kb, "moi.md"),
      "# Hướng dẫn mới\n\nPhong trào thi đua Dân vận khéo được khen thưởng hằng năm.\n",
    );
    const added = await ensureIndex(kb, indexDir);
    expect(added.action === "built" && added.reason).toMatch(/mới: moi\.md/);
    expect(added.index.search("phong trào dân vận khéo khen thưởng").hits[0]?.document.id).toBe("moi");
    await writeFile(join(kb, "moi.md"), "# Hướng dẫn mới\n\nNội dung đã thay đổi về tiếp xúc cử tri.\n");
    expect((await ensureIndex(kb, indexDir)).action).toBe("built");
    await writeFile(join(kb, "000_3cba0417107b8cbb.meta.yaml"), "shortTitle: Kế hoạch KL43\n");
    const meta = await ensureIndex(kb, indexDir);
    expect(meta.action).toBe("built");
    expect(meta.index.documents.map((d) => d.shortTitle)).toContain("Kế hoạch KL43");
  });

  it("detects a truncated index file and rebuilds it", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    await buildIndex(kb, indexDir);
    const file = await currentIndexFile(indexDir);
    await truncate(file, 100);
    await expect(loadIndex(indexDir)).rejects.toBeInstanceOf(IndexCorruptError);
    const reported: string[] = [];
    const outcome = await ensureIndex(kb, indexDir, { onCorrupt: (e) => reported.push(e.message) });
    expect(reported[0]).toMatch(/checksum/);
    expect(outcome.action).toBe("built");
    expect((await loadIndex(indexDir))?.index.passages.length).toBeGreaterThan(5);
  });

  it("keeps the previous index when a build stops before it is swapped in", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    const built = await buildIndex(kb, indexDir);
    // What an ingest killed half-way leaves: a new version folder with a partial file, no pointer change.
    await mkdir(join(indexDir, "v-9999999999999-dead00"));
    await writeFile(join(indexDir, "v-9999999999999-dead00", "index.json"), '{"documents":[');
    const loaded = await loadIndex(indexDir);
    expect(loaded?.manifest.builtAt).toBe(built.manifest.builtAt);
    // The next build cleans the leftovers.
    await buildIndex(kb, indexDir);
    expect((await readdir(indexDir)).filter((n) => n.startsWith("v-"))).toHaveLength(1);
  });
});
