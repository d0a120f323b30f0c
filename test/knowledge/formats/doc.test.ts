import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import { loadKnowledge } from "../../../src/knowledge/loader.js";
import { KnowledgeIndex } from "../../../src/search/knowledge-index.js";

/** Made by scripts/make-word-fixtures.ts (LibreOffice saving word-samples.ts's plan as Word 97). */
const FIXTURE = join(import.meta.dirname, "..", "..", "fixtures", "formats", "ke-hoach-dan-van.doc");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "doc-"));
  await copyFile(FIXTURE, join(dir, "ke-hoach.doc"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("reading a .doc (Word 97–2003)", () => {
  it("reads the body, the header table cell by cell, and no page header or footer", async () => {
    const got = await extractDocument(await readFile(FIXTURE), "ke-hoach.doc");
    expect(got).toMatchObject({ format: "doc", label: "Word (.doc)" });
    const lines = got.text.split("\n").filter(Boolean);
    expect(lines.slice(0, 8)).toEqual([
      "TỈNH ỦY LÀO CAI",
      "BAN DÂN VẬN",
      "*",
      "Số: 15-KH/BDVTU",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "Lào Cai, ngày 12 tháng 3 năm 2024",
      "KẾ HOẠCH",
      "triển khai công tác dân vận chính quyền năm 2024",
    ]);
    expect(got.text).not.toContain("đầu trang");
    expect(got.text).not.toContain("Chân trang");
  });

  it("writes Word's automatic list numbers, which word-extractor alone drops", async () => {
    const lines = (await extractDocument(await readFile(FIXTURE), "ke-hoach.doc")).text.split("\n");
    expect(lines).toContain("I. MỤC ĐÍCH, YÊU CẦU");
    expect(lines).toContain("II. NHIỆM VỤ, GIẢI PHÁP");
    expect(lines).toContain(
      "2. Đổi mới phương thức vận động đồng bào dân tộc thiểu số ở vùng cao biên giới.",
    );
    expect(lines).toContain("a) Xây dựng đội ngũ người có uy tín trong từng thôn, bản.");
    expect(lines).toContain("b) Phát huy vai trò của già làng, trưởng bản trong hòa giải ở cơ sở.");
    expect(lines).toContain("- Tổ chức gặp mặt người có uy tín hằng năm.");
    expect(lines.filter((l) => /^III\. /.test(l))).toHaveLength(1);
  });

  it("counts short restarted lists as Word does, though LibreOffice split each first paragraph off", async () => {
    const short = join(import.meta.dirname, "..", "..", "fixtures", "formats", "danh-sach-ngan.doc");
    const got = await extractDocument(await readFile(short), "danh-sach-ngan.doc");
    expect(got.text).toBe(
      "I. MỤC ĐÍCH\n\n1. Nâng cao nhận thức.\n\nII. NHIỆM VỤ\n\n1. Đổi mới phương thức.\n",
    );
  });

  it("converts a paragraph typed in a TCVN3 font, and a typed tab is a space", async () => {
    const got = await extractDocument(await readFile(FIXTURE), "ke-hoach.doc");
    expect(got.text.split("\n")).toContain(
      "3. Uỷ ban nhân dân các cấp phối hợp thực hiện theo chức năng, nhiệm vụ.",
    );
    expect(got.warnings).toEqual(["đã chuyển từ mã TCVN3 sang Unicode"]);
  });

  it("is indexed with the kind, number, date and issuer of its header", async () => {
    const { documents, skipped } = await loadKnowledge(dir);
    expect(skipped).toEqual([]);
    expect(documents[0]).toMatchObject({
      format: "doc",
      title: "Kế hoạch triển khai công tác dân vận chính quyền năm 2024",
      meta: { kind: "Kế hoạch", number: "15-KH/BDVTU", date: "2024-03-12" },
    });
  });

  it("is cited as II.2 by the real index, like the .docx it was saved from", async () => {
    const { documents } = await loadKnowledge(dir);
    const hit = KnowledgeIndex.build(documents).search(
      "vận động đồng bào dân tộc thiểu số vùng cao biên giới",
    ).hits[0];
    expect(hit?.passage.sectionPath).toEqual(["II. NHIỆM VỤ, GIẢI PHÁP", "2"]);
  });

  it("names a .doc protected by a password (its FIB says fEncrypted)", async () => {
    const bytes = Buffer.from(await readFile(FIXTURE));
    const fib = bytes.indexOf(Buffer.from([0xec, 0xa5]));
    expect(fib).toBeGreaterThan(0);
    bytes[fib + 0x0b] = (bytes[fib + 0x0b] ?? 0) | 0x01;
    await expect(extractDocument(bytes, "mat-khau.doc")).rejects.toThrow("tệp Word có mật khẩu");
  });

  it("names a damaged .doc", async () => {
    const bytes = await readFile(FIXTURE);
    await expect(extractDocument(bytes.subarray(0, 1500), "hong.doc")).rejects.toThrow(/\.doc\) bị hỏng/);
  });
});

describe("a damaged .doc", () => {
  it("is refused by name when its allocation table loops, instead of filling the memory", async () => {
    const short = join(import.meta.dirname, "..", "..", "fixtures", "formats", "danh-sach-ngan.doc");
    const b = Buffer.from(await readFile(short));
    // Follow the directory's sector chain in the first allocation table sector, then point its
    // last sector back at its first (or two sectors at each other): a loop word-extractor followed.
    const secSize = 1 << b.readUInt16LE(0x1e);
    const satAt = 512 + b.readInt32LE(0x4c) * secSize;
    const next = (i: number) => b.readInt32LE(satAt + i * 4);
    const first = b.readInt32LE(0x30);
    const chain = [first];
    while (next(chain[chain.length - 1] as number) >= 0) chain.push(next(chain[chain.length - 1] as number));
    if (chain.length > 1) b.writeInt32LE(first, satAt + (chain[chain.length - 1] as number) * 4);
    else {
      const sat0 = b.readInt32LE(0x4c);
      b.writeInt32LE(sat0, satAt + first * 4);
      b.writeInt32LE(first, satAt + sat0 * 4);
    }
    await expect(extractDocument(b, "hong.doc")).rejects.toThrow("tệp Word (.doc) bị hỏng");
  });
});
