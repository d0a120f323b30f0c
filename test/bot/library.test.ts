/**
 * Documents changed in chat (src/bot/library.ts) over a real documents folder, a real index built
 * by the ingest pipeline and a real ledger: changes confirmed together queue instead of being
 * refused; a failed rebuild takes the change back; an old version's passages are dated by the
 * swap; a replacement never takes another document's name; the limits and the reasons a person
 * reads; the list's last line where there are no buttons.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLibrary, fileKey } from "../../src/bot/library.js";
import { createLibraryLedger } from "../../src/bot/library-ledger.js";
import type { Action, Incoming, Reply } from "../../src/bot/types.js";
import { buildIndex, type LoadedIndex, loadIndex } from "../../src/search/index-store.js";
import { createDocumentFiles } from "../../src/server/web/document-files.js";
import { createReindexer, type IngestPipeline, ingestPipeline } from "../../src/server/web/reindex.js";
import { memoryLogger } from "../fakes/memory-logger.js";
import { tempDir } from "../helpers.js";
import { prompts } from "./test-engine.js";

const r = prompts.replies;
const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const PLAN = await readFile(join(FIXTURES, "documents/kh-dang-mau.txt"), "utf8");
const admin = (channel: Incoming["channel"] = "telegram"): Incoming => ({
  channel,
  chatId: "4242",
  chatType: "private",
  userId: "4242",
  text: "",
  addressed: true,
});

/** A library over a folder holding `files`, its index built; `fail` makes the next rebuild fail. */
async function libraryOver(
  files: Record<string, string | Uint8Array>,
  o: { maxDocumentBytes?: number } = {},
) {
  const knowledge = await tempDir();
  const indexDir = join(await tempDir(), "index");
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(knowledge, name), bytes);
  await buildIndex(knowledge, indexDir);
  let loaded = (await loadIndex(indexDir)) as LoadedIndex;
  let clock = Date.parse("2026-12-01T08:00:00Z");
  const now = () => new Date(clock);
  const swaps: string[] = [];
  const { logger, text: logged } = memoryLogger();
  const real = ingestPipeline({
    knowledgeDir: knowledge,
    indexDir,
    // A rebuild takes its time: the new index is live a minute after the change was written.
    swap: async () => {
      clock += 60_000;
      swaps.push(now().toISOString());
      loaded = (await loadIndex(indexDir)) as LoadedIndex;
    },
    announce: async () => undefined,
    logger,
  });
  const failures: Error[] = [];
  const pipeline: IngestPipeline = (progress) => {
    const failure = failures.shift();
    return failure ? Promise.reject(failure) : real(progress);
  };
  const ledger = createLibraryLedger(knowledge, now);
  const library = createLibrary({
    files: createDocumentFiles(knowledge, now),
    reindexer: createReindexer({ pipeline, logger, now }),
    ledger,
    documents: () => loaded.index.documents,
    passagesOf: (id) => loaded.index.passages.filter((p) => p.docId === id),
    skipped: async () => loaded.manifest.skipped,
    isAdmin: () => true,
    replies: r,
    logger,
    maxDocumentBytes: o.maxDocumentBytes ?? 50_000_000,
    now,
  });
  const textOf = (replies: Reply[]) => replies.map((x) => ("text" in x ? x.text : "")).join("\n");
  /** Sends a file and returns its preview's text and buttons. */
  const send = async (name: string, bytes: string | Uint8Array, m = admin()) => {
    const [preview] = await library.preview(m, {
      name,
      bytes: typeof bytes === "string" ? Buffer.from(bytes) : bytes,
    });
    if (preview?.kind !== "choices")
      throw new Error(`no preview: ${preview && "text" in preview ? preview.text : ""}`);
    return preview;
  };
  /** Presses the button whose label contains `label`; the reply's text. */
  const press = async (choices: Reply, label: string, m = admin()) => {
    if (choices.kind !== "choices") throw new Error("no buttons");
    const b = choices.buttons.flat().find((x) => x.label.includes(label));
    if (!b) throw new Error(`no button «${label}»`);
    return textOf(await library.act(m, b.action as Extract<Action, { kind: "upload" | "library" }>));
  };
  const listed = async () => (await readdir(knowledge)).filter((n) => !n.startsWith(".")).sort();
  return {
    knowledge,
    library,
    ledger,
    send,
    press,
    listed,
    textOf,
    logged,
    swaps,
    index: () => loaded.index,
    at: (offsetMs: number) => new Date(clock + offsetMs).toISOString(),
    failNext: (err: Error) => failures.push(err),
  };
}

const diskFull = () =>
  Object.assign(new Error("ENOSPC: no space left on device, write '/srv/danvan/index/v-2/vectors.bin'"), {
    code: "ENOSPC",
  });

describe("documents changed in chat", () => {
  it("a second change confirmed while the first is being written waits for it, and both are made", async () => {
    const lib = await libraryOver({ "kh.txt": PLAN });
    const a = await lib.send(
      "Báo cáo A.txt",
      "BÁO CÁO\nvề công tác dân vận ở thôn Đông\n\n1. Thôn Đông đã tổ chức 12 buổi đối thoại với nhân dân.\n",
    );
    const b = await lib.send(
      "Báo cáo B.txt",
      "BÁO CÁO\nvề công tác dân vận ở thôn Tây\n\n1. Thôn Tây đã tổ chức 7 buổi đối thoại với nhân dân.\n",
    );
    const said = await Promise.all([lib.press(a, "Thêm"), lib.press(b, "Thêm")]);
    expect(said).toEqual([
      expect.stringMatching(/^✅ Đã thêm «Báo cáo về công tác dân vận ở thôn Đông»/),
      expect.stringMatching(/^✅ Đã thêm «Báo cáo về công tác dân vận ở thôn Tây»/),
    ]);
    expect(await lib.listed()).toEqual(["Báo cáo A.txt", "Báo cáo B.txt", "kh.txt"]);
    expect(
      lib
        .index()
        .documents.map((d) => d.source)
        .sort(),
    ).toEqual(["Báo cáo A.txt", "Báo cáo B.txt", "kh.txt"]);
  }, 60_000);

  it("a rebuild that fails takes the replacement back: the old file in place, the ledger as before, the reason in Vietnamese", async () => {
    const lib = await libraryOver({ "kh.txt": PLAN });
    const oldPassage = lib.index().passages[0]?.id as string;
    const askedAt = lib.at(-3600_000);
    const preview = await lib.send(
      "kh.txt",
      PLAN.replace("Nâng cao nhận thức", "Nâng cao hơn nữa nhận thức"),
    );
    lib.failNext(diskFull());
    const said = await lib.press(preview, "Thay cho");
    // "The bot still answers as before" is true of the folder and the ledger too.
    expect(await lib.listed()).toEqual(["kh.txt"]);
    expect(await readFile(join(lib.knowledge, "kh.txt"), "utf8")).toBe(PLAN);
    expect(await lib.ledger.entry("kh.txt")).toBeUndefined();
    expect(await lib.ledger.retiredPassage(oldPassage, askedAt)).toBeUndefined();
    expect(said).toBe(
      "Không cập nhật được chỉ mục: ổ đĩa của máy chủ đã đầy. Bot vẫn trả lời từ tài liệu như trước.",
    );
    expect(said).not.toContain("/srv");
    // The code is logged for whoever looks after the server.
    expect(lib.logged()).toContain("ENOSPC");
    // The next change starts from the folder as it was.
    const again = await lib.send("kh.txt", PLAN.replace("Nâng cao nhận thức", "Nâng cao hơn nữa nhận thức"));
    expect(await lib.press(again, "Thay cho")).toMatch(/^✅ Đã thay/);
    expect(await readFile(join(lib.knowledge, "kh.txt"), "utf8")).toContain("Nâng cao hơn nữa nhận thức");
  }, 60_000);

  it("a rebuild that fails takes an added file out of the folder again", async () => {
    const lib = await libraryOver({ "kh.txt": PLAN });
    const preview = await lib.send("Ghi chú.txt", "GHI CHÚ\nvề dân vận\n\n1. Họp thôn mỗi tháng một lần.\n");
    lib.failNext(diskFull());
    const said = await lib.press(preview, "Thêm");
    expect(await lib.listed()).toEqual(["kh.txt"]);
    expect(await lib.ledger.entry("Ghi chú.txt")).toBeUndefined();
    expect(said).toBe(
      "Không cập nhật được chỉ mục: ổ đĩa của máy chủ đã đầy. Bot vẫn trả lời từ tài liệu như trước.",
    );
  }, 60_000);

  it("keeps the replaced version's passages dated by the swap: an answer given while the rebuild ran still cites the old text", async () => {
    const lib = await libraryOver({ "kh.txt": PLAN });
    const oldPassage = lib.index().passages.find((p) => p.text.includes("Nâng cao nhận thức"))?.id as string;
    const preview = await lib.send(
      "kh.txt",
      PLAN.replace("Nâng cao nhận thức", "Nâng cao hơn nữa nhận thức"),
    );
    // Asked after the file was written (the clock's "now") but before the new index was live.
    const duringRebuild = lib.at(30_000);
    expect(await lib.press(preview, "Thay cho")).toMatch(/^✅ Đã thay/);
    const found = await lib.ledger.retiredPassage(oldPassage, duringRebuild);
    expect(found?.passage.text).toContain("Nâng cao nhận thức");
    expect(found?.document.at).toBe(lib.swaps.at(-1));
  }, 60_000);

  it("a replacement under another extension never takes the name of another file of the folder: a free name instead", async () => {
    const word = await readFile(join(FIXTURES, "formats/ke-hoach-dan-van.doc"));
    // kh.doc is the document; kh.txt beside it has its stem, so its id, and is listed as skipped.
    const lib = await libraryOver({ "kh.doc": word, "kh.txt": PLAN });
    expect(lib.index().documents.map((d) => d.source)).toEqual(["kh.doc"]);
    // "Thay" on kh.doc in the list, then the new file (text): under kh.doc's stem it would be kh.txt.
    expect(
      lib.textOf(await lib.library.act(admin(), { kind: "library", key: fileKey("kh.doc"), op: "replace" })),
    ).toMatch(/^Hãy gửi tệp mới cho «/);
    const next = PLAN.replace("123-KH/TU", "124-KH/TU");
    const preview = await lib.send("bản mới.txt", next);
    expect(await lib.press(preview, "Thay cho")).toMatch(/^✅ Đã thay/);
    expect(await readFile(join(lib.knowledge, "kh.txt"), "utf8")).toBe(PLAN);
    expect(await readFile(join(lib.knowledge, "kh (2).txt"), "utf8")).toBe(next);
    expect(await lib.listed()).toEqual(["kh (2).txt", "kh.txt"]);
  }, 60_000);

  it("names the limit that refuses a file: MAX_DOCUMENT_BYTES when it is below Telegram's 20 MB", async () => {
    const small = await libraryOver({ "kh.txt": PLAN }, { maxDocumentBytes: 5000 });
    const [said] = await small.library.preview(admin(), {
      name: "dai.txt",
      bytes: Buffer.from("a".repeat(6000)),
    });
    expect(said && "text" in said ? said.text : "").toBe(
      "Tệp «dai.txt» nặng 6,0 KB, lớn hơn giới hạn 5,0 KB đặt cho mỗi tài liệu của bot (MAX_DOCUMENT_BYTES). Hãy tách thành nhiều tệp nhỏ hơn, hoặc nhờ người quản lý máy chủ nâng giới hạn này.",
    );
    expect(small.library.tooBig("scan.pdf")).toContain(
      "lớn hơn giới hạn 5,0 KB đặt cho mỗi tài liệu của bot",
    );
    const usual = await libraryOver({ "kh.txt": PLAN });
    expect(usual.library.maxBytes).toBe(20 * 1024 * 1024);
    expect(usual.library.tooBig("scan.pdf", 25_000_000)).toBe(
      "Tệp «scan.pdf» nặng 25,0 MB, lớn hơn mức 20 MB mà Telegram cho bot tải về. Hãy tách thành nhiều tệp nhỏ hơn, hoặc đưa tệp lên trang quản trị hay bằng lệnh npm run ingest.",
    );
  }, 60_000);

  it("says why a file could not be written in Vietnamese, without the server's paths", async () => {
    const lib = await libraryOver({ "kh.txt": PLAN });
    // A folder in the way of the name the file would be written under.
    await mkdir(join(lib.knowledge, "Ghi chú.txt"));
    const preview = await lib.send("Ghi chú.txt", "GHI CHÚ\nvề dân vận\n\n1. Họp thôn mỗi tháng một lần.\n");
    expect(await lib.press(preview, "Thêm")).toBe(
      "Không lưu được «Ghi chú.txt»: trong thư mục tài liệu đã có một thư mục trùng tên. Tài liệu và chỉ mục vẫn như trước.",
    );
    expect(await lib.ledger.entry("Ghi chú.txt")).toBeUndefined();
  }, 60_000);

  it("ends the list with where the buttons are on a channel without them", async () => {
    const lib = await libraryOver({ "kh.txt": PLAN });
    const last = async (channel: Incoming["channel"]) =>
      lib
        .textOf(await lib.library.list(admin(channel)))
        .split("\n")
        .at(-1);
    expect(await last("telegram")).toBe(r.library_hint);
    const elsewhere =
      "Ở đây không có nút bấm: muốn gỡ, thay hay thêm tài liệu, hãy gõ /quanlytailieu với bot trên Telegram, hoặc vào trang quản trị (/quantri).";
    expect(await last("zalo")).toBe(elsewhere);
    expect(await last("console")).toBe(elsewhere);
  }, 60_000);
});

describe("a long list of documents", () => {
  it("is turned a page of ten at a time on Telegram, and shown whole where there are no buttons", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 23; i++)
      files[`tb-${String(i).padStart(2, "0")}.txt`] =
        `THÔNG BÁO\nvề lịch tiếp dân đợt ${i}\n\n1. Ban Dân vận tiếp dân vào sáng thứ Hai tuần thứ ${i}.\n`;
    const lib = await libraryOver(files);
    const [first] = await lib.library.list(admin());
    if (first?.kind !== "choices") throw new Error("no list");
    expect(first.text.split("\n")[0]).toBe("Tài liệu của bot (trang 1/3):");
    expect(first.text).toMatch(/^10\. .*tb-10\.txt/m);
    expect(first.text).not.toMatch(/^11\. /m);
    expect(first.buttons.at(-1)?.map((b) => b.label)).toEqual(["Trang sau ›"]);
    expect(first.buttons.flat().length).toBeLessThanOrEqual(100);
    const third = await lib.library.act(admin(), { kind: "library", op: "page", page: 2 });
    const last = third[0];
    if (last?.kind !== "choices") throw new Error("no list");
    expect(last.text.split("\n")[0]).toBe("Tài liệu của bot (trang 3/3):");
    expect(last.text).toMatch(/^23\. .*tb-23\.txt/m);
    expect(last.buttons.at(-1)?.map((b) => b.label)).toEqual(["‹ Trang trước"]);
    // Zalo and the terminal have no buttons to turn pages with: every document, one list.
    const whole = lib.textOf(await lib.library.list(admin("zalo")));
    expect(whole.split("\n")[0]).toBe("Tài liệu của bot:");
    expect(whole).toMatch(/^1\. .*tb-01\.txt/m);
    expect(whole).toMatch(/^23\. .*tb-23\.txt/m);
  }, 60_000);
});
