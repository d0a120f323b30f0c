/**
 * An administrator sends a document to the bot on Telegram, end to end: the real bot (src/main.ts)
 * against the fake Bot API, its getFile and file download. Preview → add → a question cited from
 * it; a new version → "Thay cho" → the old source button still shows the old text; the list,
 * remove with confirmation; a non-administrator's file, a too-large one, a refused format, a
 * failed download and cancel, each leaving the documents folder as it was.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../cli/run-cli.js";
import {
  BOT_USER,
  type FakeTelegram,
  type RecordedCall,
  startFakeTelegram,
} from "../fakes/telegram-server.js";
import { copyOfKnowledge, tempDir } from "../helpers.js";

const TOKEN = "123456789:UPLOAD-token-abcdefghijklmnop";
const admin = { id: 4242, is_bot: false, first_name: "Lan" };
const adminChat = { id: 4242, type: "private", first_name: "Lan" };
const citizen = { id: 5151, is_bot: false, first_name: "Minh" };
const citizenChat = { id: 5151, type: "private", first_name: "Minh" };

const PLAN = (place: string) => `ĐẢNG ỦY XÃ AN BÌNH
Số 15-KH/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
An Bình, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
tổ chức Hội nghị biểu dương mô hình dân vận khéo năm 2025

I. MỤC ĐÍCH, YÊU CẦU

1. Biểu dương, khen thưởng các tập thể, cá nhân có mô hình dân vận khéo tiêu biểu trên địa bàn xã trong năm 2025.

2. Hội nghị phải được tổ chức trang trọng, tiết kiệm, đúng thành phần.

II. NỘI DUNG

1. Hội nghị biểu dương mô hình dân vận khéo được tổ chức tại ${place} vào sáng ngày 20 tháng 5 năm 2025.

2. Mỗi chi bộ cử 03 đại biểu dự hội nghị, trong đó có ít nhất 01 đoàn viên thanh niên.

III. TỔ CHỨC THỰC HIỆN

1. Ban Dân vận Đảng ủy xã chủ trì, phối hợp với Mặt trận Tổ quốc xã chuẩn bị nội dung hội nghị.

2. Văn phòng Đảng ủy bảo đảm kinh phí tổ chức hội nghị.
`;

let tg: FakeTelegram;
let bot: ReturnType<typeof startBot>;
let knowledge: string;
let msgId = 1;
let cbId = 1;

const message = (from: object, chat: object, extra: object) => ({
  message: { message_id: msgId++, date: Math.floor(Date.now() / 1000), chat, from, ...extra },
});
const documentMessage = (from: object, chat: object, fileId: string, name: string, size: number) =>
  message(from, chat, {
    document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: name, file_size: size },
  });

beforeAll(async () => {
  tg = await startFakeTelegram();
  knowledge = await copyOfKnowledge();
  bot = startBot({
    KNOWLEDGE_DIR: knowledge,
    DATA_DIR: await tempDir(),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_ADMIN_IDS: "4242",
  });
  await tg.waitFor(
    (c) => c.method === "setMyCommands" && JSON.stringify(c.params.scope ?? "").includes("4242"),
    30_000,
  );
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await tg.close();
});

/** What a person reads: the HTML without tags, entities back to characters. */
const visible = (c: RecordedCall) =>
  String(c.params.text)
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
type Keyboard = { text: string; callback_data: string }[][];
const keyboardOf = (c: RecordedCall) =>
  ((c.params.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? []).flat();
const button = (c: RecordedCall, label: string) => {
  const b = keyboardOf(c).find((x) => x.text.includes(label));
  if (!b) throw new Error(`no button «${label}» under: ${visible(c)}`);
  return b.callback_data;
};

/**
 * Waits for a message to the chat whose visible text matches, sent after `push` (or after the
 * chat's `since`-th message, for the second reply to one push).
 */
const reply = async (
  chatId: number,
  push: () => void,
  matching: RegExp,
  timeout = 30_000,
  since?: number,
): Promise<RecordedCall> => {
  const before = since ?? tg.sent(chatId).length;
  push();
  let found: RecordedCall | undefined;
  await expect
    .poll(
      () => {
        found = tg
          .sent(chatId)
          .slice(before)
          .find((c) => matching.test(visible(c)));
        return found !== undefined;
      },
      { timeout },
    )
    .toBe(true);
  return found as RecordedCall;
};
const press = (from: object, chat: object, data: string) =>
  tg.push({
    callback_query: {
      id: `cb${cbId++}`,
      from,
      chat_instance: "x",
      data,
      message: { message_id: 1, date: 0, chat, from: BOT_USER, text: "…" },
    },
  });
const ask = (question: string) =>
  reply(
    4242,
    () => tg.push(message(admin, adminChat, { text: question })),
    /Trả lời|\[1\]|Tôi chưa|không tìm/,
  );
/** The files of the documents folder (what would be indexed), without the hidden ones. */
const documentFiles = async () => (await readdir(knowledge)).filter((n) => !n.startsWith(".")).sort();
const downloads = () => tg.calls.filter((c) => c.method === "getFile" || c.method === "downloadFile").length;

describe("an administrator sends a document on Telegram", () => {
  let firstAnswer: RecordedCall;
  let secondAnswer: RecordedCall;

  it("reads a .txt plan and previews what will be indexed: title, kind, number, date, issuer, passages, sections", async () => {
    const bytes = Buffer.from(PLAN("hội trường Ủy ban nhân dân xã An Bình"));
    tg.addFile("plan-1", bytes);
    const start = tg.sent(4242).length;
    const reading = await reply(
      4242,
      () =>
        tg.push(
          documentMessage(admin, adminChat, "plan-1", "Kế hoạch hội nghị dân vận khéo.txt", bytes.length),
        ),
      /đang đọc/,
    );
    expect(visible(reading)).toContain("«Kế hoạch hội nghị dân vận khéo.txt»");
    // The preview follows the "reading" message, possibly before the poll above saw that one.
    const preview = await reply(4242, () => undefined, /Đã đọc/, 30_000, start);
    const text = visible(preview);
    expect(text).toContain("Tiêu đề: Kế hoạch tổ chức Hội nghị biểu dương mô hình dân vận khéo năm 2025");
    expect(text).toContain("Kế hoạch · số 15-KH/ĐU · Đảng ủy Xã An Bình · 12/03/2025");
    expect(text).toContain("6 đoạn trích dẫn được");
    expect(text).toContain("I. MỤC ĐÍCH, YÊU CẦU › 1; I. MỤC ĐÍCH, YÊU CẦU › 2; II. NỘI DUNG › 1");
    // Nothing in the shipped knowledge has this number or title: add or cancel only.
    expect(keyboardOf(preview).map((b) => b.text)).toEqual(["➕ Thêm vào tài liệu", "❌ Huỷ"]);
    for (const b of keyboardOf(preview)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    // Not stored until confirmed.
    expect(await documentFiles()).not.toContain("Kế hoạch hội nghị dân vận khéo.txt");

    const done = await reply(4242, () => press(admin, adminChat, button(preview, "Thêm")), /Đã thêm/);
    expect(visible(done)).toBe(
      "✅ Đã thêm «Kế hoạch tổ chức Hội nghị biểu dương mô hình dân vận khéo năm 2025»: 6 đoạn; từ giờ câu hỏi được trả lời từ tài liệu này.",
    );
    expect(tg.sent(4242).some((c) => visible(c).includes("Đang lưu tệp và cập nhật chỉ mục"))).toBe(true);
    // The original file, under its safe name, beside the others.
    expect(await readFile(join(knowledge, "Kế hoạch hội nghị dân vận khéo.txt"))).toEqual(bytes);
  }, 60_000);

  it("answers a question from the added document, citing it", async () => {
    firstAnswer = await ask("Hội nghị biểu dương mô hình dân vận khéo được tổ chức ở đâu?");
    const text = visible(firstAnswer);
    expect(text).toContain("hội trường Ủy ban nhân dân xã An Bình");
    expect(text).toContain("— Kế hoạch 15-KH/ĐU · II.1");
  }, 30_000);

  it("offers to replace the document a new version matches (same number), and the old source button still shows the old text", async () => {
    const bytes = Buffer.from(PLAN("nhà văn hoá thôn Bình Minh"));
    tg.addFile("plan-2", bytes);
    const preview = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "plan-2", "KH 15 (sửa).txt", bytes.length)),
      /Đã đọc/,
    );
    expect(keyboardOf(preview).map((b) => b.text)).toEqual([
      "➕ Thêm vào tài liệu",
      "🔁 Thay cho «Kế hoạch 15-KH/ĐU»",
      "❌ Huỷ",
    ]);
    const done = await reply(4242, () => press(admin, adminChat, button(preview, "Thay cho")), /Đã thay/);
    expect(visible(done)).toContain("Đã thay «Kế hoạch 15-KH/ĐU» bằng «Kế hoạch tổ chức Hội nghị biểu dương");
    // Replaced in place: one document, the old file kept in .removed/.
    const files = await documentFiles();
    expect(files).toContain("Kế hoạch hội nghị dân vận khéo.txt");
    expect(files).not.toContain("KH 15 (sửa).txt");
    expect(await readFile(join(knowledge, "Kế hoạch hội nghị dân vận khéo.txt"), "utf8")).toContain(
      "Bình Minh",
    );
    expect(
      (await readdir(join(knowledge, ".removed"))).some((n) =>
        n.endsWith("Kế hoạch hội nghị dân vận khéo.txt"),
      ),
    ).toBe(true);

    secondAnswer = await ask("Hội nghị biểu dương mô hình dân vận khéo được tổ chức ở đâu?");
    expect(visible(secondAnswer)).toContain("nhà văn hoá thôn Bình Minh");

    // The button under the first answer: the text it quoted, said to be the old version.
    const old = await reply(4242, () => press(admin, adminChat, button(firstAnswer, "Nguồn 1")), /Nguồn 1/);
    expect(visible(old)).toContain("hội trường Ủy ban nhân dân xã An Bình");
    expect(visible(old)).toMatch(
      /Đoạn này trích từ bản cũ của «Kế hoạch 15-KH\/ĐU», đã được thay bằng bản mới ngày \d\d\/\d\d\/\d{4}/,
    );
  }, 90_000);

  it("lists the documents with dates, passages and status, and removes one after asking", async () => {
    const list = await reply(
      4242,
      () => tg.push(message(admin, adminChat, { text: "/quanlytailieu" })),
      /Tài liệu của bot/,
    );
    const text = visible(list);
    expect(text).toMatch(
      /1\. Kế hoạch thực hiện KL 43-KL\/TW \(000_3cba0417107b8cbb\.txt\): \d+ đoạn, thêm \d\d\/\d\d\/\d{4}, cập nhật/,
    );
    expect(text).toMatch(
      /Kế hoạch 15-KH\/ĐU \(Kế hoạch hội nghị dân vận khéo\.txt\): 6 đoạn, thêm \d\d\/\d\d\/\d{4}, cập nhật \d\d\/\d\d\/\d{4}/,
    );
    const n = /(\d)\. Kế hoạch 15-KH/.exec(text)?.[1] as string;
    const confirm = await reply(
      4242,
      () => press(admin, adminChat, button(list, `Gỡ ${n}`)),
      /Gỡ «Kế hoạch 15-KH\/ĐU»/,
    );
    expect(visible(confirm)).toContain("tệp được giữ trong thư mục .removed");
    const removed = await reply(4242, () => press(admin, adminChat, button(confirm, "🗑 Gỡ «")), /Đã gỡ/);
    expect(visible(removed)).toBe(
      "✅ Đã gỡ «Kế hoạch 15-KH/ĐU» (Kế hoạch hội nghị dân vận khéo.txt); câu hỏi không còn được trả lời từ tài liệu này.",
    );
    expect(await documentFiles()).not.toContain("Kế hoạch hội nghị dân vận khéo.txt");
    const after = await ask("Hội nghị biểu dương mô hình dân vận khéo được tổ chức ở đâu?");
    expect(visible(after)).not.toContain("Bình Minh");
    // A source button under an answer given before the removal: the text it quoted, said to be removed.
    const old = await reply(4242, () => press(admin, adminChat, button(secondAnswer, "Nguồn 1")), /Nguồn 1/);
    expect(visible(old)).toContain("nhà văn hoá thôn Bình Minh");
    expect(visible(old)).toMatch(/bản cũ của «Kế hoạch 15-KH\/ĐU», đã được gỡ khỏi tài liệu của bot ngày/);
  }, 90_000);

  it("cancels: nothing stored", async () => {
    const bytes = Buffer.from("Ghi chú\n\nMột ghi chú ngắn về công tác dân vận ở thôn, không cần lưu lại.\n");
    tg.addFile("note-1", bytes);
    const before = await documentFiles();
    const preview = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "note-1", "ghi-chu.md", bytes.length)),
      /Đã đọc/,
    );
    expect(visible(preview)).toContain("(Markdown)");
    const cancelled = await reply(4242, () => press(admin, adminChat, button(preview, "Huỷ")), /Đã huỷ/);
    expect(visible(cancelled)).toBe("Đã huỷ, không lưu tệp.");
    expect(await documentFiles()).toEqual(before);
    // The preview's buttons are gone, and pressing an old one again says it is no longer waiting.
    expect(tg.calls.some((c) => c.method === "editMessageReplyMarkup")).toBe(true);
    const stale = await reply(
      4242,
      () => press(admin, adminChat, button(preview, "Thêm")),
      /đã chờ quá 30 phút hoặc đã được xử lý/,
    );
    expect(stale).toBeDefined();
    expect(await documentFiles()).toEqual(before);
  }, 30_000);

  it("reads a UTF-16 text file as the text it is", async () => {
    const text = PLAN("sân vận động xã").replace("15-KH/ĐU", "16-KH/ĐU");
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    tg.addFile("utf16", bytes);
    const preview = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "utf16", "kh16.txt", bytes.length)),
      /Đã đọc/,
    );
    expect(visible(preview)).toContain("số 16-KH/ĐU");
    await reply(4242, () => press(admin, adminChat, button(preview, "Huỷ")), /Đã huỷ/);
  }, 30_000);

  it("takes a photo of a page as an image: the largest size is downloaded and read by the image reader", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    tg.addFile("photo-small", jpeg);
    tg.addFile("photo-large", jpeg);
    const said = await reply(
      4242,
      () =>
        tg.push(
          message(admin, adminChat, {
            photo: [
              {
                file_id: "photo-small",
                file_unique_id: "ps",
                width: 90,
                height: 120,
                file_size: jpeg.length,
              },
              {
                file_id: "photo-large",
                file_unique_id: "pl",
                width: 1200,
                height: 1600,
                file_size: jpeg.length,
              },
            ],
          }),
        ),
      // Previewed where the OCR reader can read it, else refused by name with its reason.
      /^(Đã đọc|Không đọc được) «anh-\d+\.jpg»/,
    );
    expect(visible(said)).toMatch(/ảnh JPEG|\.jpg»/);
    expect(tg.calls.filter((c) => c.method === "getFile").map((c) => c.params.file_id)).toContain(
      "photo-large",
    );
    expect(tg.calls.filter((c) => c.method === "getFile").map((c) => c.params.file_id)).not.toContain(
      "photo-small",
    );
  }, 120_000);

  it("refuses a format it cannot read, by name, and stores nothing", async () => {
    const before = await documentFiles();
    const rtf = Buffer.from("{\\rtf1\\ansi K\\'e1 ho\\'e1ch}");
    tg.addFile("rtf-1", rtf);
    const refused = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "rtf-1", "ke-hoach.rtf", rtf.length)),
      /Không đọc được/,
    );
    expect(visible(refused)).toBe(
      "Không đọc được «ke-hoach.txt»: định dạng Word (.rtf) chưa được hỗ trợ. Chưa có gì được lưu; tài liệu của bot vẫn như trước.",
    );
    expect(keyboardOf(refused)).toEqual([]);
    expect(await documentFiles()).toEqual(before);
  }, 30_000);

  it("says a file over 20 MB is too large before downloading anything", async () => {
    const before = downloads();
    tg.addFile("big-1", Buffer.from("x"), { size: 25_000_000 });
    const refused = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "big-1", "Báo cáo năm.pdf", 25_000_000)),
      /nặng/,
    );
    expect(visible(refused)).toContain(
      "Tệp «Báo cáo năm.pdf» nặng 25,0 MB, lớn hơn mức 20 MB mà Telegram cho bot tải về",
    );
    expect(downloads()).toBe(before);
    // A message that does not say its size: getFile does, and nothing is downloaded.
    tg.addFile("big-2", Buffer.from("x"), { size: 21_000_000 });
    const unsized = message(admin, adminChat, {
      document: { file_id: "big-2", file_unique_id: "ubig-2", file_name: "Scan.pdf" },
    });
    const fetched = tg.calls.filter((c) => c.method === "downloadFile").length;
    const said = await reply(4242, () => tg.push(unsized), /Scan\.pdf» nặng/);
    expect(visible(said)).toContain("nặng 21,0 MB, lớn hơn mức 20 MB mà Telegram cho bot tải về");
    expect(tg.calls.some((c) => c.method === "getFile" && c.params.file_id === "big-2")).toBe(true);
    expect(tg.calls.filter((c) => c.method === "downloadFile")).toHaveLength(fetched);
    // Telegram's 20 MB are MiB (20 971 520 bytes): a file of 20,9 MB is downloaded and read.
    const plan = Buffer.from(planOf("33-KH/ĐU", "rà soát hồ sơ dân vận năm 2025", "thôn Nam"));
    tg.addFile("near-limit", plan, { size: 20_900_000 });
    const read = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "near-limit", "KH 33.txt", 20_900_000)),
      /Đã đọc «KH 33\.txt»/,
    );
    expect(tg.calls.some((c) => c.method === "getFile" && c.params.file_id === "near-limit")).toBe(true);
    await reply(4242, () => press(admin, adminChat, button(read, "Huỷ")), /Đã huỷ/);
  }, 30_000);

  it("answers a failed download kindly, stores nothing and logs no token", async () => {
    const before = await documentFiles();
    tg.addFile("broken-1", Buffer.from(PLAN("đâu đó")), { failDownload: true });
    const said = await reply(
      4242,
      () => tg.push(documentMessage(admin, adminChat, "broken-1", "kh.txt", 100)),
      /Không tải được tệp/,
    );
    expect(visible(said)).toContain("Chưa có gì thay đổi");
    expect(await documentFiles()).toEqual(before);
    expect(bot.stderrText()).toContain("không tải được tệp từ Telegram");
    // A malformed update (a document without its file_id): logged, answered kindly.
    const malformed = message(admin, adminChat, { document: { file_unique_id: "bad", file_name: "x.txt" } });
    const kind = await reply(4242, () => tg.push(malformed), /Không tải được tệp/);
    expect(kind).toBeDefined();
    expect(bot.stderrText()).toContain("tin nhắn tệp Telegram không có file_id");
    expect(await documentFiles()).toEqual(before);
    expect(bot.stderrText()).not.toContain("UPLOAD-token");
    // Neither the documents' text nor the questions asked about them.
    expect(bot.stderrText()).not.toContain("hội trường Ủy ban nhân dân");
    expect(bot.stderrText()).not.toContain("được tổ chức ở đâu");
  }, 30_000);

  it("tells someone who is not an administrator that only administrators add documents, downloading nothing", async () => {
    const before = downloads();
    const files = await documentFiles();
    const staged = async () => (await readdir(join(knowledge, ".uploads")).catch(() => [])).sort();
    const stagedBefore = await staged();
    tg.addFile("citizen-1", Buffer.from(PLAN("nhà tôi")));
    const note = await reply(
      5151,
      () => tg.push(documentMessage(citizen, citizenChat, "citizen-1", "kh.txt", 900)),
      /quản trị viên/,
    );
    expect(visible(note)).toContain("Chỉ quản trị viên của bot mới thêm được tài liệu");
    const photo = await reply(
      5151,
      () =>
        tg.push(
          message(citizen, citizenChat, {
            photo: [{ file_id: "citizen-1", file_unique_id: "p", width: 800, height: 1000, file_size: 900 }],
          }),
        ),
      /quản trị viên/,
    );
    expect(photo).toBeDefined();
    expect(downloads()).toBe(before);
    expect(await documentFiles()).toEqual(files);
    expect(await staged()).toEqual(stagedBefore);
    // Nor do they get the list (their presses on an administrator's buttons: see the group test below).
    const list = await reply(
      5151,
      () => tg.push(message(citizen, citizenChat, { text: "/quanlytailieu" })),
      /quản trị viên/,
    );
    expect(visible(list)).toBe("Xin lỗi, lệnh này chỉ dành cho quản trị viên của bot.");
  }, 30_000);
});

/** A plan of its own number and title, so it matches no other document. */
const planOf = (number: string, title: string, place: string) =>
  PLAN(place)
    .replace("15-KH/ĐU", number)
    .replace("tổ chức Hội nghị biểu dương mô hình dân vận khéo năm 2025", title);
/** Sends `text` as the file `name` and waits for its preview. */
const previewOf = async (fileId: string, name: string, text: string) => {
  const bytes = Buffer.from(text);
  tg.addFile(fileId, bytes);
  return reply(4242, () => tg.push(documentMessage(admin, adminChat, fileId, name, bytes.length)), /Đã đọc/);
};
/** The chat's messages after the `since`-th whose visible text matches. */
const saidSince = (chatId: number, since: number, matching: RegExp) =>
  tg
    .sent(chatId)
    .slice(since)
    .filter((c) => matching.test(visible(c)));
const rebuilds = () => bot.stderrText().split("đã xây lại chỉ mục sau thay đổi tài liệu").length - 1;
const ALREADY = /Việc này đã được thực hiện từ lần bấm trước, không cần bấm lại\./;

describe("a confirmation pressed twice, and a button pressed by someone else", () => {
  it("two presses of «Thêm» delivered together: one document added, one rebuild, one success, the other told it was done", async () => {
    const preview = await previewOf(
      "twice-add",
      "KH 31 hai lần.txt",
      planOf("31-KH/ĐU", "tập huấn dân vận khéo cho cán bộ thôn năm 2025", "nhà văn hoá thôn Đông"),
    );
    const data = button(preview, "Thêm");
    const since = tg.sent(4242).length;
    const built = rebuilds();
    press(admin, adminChat, data);
    press(admin, adminChat, data);
    await expect.poll(() => saidSince(4242, since, /Đã thêm/).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => saidSince(4242, since, ALREADY).length, { timeout: 10_000 }).toBe(1);
    expect(saidSince(4242, since, /Đã thêm/)).toHaveLength(1);
    expect(saidSince(4242, since, /đang được xây lại/)).toEqual([]);
    const files = await documentFiles();
    expect(files).toContain("KH 31 hai lần.txt");
    expect(files).not.toContain("KH 31 hai lần (2).txt");
    await expect.poll(rebuilds, { timeout: 10_000 }).toBe(built + 1);
  }, 60_000);

  it("two presses of «Thay cho» delivered together: replaced once, one old version kept, the other told it was done", async () => {
    const preview = await previewOf(
      "twice-replace",
      "KH 31 bản sửa.txt",
      planOf("31-KH/ĐU", "tập huấn dân vận khéo cho cán bộ thôn năm 2025", "hội trường xã"),
    );
    const data = button(preview, "Thay cho");
    const kept = async () =>
      (await readdir(join(knowledge, ".removed"))).filter((n) => n.endsWith("KH 31 hai lần.txt"));
    const keptBefore = (await kept()).length;
    const since = tg.sent(4242).length;
    const built = rebuilds();
    press(admin, adminChat, data);
    press(admin, adminChat, data);
    await expect.poll(() => saidSince(4242, since, /Đã thay/).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => saidSince(4242, since, ALREADY).length, { timeout: 10_000 }).toBe(1);
    expect(await readFile(join(knowledge, "KH 31 hai lần.txt"), "utf8")).toContain("hội trường xã");
    expect((await kept()).length).toBe(keptBefore + 1);
    await expect.poll(rebuilds, { timeout: 10_000 }).toBe(built + 1);
    expect(saidSince(4242, since, /Đã thay/)).toHaveLength(1);
  }, 60_000);

  it("two presses of a removal's confirmation: removed once, the other told it was done", async () => {
    const list = await reply(
      4242,
      () => tg.push(message(admin, adminChat, { text: "/quanlytailieu" })),
      /Tài liệu của bot/,
    );
    const n = /(\d+)\. Kế hoạch 31-KH/.exec(visible(list))?.[1] as string;
    const confirm = await reply(
      4242,
      () => press(admin, adminChat, button(list, `Gỡ ${n}`)),
      /Gỡ «Kế hoạch 31-KH\/ĐU»/,
    );
    const data = button(confirm, "🗑 Gỡ «");
    const since = tg.sent(4242).length;
    const built = rebuilds();
    press(admin, adminChat, data);
    press(admin, adminChat, data);
    await expect.poll(() => saidSince(4242, since, /Đã gỡ/).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => saidSince(4242, since, ALREADY).length, { timeout: 10_000 }).toBe(1);
    expect(await documentFiles()).not.toContain("KH 31 hai lần.txt");
    await expect.poll(rebuilds, { timeout: 10_000 }).toBe(built + 1);
  }, 60_000);

  it("someone who is not an administrator pressing an administrator's buttons in a group: an alert to them only, the preview untouched, the folder unchanged", async () => {
    const group = { id: -1001234, type: "supergroup", title: "Chi bộ thôn Đông" };
    const preview = await previewOf(
      "citizen-press",
      "KH 32.txt",
      planOf("32-KH/ĐU", "kiểm tra dân vận khéo ở các chi bộ năm 2025", "thôn Tây"),
    );
    const list = await reply(
      4242,
      () => tg.push(message(admin, adminChat, { text: "/quanlytailieu" })),
      /Tài liệu của bot/,
    );
    const files = await documentFiles();
    const edits = () => tg.calls.filter((c) => c.method === "editMessageReplyMarkup").length;
    const editsBefore = edits();
    for (const data of [button(preview, "Thêm"), button(list, "Gỡ 1")]) {
      const id = `cb${cbId}`;
      press(citizen, group, data);
      const answer = await tg.waitFor(
        (c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === id,
        10_000,
      );
      expect(answer.params.text).toBe("Xin lỗi, lệnh này chỉ dành cho quản trị viên của bot.");
      expect(answer.params.show_alert).toBe(true);
    }
    // Nothing said in the group, the preview keeps its buttons, nothing changed.
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.sent(group.id)).toEqual([]);
    expect(edits()).toBe(editsBefore);
    expect(await documentFiles()).toEqual(files);
    // The administrator's own press still works afterwards.
    const done = await reply(4242, () => press(admin, adminChat, button(preview, "Huỷ")), /Đã huỷ/);
    expect(done).toBeDefined();
  }, 60_000);

  it("shows a long list ten documents at a time, turning the page in place with ‹ ›", async () => {
    // Files copied into the folder by hand, taken in by the next rebuild (an upload's).
    for (let i = 1; i <= 11; i++)
      await writeFile(
        join(knowledge, `thong-bao-${String(i).padStart(2, "0")}.txt`),
        `THÔNG BÁO\nvề lịch tiếp dân đợt ${i}\n\n1. Ban Dân vận tiếp dân vào sáng thứ Hai tuần thứ ${i}.\n`,
      );
    const preview = await previewOf(
      "page-plan",
      "KH 34.txt",
      planOf("34-KH/ĐU", "đối thoại với nhân dân năm 2025", "thôn Bắc"),
    );
    await reply(4242, () => press(admin, adminChat, button(preview, "Thêm")), /Đã thêm/);
    const list = await reply(
      4242,
      () => tg.push(message(admin, adminChat, { text: "/quanlytailieu" })),
      /Tài liệu của bot/,
    );
    const text = visible(list);
    const pages = Number(/\(trang 1\/(\d+)\):/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^10\. /m);
    expect(text).not.toMatch(/^11\. /m);
    const labels = keyboardOf(list).map((b) => b.text);
    expect(labels).toContain("Trang sau ›");
    expect(labels).not.toContain("‹ Trang trước");
    expect(labels).not.toContain("🗑 Gỡ 11");
    expect(labels.length).toBeLessThanOrEqual(100);
    const edits = tg.calls.filter((c) => c.method === "editMessageText").length;
    press(admin, adminChat, button(list, "Trang sau ›"));
    await expect.poll(() => tg.calls.filter((c) => c.method === "editMessageText").length).toBe(edits + 1);
    const second = tg.calls.filter((c) => c.method === "editMessageText").at(-1) as RecordedCall;
    expect(visible(second)).toMatch(/^Tài liệu của bot \(trang 2\/\d+\):/);
    expect(visible(second)).toMatch(/^11\. /m);
    expect(visible(second)).not.toMatch(/^10\. /m);
    expect(keyboardOf(second).map((b) => b.text)).toContain("‹ Trang trước");
    expect(keyboardOf(second).map((b) => b.text)).toContain("🗑 Gỡ 11");
  }, 60_000);
});
