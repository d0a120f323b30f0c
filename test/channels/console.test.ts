import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { startFakeEmbeddings } from "../fakes/embeddings-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

const env = { KNOWLEDGE_DIR: await copyOfKnowledge(), DATA_DIR: await tempDir() };

describe("npm start in a terminal without a bot token", () => {
  it("builds the index, answers piped questions in plain text, and exits at the end of input", async () => {
    const r = await runCli(
      "src/main.ts",
      [],
      env,
      "Kết luận 43 ban hành ngày nào?\nxem nguồn 1\nGiá xăng hôm nay?\n",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\x1b[");
    const [answer, source, notFound] = r.stdout.trim().split(/\n\n(?=Theo tài liệu|Nguồn 1|Xin lỗi)/);
    expect(answer).toContain("[1] «");
    expect(answer).toContain("ngày 07/01/2019");
    expect(answer).toContain("— Kế hoạch thực hiện KL 43-KL/TW · phần mở đầu");
    expect(source).toMatch(
      /^Nguồn 1: Kế hoạch thực hiện KL 43-KL\/TW · phần mở đầu\nThực hiện Kết luận số 43-KL\/TW/,
    );
    expect(notFound).toContain("chưa có nội dung trả lời câu hỏi này");
  });

  it("starts again from the saved index and answers questions without diacritics", async () => {
    const r = await runCli("src/main.ts", [], env, "hoi quan chung tu dam bao kinh phi the nao\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tự đảm bảo kinh phí hoạt động");
    expect(r.stdout).toContain("II.3, đoạn 2");
  });

  it("stops with a message naming DATA_DIR, its path and the cause when the folder cannot be used", async () => {
    const file = join(await tempDir(), "not-a-folder");
    await writeFile(file, "x");
    const r = await runCli("src/main.ts", [], { ...env, DATA_DIR: join(file, "data") }, "");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DATA_DIR");
    expect(r.stderr).toContain(join(file, "data"));
    expect(r.stderr).toMatch(/ENOTDIR|không phải thư mục/);
    expect(r.stderr).not.toContain("unable to open database file");
  });

  it("stops with a message naming a bad setting", async () => {
    const r = await runCli("src/main.ts", [], { ...env, LLM_BASE_URL: "not a url" }, "");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LLM_BASE_URL");
  });
});

describe("npm start when the index cannot be rebuilt", async () => {
  const embeddings = await startFakeEmbeddings();
  afterAll(() => embeddings.close());
  const kb = await copyOfKnowledge();
  const remote = {
    KNOWLEDGE_DIR: kb,
    DATA_DIR: await tempDir(),
    EMBEDDINGS: "openai",
    EMBEDDINGS_BASE_URL: embeddings.baseUrl,
  };

  it("keeps answering from the previous index, with a warning, when the rebuild fails", async () => {
    const first = await runCli("src/main.ts", [], remote, "Kết luận 43 ban hành ngày nào?\n");
    expect(first.code).toBe(0);
    // A new document, and the embeddings server fails every try while it is indexed.
    await writeFile(join(kb, "moi.md"), "# Văn bản mới\n\nCán bộ dân vận đi cơ sở, lắng nghe Nhân dân.\n");
    embeddings.fail(500, 500, 500, 500);
    const r = await runCli("src/main.ts", [], remote, "Kết luận 43 ban hành ngày nào?\n");
    expect(r.stderr).toContain("tiếp tục dùng chỉ mục trước");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ngày 07/01/2019");
  });
});
