/**
 * The Documents page's changes, route by route (app.request) over a real copy of the shipped
 * documents and a real index: upload, replace (same name, or chosen from the list), remove, each
 * confirmed where it replaces or removes, the index rebuilt and swapped in, the change announced
 * and audited; and what is refused: too large, unreadable (by the index's own reader), a name reaching outside the folder, a
 * form without its CSRF token, a second change while a rebuild runs.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { jobJson } from "../../../../src/server/web/pages/documents.js";
import { startFakeEmbeddings } from "../../../fakes/embeddings-server.js";
import { ADMIN, webKit } from "../web-kit.js";

/** A notice no shipped document mentions: where and when a commune's team receives citizens. */
const NOTICE = `ỦY BAN NHÂN DÂN XÃ HÒA AN
Số: 17/TB-UBND
Hòa An, ngày 20 tháng 11 năm 2026

THÔNG BÁO
Về lịch tiếp công dân của Tổ dân vận xã Hòa An

1. Tổ dân vận xã Hòa An tiếp công dân vào sáng thứ Năm hằng tuần, từ 7 giờ 30 đến 11 giờ, tại nhà văn hóa ấp Phú Lợi.
2. Người dân mang theo căn cước khi đến nêu kiến nghị; kiến nghị được trả lời trong 10 ngày làm việc.
`;

const PLAN = "000_3cba0417107b8cbb.txt";

async function signedIn(options: Parameters<typeof webKit>[0] = {}) {
  const kit = await webKit({ knowledge: {}, ...options });
  const b = kit.browser();
  await b.signIn();
  const csrf = await b.csrf("/quantri/tai-lieu");
  const knowledge = kit.knowledge as NonNullable<typeof kit.knowledge>;
  /** Posts a multipart form as the page's forms do (the CSRF token first, unless left out). */
  const upload = (
    name: string,
    content: string | Uint8Array,
    fields: Record<string, string> = {},
    token = csrf,
  ) => {
    const form = new FormData();
    if (token) form.set("_csrf", token);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("file", new File([content], name));
    return b.request("/quantri/tai-lieu/tai-len", { method: "POST", body: form });
  };
  const page = async () => (await b.request("/quantri/tai-lieu")).text();
  const passagesWith = (words: string) =>
    knowledge.holder
      .current()
      .index.passages.filter((p) => p.text.includes(words))
      .map((p) => p.docId);
  return { ...kit, b, csrf, upload, page, knowledge, passagesWith };
}

/** Every file under `dir`, hidden ones too, relative. */
async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe("uploading a document on the Documents page", () => {
  it("saves a text document under its readable name, rebuilds the index, swaps it in and announces it", async () => {
    const { upload, page, knowledge, storage, passagesWith } = await signedIn();
    const before = (await storage.knowledge.current()).version;
    expect(passagesWith("nhà văn hóa ấp Phú Lợi")).toEqual([]);
    const res = await upload("Thông báo lịch tiếp dân.txt", NOTICE);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/quantri/tai-lieu");
    expect(await readFile(join(knowledge.dir, "Thông báo lịch tiếp dân.txt"), "utf8")).toBe(NOTICE);
    // While the rebuild runs, the page shows its progress and says what it follows.
    const running = await page();
    expect(knowledge.reindexer.busy()).toBe(true);
    expect(running).toContain('data-ingest="/quantri/tai-lieu/tien-do"');
    expect(running).toContain("Đang xây lại chỉ mục sau khi tải lên «Thông báo lịch tiếp dân.txt»");
    await knowledge.reindexer.idle();
    // The bot answers from the new index, without a restart.
    expect(passagesWith("nhà văn hóa ấp Phú Lợi").length).toBe(1);
    const done = await page();
    expect(done).toContain("Xong lúc");
    expect(done).toMatch(/chỉ mục mới gồm 2 tài liệu, \d+ đoạn trích/);
    expect(done).toContain("«Thông báo lịch tiếp dân.txt» đã vào chỉ mục");
    // Its row: kind, number, date, passages, marked as just changed.
    const row = /<tr class="changed">(.*?)<\/tr>/s.exec(done)?.[1] ?? "";
    expect(row).toContain("<td>Thông báo</td><td>17/TB-UBND</td><td>20/11/2026</td>");
    expect(row).toMatch(/<td>\d+<\/td><td><code>Thông báo lịch tiếp dân.txt<\/code><\/td>/);
    // The other instances hear of it; the audit log says who did what to which file.
    expect((await storage.knowledge.current()).version).toBeGreaterThan(before);
    const audit = await storage.audit.recent(1);
    expect(audit.map((a) => [a.actor, a.action, a.detail])).toEqual([
      [ADMIN, "document-upload", "Thông báo lịch tiếp dân.txt"],
    ]);
  });

  it("recognises a document by its bytes, not its name: UTF-16 text sent as .doc is read and saved as .txt", async () => {
    const { upload, knowledge, passagesWith } = await signedIn();
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(NOTICE, "utf16le")]);
    const res = await upload("Thông báo tiếp dân.doc", bytes);
    expect(res.status).toBe(303);
    await knowledge.reindexer.idle();
    expect(await readFile(join(knowledge.dir, "Thông báo tiếp dân.txt"))).toEqual(bytes);
    expect(existsSync(join(knowledge.dir, "Thông báo tiếp dân.doc"))).toBe(false);
    expect(passagesWith("nhà văn hóa ấp Phú Lợi").length).toBe(1);
  });

  it("reports progress as JSON: documents read of all, passages, done", async () => {
    const { upload, b, knowledge } = await signedIn();
    const idle = await (await b.request("/quantri/tai-lieu/tien-do")).json();
    expect(idle).toEqual({ ok: true, job: null, finished: true, text: "" });
    await upload("lich.txt", NOTICE);
    await knowledge.reindexer.idle();
    const p = (await (await b.request("/quantri/tai-lieu/tien-do")).json()) as ReturnType<typeof jobJson>;
    expect(p.finished).toBe(true);
    expect(p.job).toMatchObject({
      action: "upload",
      file: "lich.txt",
      state: "done",
      documentsDone: 2,
      documentsTotal: 2,
      documents: 2,
    });
    expect(p.job?.document?.passages).toBeGreaterThan(0);
    expect(p.job?.passages).toBeGreaterThan(p.job?.document?.passages ?? Infinity);
    expect(p.text).toContain("Đã đọc 2/2 tài liệu");
  });

  it("asks before replacing a document of the same name, keeps the old one in .removed/, and replaces on confirmation", async () => {
    const { upload, b, csrf, knowledge, passagesWith, storage } = await signedIn();
    await upload("lich.txt", NOTICE);
    await knowledge.reindexer.idle();
    const changed = NOTICE.replace("nhà văn hóa ấp Phú Lợi", "hội trường Ủy ban nhân dân xã");
    const ask = await upload("lich.txt", changed);
    expect(ask.status).toBe(200);
    const text = await ask.text();
    expect(text).toContain("Tài liệu «lich.txt» đã có. Thay nó bằng tệp «lich.txt»");
    // Nothing changes before the administrator confirms.
    expect(await readFile(join(knowledge.dir, "lich.txt"), "utf8")).toBe(NOTICE);
    const token = /name="token" value="([^"]+)"/.exec(text)?.[1] ?? "";
    expect(token).not.toBe("");
    // Another administrator cannot confirm someone else's upload.
    const other = (await signedIn()).b;
    expect(
      (await other.post("/quantri/tai-lieu/thay-the", { token, _csrf: await other.csrf() })).status,
    ).toBe(404);
    const ok = await b.post("/quantri/tai-lieu/thay-the", { token, _csrf: csrf });
    expect(ok.status).toBe(303);
    expect(await readFile(join(knowledge.dir, "lich.txt"), "utf8")).toBe(changed);
    const kept = (await allFiles(knowledge.dir)).filter((f) => f.startsWith(".removed/"));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^\.removed\/\d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2} lich\.txt$/);
    expect(await readFile(join(knowledge.dir, kept[0] as string), "utf8")).toBe(NOTICE);
    await knowledge.reindexer.idle();
    expect(passagesWith("nhà văn hóa ấp Phú Lợi")).toEqual([]);
    expect(passagesWith("hội trường Ủy ban nhân dân xã").length).toBe(1);
    // The token is used up.
    expect((await b.post("/quantri/tai-lieu/thay-the", { token, _csrf: csrf })).status).toBe(404);
    expect((await storage.audit.recent(1))[0]).toMatchObject({
      action: "document-replace",
      detail: "lich.txt",
    });
  });

  it("replaces a document chosen from the list under that document's name, after asking; a cancelled one changes nothing", async () => {
    const { upload, b, csrf, knowledge, passagesWith } = await signedIn();
    const cancelled = await (await upload("ban-moi.txt", NOTICE, { target: PLAN })).text();
    const cancelToken = /name="token" value="([^"]+)"/.exec(cancelled)?.[1] ?? "";
    expect(cancelled).toContain(`Tài liệu «${PLAN}» đã có. Thay nó bằng tệp «ban-moi.txt»`);
    expect((await b.post("/quantri/tai-lieu/huy-thay-the", { token: cancelToken, _csrf: csrf })).status).toBe(
      303,
    );
    expect((await b.post("/quantri/tai-lieu/thay-the", { token: cancelToken, _csrf: csrf })).status).toBe(
      404,
    );
    expect(await allFiles(knowledge.dir)).toEqual(
      [PLAN.replace(".txt", ".meta.yaml"), PLAN, "README.md"].sort(),
    );

    const ask = await (await upload("ban-moi.txt", NOTICE, { target: PLAN })).text();
    const token = /name="token" value="([^"]+)"/.exec(ask)?.[1] ?? "";
    expect((await b.post("/quantri/tai-lieu/thay-the", { token, _csrf: csrf })).status).toBe(303);
    expect(await readFile(join(knowledge.dir, PLAN), "utf8")).toBe(NOTICE);
    expect(existsSync(join(knowledge.dir, "ban-moi.txt"))).toBe(false);
    await knowledge.reindexer.idle();
    expect(passagesWith("nhà văn hóa ấp Phú Lợi")).toEqual(["ke-hoach-kl43"]);
  });

  it("removes a document after asking: the file (and its sidecar) moved to .removed/, the index without it", async () => {
    const { b, csrf, knowledge, page, storage } = await signedIn();
    const quoted = knowledge.holder.current().index.passages.find((p) => p.text.includes("07/01/2019"));
    const askedAt = new Date().toISOString();
    const ask = await b.post("/quantri/tai-lieu/go", { file: PLAN, _csrf: csrf });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain(`Gỡ «${PLAN}» khỏi tài liệu của bot?`);
    expect(existsSync(join(knowledge.dir, PLAN))).toBe(true);
    const res = await b.post("/quantri/tai-lieu/go", { file: PLAN, confirm: "1", _csrf: csrf });
    expect(res.status).toBe(303);
    const files = await allFiles(knowledge.dir);
    // What is left: the folder's README and the ledger (a hidden file the loader skips).
    expect(files.filter((f) => !f.startsWith(".removed/"))).toEqual([".library.json", "README.md"]);
    expect(
      // Sorted after the time prefix is cut: the two moves may fall in different seconds.
      files
        .filter((f) => f.startsWith(".removed/"))
        .map((f) => f.replace(/^.*\d{2}-\d{2}-\d{2} /, ""))
        .sort(),
    ).toEqual([PLAN.replace(".txt", ".meta.yaml"), PLAN].sort());
    await knowledge.reindexer.idle();
    expect(knowledge.holder.current().index.documents).toEqual([]);
    expect(await page()).toContain(`«${PLAN}» đã được gỡ`);
    expect((await storage.audit.recent(1))[0]).toMatchObject({ action: "document-remove", detail: PLAN });
    // Its passages are kept for source buttons under answers given before (as a change in chat).
    const kept = await knowledge.ledger.retiredPassage(quoted?.id ?? "", askedAt);
    expect(kept?.passage.text).toBe(quoted?.text);
    expect(kept?.document).toMatchObject({
      action: "remove",
      source: PLAN,
      title: "Kế hoạch thực hiện KL 43-KL/TW",
    });
  });
});

describe("what the Documents page refuses", () => {
  it("says the limit before upload, and refuses a larger file by name, saving nothing", async () => {
    const { upload, page, knowledge } = await signedIn({ knowledge: { maxDocumentBytes: 5000 } });
    expect(await page()).toContain("tối đa 5,0 KB");
    const res = await upload("dai.txt", `${NOTICE}\n${"Tổ dân vận. ".repeat(500)}`);
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(text).toMatch(
      /Tệp «dai\.txt» nặng \d+,\d KB, lớn hơn giới hạn 5,0 KB \(MAX_DOCUMENT_BYTES\): chưa tải lên/,
    );
    // A body far beyond the limit is not even read.
    const huge = await upload("rat-dai.txt", "a".repeat(300_000));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("lớn hơn giới hạn 5,0 KB");
    expect(existsSync(join(knowledge.dir, "dai.txt"))).toBe(false);
    expect(existsSync(join(knowledge.dir, "rat-dai.txt"))).toBe(false);
    expect(knowledge.reindexer.current()).toBeUndefined();
  });

  it("reads what it is sent by its bytes, whatever its name, with the index's own reader, and refuses what it cannot read by name with the reason", async () => {
    const { upload, knowledge } = await signedIn();
    // Formats no reader handles: the reason is the sniffer's, on every branch of the project.
    const cases: [string, Uint8Array | string, string][] = [
      ["ke-hoach.txt", "{\\rtf1\\ansi K\\'e1 ho\\'e1ch}", "định dạng Word (.rtf) chưa được hỗ trợ"],
      [
        "anh.png",
        Buffer.from("GIF89a\u0001\u0000\u0001\u0000", "latin1"),
        "định dạng ảnh GIF chưa được hỗ trợ",
      ],
      [
        "nen.docx",
        Buffer.from("PK\u0003\u0004\u0014\u0000 khong phai word", "latin1"),
        "định dạng tệp nén (zip) chưa được hỗ trợ",
      ],
      ["lạ.txt", new Uint8Array([1, 2, 3, 0, 5, 6, 7, 8]), "định dạng tệp nhị phân chưa được hỗ trợ"],
    ];
    for (const [name, bytes, reason] of cases) {
      const res = await upload(name, bytes);
      expect(res.status, name).toBe(415);
      expect(await res.text(), name).toContain(
        `Không đọc được tệp «${name}»: ${reason}. Chưa tải lên; tài liệu của bot vẫn như trước.`,
      );
    }
    // Word and PDF go to their readers (a broken file is refused by name with the reader's reason).
    const docx = new Uint8Array([
      ...Buffer.from("PK\u0003\u0004\u0014\u0000\u0006\u0000", "latin1"),
      ...Buffer.from("[Content_Types].xml word/document.xml", "latin1"),
    ]);
    for (const [name, bytes] of [
      ["Quyết định 12.docx", docx],
      ["bao-cao.txt", Buffer.from("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj", "latin1")],
    ] as const) {
      const res = await upload(name, bytes);
      expect(res.status, name).toBe(415);
      expect(await res.text(), name).toContain(`Không đọc được tệp «${name}»: `);
    }
    const empty = await upload("trong.txt", "  \n\n");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Tệp «trong.txt» rỗng");
    expect(await allFiles(knowledge.dir)).toEqual(
      [PLAN.replace(".txt", ".meta.yaml"), PLAN, "README.md"].sort(),
    );
  });

  it("keeps every name inside the documents folder: paths and hidden names are cut to a safe file name", async () => {
    const { upload, knowledge, b, csrf } = await signedIn();
    const root = dirname(knowledge.dir);
    const cases: [string, string][] = [
      ["../../thoat-ra.txt", "thoat-ra.txt"],
      ["..\\..\\windows.md", "windows.md"],
      ["/etc/passwd", "passwd.txt"],
      [".an.txt", "an.txt"],
      ['Kế hoạch: "số 5"?.markdown', "Kế hoạch số 5.md"],
      ["..", "tai-lieu.txt"],
      ["README.md", "readme-tai-lieu.md"],
      ["x.meta.yaml", "x-meta.txt"],
    ];
    for (const [sent, saved] of cases) {
      const res = await upload(sent, `${NOTICE}\n${sent}`);
      expect(res.status, sent).toBe(303);
      await knowledge.reindexer.idle();
      expect(knowledge.reindexer.current()?.file, sent).toBe(saved);
      expect(await readFile(join(knowledge.dir, saved), "utf8"), sent).toBe(`${NOTICE}\n${sent}`);
    }
    // Nothing was written beside the documents folder, nor anywhere but inside it.
    expect((await readdir(root)).sort()).toEqual(["index", "knowledge"]);
    // Replacing or removing takes only a name the folder lists.
    for (const file of ["../index/CURRENT", "/etc/passwd", "README.md", ".removed", ""]) {
      const res = await b.post("/quantri/tai-lieu/go", { file, confirm: "1", _csrf: csrf });
      expect(res.status, file).toBe(404);
      expect((await upload("a.txt", NOTICE, { target: file || "x" })).status, file).toBe(404);
    }
    expect(existsSync(join(root, "index", "CURRENT"))).toBe(true);
  });

  it("refuses with 403 a change without the session's CSRF token, changing nothing", async () => {
    const { upload, b, knowledge, storage } = await signedIn();
    expect((await upload("lich.txt", NOTICE, {}, "")).status).toBe(403);
    expect((await upload("lich.txt", NOTICE, {}, "sai-ma")).status).toBe(403);
    expect((await b.post("/quantri/tai-lieu/go", { file: PLAN, confirm: "1" })).status).toBe(403);
    expect(await allFiles(knowledge.dir)).toEqual(
      [PLAN.replace(".txt", ".meta.yaml"), PLAN, "README.md"].sort(),
    );
    expect((await storage.audit.recent(5)).map((a) => a.action)).not.toContain("document-upload");
  });

  it("refuses a second change while a rebuild runs, with a message, and accepts it once done", async () => {
    const { upload, knowledge } = await signedIn();
    const files = { "mot.txt": NOTICE, "hai.txt": NOTICE.replace("Phú Lợi", "Phú Hòa") };
    // Sent together: one is taken, the other told to wait (whichever reaches the bot first).
    const [a, b] = await Promise.all(Object.entries(files).map(([name, text]) => upload(name, text)));
    const statuses = [a?.status, b?.status];
    expect([...statuses].sort()).toEqual([303, 409]);
    const refusedName = statuses[0] === 409 ? "mot.txt" : "hai.txt";
    const refused = (statuses[0] === 409 ? a : b) as Response;
    expect(await refused.text()).toContain("Chỉ mục đang được xây lại sau thay đổi trước. Chờ xong");
    expect(existsSync(join(knowledge.dir, refusedName))).toBe(false);
    await knowledge.reindexer.idle();
    expect((await upload(refusedName, files[refusedName])).status).toBe(303);
    await knowledge.reindexer.idle();
    expect(
      knowledge.holder
        .current()
        .index.documents.map((d) => d.source)
        .sort(),
    ).toEqual([PLAN, "hai.txt", "mot.txt"].sort());
  });
});

describe("a change the index cannot take", () => {
  it("says why a file could not be saved, and changes nothing", async () => {
    const { upload, knowledge, storage } = await signedIn();
    // A folder already has the name the upload would take.
    await mkdir(join(knowledge.dir, "lich.txt"));
    const res = await upload("lich.txt", NOTICE);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain(
      "Không lưu được «lich.txt»: trong thư mục tài liệu đã có một thư mục trùng tên. Tài liệu và chỉ mục vẫn như trước.",
    );
    expect(knowledge.reindexer.current()).toBeUndefined();
    expect(knowledge.reindexer.busy()).toBe(false);
    expect(await allFiles(knowledge.dir)).toEqual(
      [PLAN.replace(".txt", ".meta.yaml"), PLAN, "README.md"].sort(),
    );
    expect((await storage.audit.recent(5)).map((a) => a.action)).not.toContain("document-upload");
  });

  it("reports a malformed document by name and still indexes the others", async () => {
    const { upload, knowledge, page } = await signedIn();
    expect((await upload("hong.md", `---\ntitle: [chưa đóng\n---\n${NOTICE}`)).status).toBe(303);
    await knowledge.reindexer.idle();
    const text = await page();
    expect(text).toContain(
      "Tệp «hong.md» không đưa vào chỉ mục được: siêu dữ liệu (front matter) không phải YAML hợp lệ",
    );
    expect(text).toContain("Các tài liệu khác vẫn được lập chỉ mục");
    expect(knowledge.holder.current().index.documents.map((d) => d.source)).toEqual([PLAN]);
  });

  it("keeps serving the previous index when the rebuild fails (the embeddings server refuses), and says why", async () => {
    const server = await startFakeEmbeddings();
    try {
      const embedder = { kind: "openai" as const, baseUrl: server.baseUrl, model: "fake", batchSize: 500 };
      const { upload, knowledge, page } = await signedIn({ knowledge: { embedder } });
      const before = knowledge.holder.current();
      server.fail(400, 400, 400, 400);
      expect((await upload("lich.txt", NOTICE)).status).toBe(303);
      await knowledge.reindexer.idle();
      expect(knowledge.reindexer.current()?.state).toBe("failed");
      expect(knowledge.holder.current()).toBe(before);
      expect(knowledge.holder.current().index.documents.map((d) => d.source)).toEqual([PLAN]);
      const text = await page();
      expect(text).toMatch(/Không xây lại được chỉ mục \([^)]+\): .+\. Bot vẫn trả lời theo chỉ mục trước\./);
      // The file stays, so the next rebuild (the server back) takes it in.
      expect(existsSync(join(knowledge.dir, "lich.txt"))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
