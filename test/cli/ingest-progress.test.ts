import { execFileSync, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bar, createIngestProgress } from "../../src/cli/progress.js";
import { encodeVni } from "../../src/knowledge/formats/legacy-encoding.js";
import { loadPrompts } from "../../src/prompts.js";
import { tempDir } from "../helpers.js";
import { planDocx } from "../knowledge/formats/word-samples.js";
import { ROOT, runCli } from "./run-cli.js";

const kb = await tempDir("danvan-ingest-");
await writeFile(join(kb, "ke-hoach-dan-van.docx"), await planDocx());
await writeFile(
  join(kb, "thong-bao-cu.txt"),
  encodeVni(
    "THÔNG BÁO\n\nlịch tiếp công dân tháng 5\n\n1. Người đứng đầu cấp ủy tiếp công dân vào ngày 15 hằng tháng tại trụ sở Tỉnh ủy.\n",
  ),
);
const ole = Buffer.alloc(2048);
Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
Buffer.from("EncryptedPackage", "utf16le").copy(ole, 1024);
await writeFile(join(kb, "mat-khau.docx"), ole);
const env = async () => ({ KNOWLEDGE_DIR: kb, DATA_DIR: await tempDir() });

const ESC = "\x1b";

describe("npm run ingest, piped", () => {
  it("prints a plain line per file, then every file with its format, passages, warnings and failures", async () => {
    const r = await runCli("src/cli/ingest.ts", [], await env());
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\r");
    expect(r.stdout).not.toContain(ESC);
    const lines = r.stdout.split("\n");
    expect(lines).toContain("  Đọc 1/3: ke-hoach-dan-van.docx");
    expect(lines).toContain("  Đọc 3/3: thong-bao-cu.txt");
    const docx = lines.find((l) => l.startsWith("  ✓ ke-hoach-dan-van.docx (Word .docx) — "));
    expect(docx).toMatch(/— Kế hoạch triển khai công tác dân vận chính quyền năm 2024: \d+ đoạn$/);
    expect(lines).toContain("  ✓ thong-bao-cu.txt (văn bản) — Thông báo lịch tiếp công dân tháng 5: 1 đoạn");
    expect(lines).toContain("      ⚠ đã chuyển từ mã VNI-Windows sang Unicode");
    expect(lines).toContain("  ✗ mat-khau.docx: tệp Word có mật khẩu");
    expect(lines).toContain("Tổng cộng 3 tệp: 2 đọc được (2 có cảnh báo), 1 không đọc được.");
  });
});

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript && process.env.CI === "true")
  throw new Error("`script` (util-linux) is needed to test the progress bar");
if (!hasScript)
  process.stderr.write("\n⚠ progress bar test NOT RUN: `script` (util-linux, package bsdutils) is missing\n");

describe.skipIf(!hasScript)("npm run ingest on a terminal", () => {
  it("draws one progress bar, redrawn in place, and clears it before the summary", async () => {
    const vars = await env();
    // `script` gives the command a real pseudo-terminal, as a person running it has.
    const command = `${process.execPath} --import tsx src/cli/ingest.ts`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", COLUMNS: "100", ...vars },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        text += d;
      });
      child.on("error", reject);
      child.on("close", () => resolve(text));
      child.stdin.end();
    });
    expect(out).toContain(`\r${ESC}[2K[`);
    expect(out).toMatch(/\[[█░]{24}\] +33% 2\/3 tệp · mat-khau\.do/);
    expect(out).not.toContain("  Đọc 1/3");
    expect(out).toContain("Tổng cộng 3 tệp: 2 đọc được (2 có cảnh báo), 1 không đọc được.");
  }, 30_000);
});

describe("the progress bar", () => {
  it("counts the pages a reader reports within the file's share of the bar", async () => {
    const t = (await loadPrompts()).replies;
    const written: string[] = [];
    const p = createIngestProgress({ isTTY: true, columns: 120, write: (s: string) => written.push(s) }, t);
    p.file({ source: "a.pdf", file: 2, files: 4 });
    p.file({ source: "a.pdf", file: 2, files: 4, page: 5, pages: 10, stage: "ocr" });
    expect(written.at(-1)).toBe(`\r${ESC}[2K${bar(0.375)} 2/4 tệp · a.pdf · nhận dạng chữ (OCR) trang 5/10`);
    p.done();
    expect(written.at(-1)).toBe(`\r${ESC}[2K`);
    expect(bar(0.5, 4)).toBe("[██░░]  50%");
  });

  it("prints every tenth page and the last when piped", async () => {
    const t = (await loadPrompts()).replies;
    const written: string[] = [];
    const p = createIngestProgress({ write: (s: string) => written.push(s) }, t);
    for (let page = 1; page <= 23; page++) p.file({ source: "b.pdf", file: 1, files: 1, page, pages: 23 });
    expect(written).toEqual([
      "    b.pdf: trang 10/23\n",
      "    b.pdf: trang 20/23\n",
      "    b.pdf: trang 23/23\n",
    ]);
  });
});
