import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { READER_VERSION } from "../../src/knowledge/extraction-cache.js";
import { createOcr } from "../../src/knowledge/formats/ocr.js";
import {
  buildIndex,
  currentVersion,
  ensureIndex,
  fingerprint,
  IndexCorruptError,
  loadIndex,
  staleReason,
} from "../../src/search/index-store.js";
import { KnowledgeIndex } from "../../src/search/knowledge-index.js";
import { createIndexHolder, retrieverOf } from "../../src/search/retriever.js";
import { ROOT } from "../cli/run-cli.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";
import { hasOcr } from "../knowledge/formats/ocr-available.js";

async function currentIndexFile(indexDir: string): Promise<string> {
  const version = (await readFile(join(indexDir, "CURRENT"), "utf8")).trim();
  return join(indexDir, version, "index.json");
}

describe("the index on disk", () => {
  it("is rebuilt when it was read by other document readers (READER_VERSION) or without OCR that is here now", async () => {
    const kb = await tempDir();
    await copyFile(
      new URL("../fixtures/formats/ke-hoach-12.pdf", import.meta.url).pathname,
      join(kb, "kh.pdf"),
    );
    const indexDir = join(await tempDir(), "index");
    const noOcr = createOcr({ capability: { available: false, missing: "không có tesseract" } });
    const built = await buildIndex(kb, indexDir, { cacheDir: false, extract: { ocr: noOcr } });
    expect(built.manifest.readerVersion).toBe(READER_VERSION);
    expect(built.manifest.ocr).toBe(false);
    const sources = await fingerprint(kb);
    const corpus = { kind: "corpus" } as const;
    expect(staleReason(built.manifest, sources, corpus, false)).toBeUndefined();
    expect(staleReason(built.manifest, sources, corpus, true)).toBe("máy đã có OCR, đọc lại các bản quét");
    expect(staleReason({ ...built.manifest, ocr: true }, sources, corpus, false)).toBe("máy không còn OCR");
    // An index of an earlier release (no reader version) or of older readers is read again.
    const { readerVersion: _, ...older } = built.manifest;
    expect(staleReason(older, sources, corpus, false)).toBe("cách đọc tài liệu đã thay đổi");
    const manifestFile = join(await currentIndexFile(indexDir), "..", "manifest.json");
    await writeFile(manifestFile, JSON.stringify({ ...built.manifest, readerVersion: READER_VERSION - 1 }));
    const outcome = await ensureIndex(kb, indexDir);
    expect(outcome.action === "built" && outcome.reason).toBe("cách đọc tài liệu đã thay đổi");
    expect((await ensureIndex(kb, indexDir)).action).toBe("loaded");
  });

  it.skipIf(!hasOcr)(
    "read again once OCR is installed, embeds again the passages whose text OCR changed",
    async () => {
      const kb = await tempDir();
      await copyFile(
        new URL("../fixtures/formats/quyet-dinh-245.pdf", import.meta.url).pathname,
        join(kb, "qd.pdf"),
      );
      const indexDir = join(await tempDir(), "index");
      const noOcr = createOcr({ capability: { available: false, missing: "không có tesseract" } });
      const before = await buildIndex(kb, indexDir, { extract: { ocr: noOcr } });
      expect(before.manifest.documents[0]?.warnings?.[0]).toMatch(/^trang 2 chưa đọc được/);
      const after = await ensureIndex(kb, indexDir);
      expect(after.action === "built" && after.reason).toBe("máy đã có OCR, đọc lại các bản quét");
      expect(after.manifest.documents[0]?.warnings).toEqual(["trang 2 đọc bằng OCR"]);
      const old = new Map(before.index.passages.map((p) => [p.id, p.text]));
      // The passages whose text OCR changed or added: their vectors are of the new text.
      const changed = after.index.passages.filter((p) => old.get(p.id) !== p.text);
      expect(changed.length).toBeGreaterThan(0);
      const fresh = await after.embedder?.embedDocuments(changed.map(KnowledgeIndex.embeddingText));
      const cosine = (a: number[], b: number[]) =>
        a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0) / (Math.hypot(...a) * Math.hypot(...b));
      for (const [i, p] of changed.entries())
        expect(cosine(after.index.vectorStore?.vectorOf(p.id) ?? [], fresh?.[i] ?? [])).toBeGreaterThan(
          0.999,
        );
    },
    180_000,
  );

  it("is built when missing, then reused while the documents are unchanged", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    const first = await ensureIndex(kb, indexDir);
    expect(first.action).toBe("built");
    const second = await ensureIndex(kb, indexDir);
    expect(second.action).toBe("loaded");
    expect((await retrieverOf(second).search("Kết luận 43 ban hành ngày nào?", 3)).answered).toBe(true);
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
    expect(
      (await retrieverOf(added).search("phong trào dân vận khéo khen thưởng", 3)).hits[0]?.document.id,
    ).toBe("moi");
    await writeFile(join(kb, "moi.md"), "# Hướng dẫn mới\n\nNội dung đã thay đổi về tiếp xúc cử tri.\n");
    expect((await ensureIndex(kb, indexDir)).action).toBe("built");
    await writeFile(join(kb, "000_3cba0417107b8cbb.meta.yaml"), "shortTitle: Kế hoạch KL43\n");
    const meta = await ensureIndex(kb, indexDir);
    expect(meta.action).toBe("built");
    expect(meta.index.documents.map((d) => d.shortTitle)).toContain("Kế hoạch KL43");
  });

  it("is rebuilt, not reported broken, when an older version of the bot made it", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    await buildIndex(kb, indexDir);
    // What the previous release wrote: two lexical fields, analyzer version 1, valid checksums.
    const file = await currentIndexFile(indexDir);
    const data = JSON.parse(await readFile(file, "utf8"));
    data.passageIndex.fields = data.passageIndex.fields.slice(0, 2);
    data.documentIndex.fields = data.documentIndex.fields.slice(0, 2);
    const bytes = Buffer.from(JSON.stringify(data));
    await writeFile(file, bytes);
    const manifestFile = join(file, "..", "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    manifest.analyzerVersion = 1;
    manifest.files["index.json"] = {
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    };
    await writeFile(manifestFile, JSON.stringify(manifest));
    const reported: string[] = [];
    const outcome = await ensureIndex(kb, indexDir, { onCorrupt: (e) => reported.push(e.message) });
    expect(reported).toEqual([]);
    expect(outcome.action === "built" && outcome.reason).toMatch(/phân tích văn bản đã thay đổi/);
    expect((await ensureIndex(kb, indexDir)).action).toBe("loaded");
  });

  it("rebuilds the lexical index when the lexicon changed, keeping every passage vector", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    const first = await buildIndex(kb, indexDir);
    expect(first.embedded).toBeGreaterThan(0);
    // As if the index had been made with another lexicon (the manifest is not checksummed).
    const manifestFile = join(await currentIndexFile(indexDir), "..", "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    manifest.lexiconVersion = "another";
    await writeFile(manifestFile, JSON.stringify(manifest));
    const outcome = await ensureIndex(kb, indexDir);
    expect(outcome.action === "built" && outcome.reason).toMatch(/từ điển/);
    expect(outcome.action === "built" && [outcome.embedded, outcome.reused]).toEqual([0, first.embedded]);
    expect((await ensureIndex(kb, indexDir)).action).toBe("loaded");
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

describe("incremental ingest", async () => {
  const { startFakeEmbeddings } = await import("../fakes/embeddings-server.js");
  const server = await startFakeEmbeddings();
  const { afterAll } = await import("vitest");
  afterAll(() => server.close());
  const embedder = { kind: "openai" as const, baseUrl: server.baseUrl, model: "fake", batchSize: 100 };
  const embeddedTexts = () => server.requests.flat();

  it("embeds only the passages of added or changed documents, and drops removed ones", async () => {
    const kb = await copyOfKnowledge();
    await writeFile(
      join(kb, "a.md"),
      "# Văn bản A\n\nĐoạn thứ nhất về tiếp xúc cử tri định kỳ.\n\nĐoạn thứ hai về đối thoại với Nhân dân.\n",
    );
    await writeFile(join(kb, "b.md"), "# Văn bản B\n\nPhong trào thi đua Dân vận khéo ở cơ sở.\n");
    const indexDir = join(await tempDir(), "index");
    const first = await buildIndex(kb, indexDir, { embedder });
    expect(first.embedded).toBe(first.index.passages.length);
    expect(first.reused).toBe(0);

    server.requests.length = 0;
    const same = await buildIndex(kb, indexDir, { embedder });
    expect(same.embedded).toBe(0);
    expect(embeddedTexts()).toEqual([]);

    await writeFile(
      join(kb, "b.md"),
      "# Văn bản B\n\nPhong trào thi đua Dân vận khéo được khen thưởng hằng năm.\n",
    );
    await rm(join(kb, "a.md"));
    server.requests.length = 0;
    const changed = await buildIndex(kb, indexDir, { embedder });
    const bPassages = changed.index.passages.filter((p) => p.docId === "b").length;
    expect(changed.embedded).toBe(bPassages);
    expect(embeddedTexts().every((t) => t.includes("Văn bản B"))).toBe(true);
    expect(changed.index.passages.some((p) => p.docId === "a")).toBe(false);
    expect(changed.index.vectorStore?.size).toBe(changed.index.passages.length);

    const loaded = await loadIndex(indexDir, embedder);
    const hits = await retrieverOf(loaded as NonNullable<typeof loaded>).search(
      "dân vận khéo khen thưởng",
      3,
    );
    expect(hits.hits[0]?.document.id).toBe("b");
  });

  it("rebuilds everything when the embedder changes", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    await buildIndex(kb, indexDir, { embedder });
    const outcome = await ensureIndex(kb, indexDir, { embedder: { kind: "corpus" } });
    expect(outcome.action === "built" && outcome.reason).toMatch(/vector/);
    expect(outcome.manifest.embedder).toMatch(/^corpus-rri-v1:/);
  });
});

describe("an ingest killed half-way", () => {
  it("leaves the previous index usable", async () => {
    const kb = await copyOfKnowledge();
    const dataDir = await tempDir();
    const indexDir = join(dataDir, "index");
    const before = await buildIndex(kb, indexDir);
    // Enough documents that the ingest is still running when it is killed.
    const para = "Cán bộ dân vận phải gần dân, hiểu dân, học dân, có trách nhiệm với dân. ";
    for (let i = 0; i < 800; i++)
      await writeFile(join(kb, `vb-${i}.md`), `# Văn bản ${i}\n\n${para.repeat(30)}\n\n${para.repeat(20)}\n`);
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/ingest.ts"], {
      cwd: ROOT,
      env: { ...process.env, KNOWLEDGE_DIR: kb, DATA_DIR: dataDir },
      stdio: "ignore",
    });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    // It was still running when killed, so the kill is what this test saw.
    expect(child.signalCode).toBe("SIGKILL");
    const after = await loadIndex(indexDir);
    expect(after?.manifest.builtAt).toBe(before.manifest.builtAt);
    expect(
      (await retrieverOf(after as NonNullable<typeof after>).search("Kết luận 43 ban hành ngày nào?", 3))
        .answered,
    ).toBe(true);
  });
});

describe("a running bot", () => {
  it("answers from the new index after an ingest, without a restart", async () => {
    const kb = await copyOfKnowledge();
    const indexDir = join(await tempDir(), "index");
    const first = await buildIndex(kb, indexDir);
    const { logger } = memoryLogger();
    const holder = createIndexHolder(first, {
      indexDir,
      embedder: { kind: "corpus" },
      logger,
      version: await currentVersion(indexDir),
    });
    const q = "phong trào dân vận khéo được khen thưởng thế nào";
    expect((await holder.current().search(q, 3)).hits[0]?.document.id).not.toBe("moi");
    await writeFile(
      join(kb, "moi.md"),
      "# Hướng dẫn mới\n\nPhong trào thi đua Dân vận khéo được khen thưởng hằng năm.\n",
    );
    await buildIndex(kb, indexDir);
    const inFlight = holder.current();
    expect(await holder.reload()).toBe(true);
    expect((await holder.current().search(q, 3)).hits[0]?.document.id).toBe("moi");
    // A question that started before the swap finishes on the index it started with.
    expect((await inFlight.search(q, 3)).hits[0]?.document.id).not.toBe("moi");
    expect(await holder.reload()).toBe(false);
  });
});
