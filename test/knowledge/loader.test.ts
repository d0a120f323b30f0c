import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { KNOWLEDGE, tempDir } from "../helpers.js";

describe("the shipped knowledge folder", () => {
  it("loads the plan with its metadata, text exactly as received", async () => {
    const { documents, skipped } = await loadKnowledge(KNOWLEDGE);
    expect(skipped).toEqual([]);
    expect(documents).toHaveLength(1);
    const plan = documents[0];
    expect(plan?.id).toBe("ke-hoach-kl43");
    expect(plan?.shortTitle).toBe("Kế hoạch thực hiện KL 43-KL/TW");
    expect(plan?.meta.issuer).toBe("Ban Thường vụ Tỉnh ủy");
    expect(plan?.meta.implements?.map((i) => i.number)).toEqual(["43-KL/TW", "25-NQ/TW"]);
    const shipped = await readFile(join(KNOWLEDGE, "000_3cba0417107b8cbb.txt"));
    const received = await readFile(
      new URL("../../../shared/knowledge/000_3cba0417107b8cbb.txt", import.meta.url),
    ).catch(() => shipped);
    expect(shipped.equals(received)).toBe(true);
  });
});

describe("loading a folder with good and bad files", async () => {
  const dir = await tempDir();
  await writeFile(
    join(dir, "bom-crlf.txt"),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Dòng một\r\nDòng hai\r\n")]),
  );
  await writeFile(
    join(dir, "co-tieu-de.md"),
    "---\ntitle: Nghị quyết mẫu\nid: nq-mau\n---\n# Không phải tiêu đề\n\nNội dung.\n",
  );
  await writeFile(join(dir, "chi-heading.md"), "# Hướng dẫn tuyên truyền\n\nNội dung hướng dẫn.\n");
  await writeFile(
    join(dir, "khong-tieu-de.txt"),
    `   \n\n${"một đoạn văn rất dài, không có tiêu đề, ".repeat(10)}\n`,
  );
  await writeFile(join(dir, "rong.txt"), "  \n\n ");
  // A soft hyphen inside "phương" and a zero-width space, as in texts copied from web pages.
  await writeFile(join(dir, "an-ky-tu.txt"), "Chính quyền địa ph\u00ADương và\u200B Nhân dân.\n");
  await writeFile(join(dir, "sai-ma.txt"), Buffer.from([0x43, 0xe1, 0xba, 0x28, 0xff, 0xfe]));
  await writeFile(join(dir, "hong-meta.md"), "---\ntitle: [chưa đóng\n---\nNội dung.\n");
  await writeFile(join(dir, "van-ban.pdf"), "%PDF-1.4");
  await writeFile(join(dir, "README.md"), "Thư mục tài liệu.");
  const { documents, skipped } = await loadKnowledge(dir);
  const byId = new Map(documents.map((d) => [d.id, d]));

  it("reads UTF-8 with a BOM and CRLF line ends as clean text", () => {
    expect(byId.get("bom-crlf")?.text).toBe("Dòng một\nDòng hai\n");
  });

  it("drops soft hyphens and zero-width marks, which would split a word in two", () => {
    expect(byId.get("an-ky-tu")?.text).toBe("Chính quyền địa phương và Nhân dân.\n");
  });

  it("takes the title from front matter, else the first heading, else the file name made readable", () => {
    expect(byId.get("nq-mau")?.title).toBe("Nghị quyết mẫu");
    expect(byId.get("nq-mau")?.text.startsWith("# Không phải tiêu đề")).toBe(true);
    expect(byId.get("chi-heading")?.title).toBe("Hướng dẫn tuyên truyền");
    expect(byId.get("khong-tieu-de")?.title).toBe("khong tieu de");
  });

  it("reports each bad file by name with a reason, and still loads the others", () => {
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(["hong-meta.md", "rong.txt", "sai-ma.txt", "van-ban.pdf"]);
    expect(reasons["rong.txt"]).toMatch(/rỗng/);
    expect(reasons["sai-ma.txt"]).toMatch(/UTF-8/);
    expect(reasons["van-ban.pdf"]).toMatch(/PDF/);
    expect(reasons["hong-meta.md"]).toMatch(/YAML/);
    expect(documents.map((d) => d.id).sort()).toEqual([
      "an-ky-tu",
      "bom-crlf",
      "chi-heading",
      "khong-tieu-de",
      "nq-mau",
    ]);
  });
});

describe("a file larger than the limit", () => {
  it("is skipped by name with its size, without being read into memory", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "nho.md"), "# Nhỏ\n\nCông tác dân vận.\n");
    await writeFile(join(dir, "lon.txt"), "dân vận ".repeat(3000));
    const { documents, skipped } = await loadKnowledge(dir, { maxBytes: 10_000 });
    expect(documents.map((d) => d.source)).toEqual(["nho.md"]);
    expect(skipped).toEqual([
      { source: "lon.txt", reason: "tệp quá lớn (33,0 KB; giới hạn MAX_DOCUMENT_BYTES là 10,0 KB)" },
    ]);
  });
});
