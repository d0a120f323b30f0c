import { existsSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createDocumentFiles,
  replacementName,
  safeFileName,
} from "../../../src/server/web/document-files.js";
import { tempDir } from "../../helpers.js";

describe("safe names for documents sent by a browser or a chat", () => {
  it("keeps a binary format's extension (its own when the name has another), and text as .txt or .md", () => {
    expect(safeFileName("Kế hoạch 12.docx", "docx")).toBe("Kế hoạch 12.docx");
    expect(safeFileName("Kế hoạch 12.doc", "docx")).toBe("Kế hoạch 12.docx");
    expect(safeFileName("bao-cao.txt", "pdf")).toBe("bao-cao.pdf");
    expect(safeFileName("Trang 1.JPG", "image")).toBe("Trang 1.jpg");
    expect(safeFileName("scan", "image")).toBe("scan.png");
    expect(safeFileName("cu.DOC", "doc")).toBe("cu.doc");
    expect(safeFileName("ghi chú.docx", "text")).toBe("ghi chú.txt");
    expect(safeFileName("ghi chú.md", "markdown")).toBe("ghi chú.md");
    expect(safeFileName("../../etc/passwd", "pdf")).toBe("passwd.pdf");
    expect(safeFileName("ghi chú.md")).toBe("ghi chú.md");
  });

  it("replaces a document under its own name, or its stem with the new format's extension", () => {
    expect(replacementName("ke-hoach.txt", "Bản mới.txt")).toBe("ke-hoach.txt");
    expect(replacementName("ke-hoach.md", "Bản mới.txt")).toBe("ke-hoach.md");
    expect(replacementName("luat/ke-hoach.txt", "Bản mới.docx")).toBe("luat/ke-hoach.docx");
    expect(replacementName("ke-hoach.pdf", "x.pdf")).toBe("ke-hoach.pdf");
  });
});

describe("removing a document file", () => {
  it("moves its sidecar with it, or keeps the sidecar for a replacement under the same stem", async () => {
    const dir = await tempDir();
    const files = createDocumentFiles(dir);
    await writeFile(join(dir, "kh.txt"), "Kế hoạch");
    await writeFile(join(dir, "kh.meta.yaml"), "id: ke-hoach\n");
    // Replaced by kh.docx: the metadata (its id, its title) stays with the document.
    await files.write("kh.docx", new Uint8Array([0x50, 0x4b, 3, 4]));
    await files.remove("kh.txt", { keepSidecar: true });
    expect(existsSync(join(dir, "kh.meta.yaml"))).toBe(true);
    expect((await readdir(join(dir, ".removed"))).map((n) => n.replace(/^.*\d{2}-\d{2}-\d{2} /, ""))).toEqual(
      ["kh.txt"],
    );
    await files.remove("kh.docx");
    expect(existsSync(join(dir, "kh.meta.yaml"))).toBe(false);
    expect(
      (await readdir(join(dir, ".removed")))
        .map((n) => n.replace(/^.*\d{2}-\d{2}-\d{2} (\(\d\) )?/, ""))
        .sort(),
    ).toEqual(["kh.docx", "kh.meta.yaml", "kh.txt"]);
  });
});

describe("a staged upload confirmed twice", () => {
  it("is claimed by one confirmation only, given back when the change did not happen, gone once unstaged", async () => {
    const dir = await tempDir();
    const files = createDocumentFiles(dir);
    const staged = await files.stage(
      { admin: "telegram:1", target: "", original: "kh.txt" },
      Buffer.from("Kế hoạch"),
    );
    const [a, b] = await Promise.all([
      files.claim(staged.token, "telegram:1"),
      files.claim(staged.token, "telegram:1"),
    ]);
    const won = [a, b].filter((x) => typeof x === "object");
    expect(won).toHaveLength(1);
    expect([a, b].filter((x) => x === "claimed")).toHaveLength(1);
    // Claimed: neither confirmed again nor seen as waiting.
    expect(await files.staged(staged.token, "telegram:1")).toBeUndefined();
    const first = won[0] as Exclude<typeof a, "claimed" | undefined>;
    expect(first.data.toString()).toBe("Kế hoạch");
    await first.release();
    expect(await files.staged(staged.token, "telegram:1")).toBeDefined();
    expect(await files.claim(staged.token, "telegram:2")).toBeUndefined();
    expect(typeof (await files.claim(staged.token, "telegram:1"))).toBe("object");
    await files.unstage(staged.token);
    expect(await files.claim(staged.token, "telegram:1")).toBeUndefined();
    expect(await readdir(join(dir, ".uploads"))).toEqual([]);
  });
});
