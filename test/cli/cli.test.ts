import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyOfKnowledge, tempDir } from "../helpers.js";
import { runCli } from "./run-cli.js";

const kb = await copyOfKnowledge();
await writeFile(join(kb, "ghi-chu.rtf"), "{\\rtf1 không đọc được}");
await writeFile(join(kb, "rong.md"), "");
const env = { KNOWLEDGE_DIR: kb, DATA_DIR: await tempDir() };

describe("npm run ingest", () => {
  it("prints documents, passages, and each skipped file with its reason", async () => {
    const r = await runCli("src/cli/ingest.ts", [], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 tài liệu, \d+ đoạn trích/);
    expect(r.stdout).toContain("000_3cba0417107b8cbb.txt");
    expect(r.stdout).toMatch(/ghi-chu\.rtf: định dạng \.rtf chưa được hỗ trợ/);
    expect(r.stdout).toMatch(/rong\.md: tệp rỗng/);
  });
});

describe("npm run ingest with a file over MAX_DOCUMENT_BYTES", () => {
  it("skips that file by name with its size, and indexes the others", async () => {
    const big = await copyOfKnowledge();
    // 84,015 bytes of text against a limit of 20,000 (the default is 50 MB).
    await writeFile(join(big, "rat-lon.md"), `# Rất lớn\n\n${"Cán bộ dân vận đi cơ sở. ".repeat(2400)}`);
    const r = await runCli("src/cli/ingest.ts", [], {
      KNOWLEDGE_DIR: big,
      DATA_DIR: await tempDir(),
      MAX_DOCUMENT_BYTES: "20000",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 tài liệu, \d+ đoạn trích/);
    expect(r.stdout).toContain("rat-lon.md: tệp quá lớn (84,0 KB; giới hạn MAX_DOCUMENT_BYTES là 20,0 KB)");
  });
});

describe("npm run ask", () => {
  it("answers with the cited opening passage of the plan", async () => {
    const r = await runCli("src/cli/ask.ts", ["Kết luận 43 ban hành ngày nào?"], env);
    expect(r.code).toBe(0);
    const first = r.stdout.split("[2]")[0] ?? "";
    expect(first).toContain("[1] «");
    expect(first).toContain("ngày 07/01/2019");
    expect(first).toContain("— Kế hoạch thực hiện KL 43-KL/TW · phần mở đầu");
  });

  it("says kindly that the documents do not cover an unrelated question", async () => {
    const r = await runCli("src/cli/ask.ts", ["Giá xăng hôm nay?"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("chưa có nội dung trả lời");
    expect(r.stdout).toContain("Kế hoạch thực hiện KL 43-KL/TW");
  });

  it("reads questions from standard input with --jsonl and prints one JSON object a line", async () => {
    const r = await runCli(
      "src/cli/ask.ts",
      ["--jsonl"],
      env,
      "dan van co quan nha nuoc trong tam la gi\n\nGiá vàng hôm nay?\nNghị quyết 25-NQ/TW có mấy chương?\n",
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    // The plan speaks of Nghị quyết 25 but never counts its chapters: the closest passages, graded.
    expect(lines[2].status).toBe("partial");
    expect(lines[2].citations.length).toBeGreaterThan(0);
    expect(lines[0].status).toBe("answered");
    expect(Object.keys(lines[0].citations[0]).sort()).toEqual([
      "documentId",
      "excerpt",
      "passageId",
      "score",
      "section",
      "title",
    ]);
    expect(lines[0].citations[0].documentId).toBe("ke-hoach-kl43");
    expect(lines[1]).toEqual({ question: "Giá vàng hôm nay?", status: "not_found", citations: [] });
  });

  it("stops with a message naming a bad variable", async () => {
    const r = await runCli("src/cli/ask.ts", ["câu hỏi"], { ...env, LOG_LEVEL: "loud" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LOG_LEVEL");
  });
});

describe("npm run eval", () => {
  it("scores a JSONL corpus and prints per-query rankings with --details", async () => {
    const r = await runCli(
      "src/cli/eval.ts",
      [
        "--corpus",
        "test/fixtures/mini-corpus.jsonl",
        "--queries",
        "test/fixtures/mini-queries.jsonl",
        "--details",
      ],
      env,
    );
    expect(r.code).toBe(0);
    const [summary, ...details] = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(summary).toMatchObject({ corpus: 3, queries: 2, "R@1": 1, "MRR@10": 1 });
    expect(details.map((d) => [d.qid, d.ranked[0]])).toEqual([
      ["q1", "a@2"],
      ["q2", "b@1"],
    ]);
  });

  it("reports hits and the refusal matrix for questions over the knowledge folder", async () => {
    const file = join(env.DATA_DIR, "q.jsonl");
    await writeFile(
      file,
      [
        { id: "1", question: "KL 43 ban hành ngày nào", expect: "answer", gold_phrases: ["ngày 07/01/2019"] },
        { id: "2", question: "Giá xăng hôm nay?", expect: "refuse", gold_phrases: [] },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
    );
    const r = await runCli("src/cli/eval.ts", ["--questions", file], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      answerable: 1,
      unanswerable: 1,
      hit1: 1,
      confusion: { answerAnswered: 1, answerRefused: 0, refuseAnswered: 0, refuseRefused: 1 },
    });
  });
});
