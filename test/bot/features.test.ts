import { describe, expect, it } from "vitest";
import { COMMANDS, commandMenu, FEATURES, findCommand, helpText } from "../../src/bot/features/index.js";
import { prompts } from "./test-engine.js";

const r = prompts.replies;

describe("the feature registry", () => {
  it("groups every command in one family, each findable by its name and its aliases", () => {
    expect(FEATURES.map((f) => f.name)).toEqual([
      "questions",
      "documents",
      "library",
      "subscriptions",
      "announcements",
      "web",
      "study",
      "help",
    ]);
    for (const c of COMMANDS) for (const key of [c.name, ...c.aliases]) expect(findCommand(key), key).toBe(c);
    expect(findCommand("hoi")?.action).toBe("ask");
    expect(findCommand("docs")?.action).toBe("documents");
    expect(findCommand("quanlytailieu")).toMatchObject({ action: "library", access: "admin" });
    expect(findCommand("huongdan")?.action).toBe("help");
    expect(findCommand("xyz")).toBeUndefined();
  });

  it("writes /trogiup from the commands a person may use", () => {
    const everyone = helpText(r, false);
    expect(everyone).toBe(
      [
        "Cách dùng:",
        "• Gõ câu hỏi, hoặc /hoi <câu hỏi>",
        '• /nguon <số> hoặc "xem nguồn 2": đọc toàn văn đoạn trích số 2 của câu trả lời gần nhất',
        '• "nói rõ hơn" hoặc "còn gì nữa không?": xem thêm các đoạn liên quan đến câu hỏi vừa rồi',
        "• /tailieu: danh sách văn bản tôi đang dựa vào",
        r.help_study,
        "• /trogiup: xem lại hướng dẫn này",
        "Mỗi câu trả lời đều trích nguyên văn và ghi rõ văn bản, mục để bạn đối chiếu.",
      ].join("\n"),
    );
    const admin = helpText(r, true);
    for (const line of everyone.split("\n")) expect(admin).toContain(line);
    for (const command of ["/thongbao", "/hengio", "/lichhen", "/huyhen", "/thongke"]) {
      expect(admin).toContain(command);
      expect(everyone).not.toContain(command);
    }
  });

  it("gives the platforms' menus the same list: everyone's, and the administrators' with theirs", () => {
    const everyone = commandMenu(r, false).map((c) => c.command);
    expect(everyone).toEqual([
      "hoi",
      "nguon",
      "them",
      "tailieu",
      "dangky",
      "huydangky",
      "trangthai",
      "chuoi",
      "baihoc",
      "ketqua",
      "trogiup",
    ]);
    const admins = commandMenu(r, true).map((c) => c.command);
    expect(admins).toEqual(
      expect.arrayContaining([
        ...everyone,
        "thongbao",
        "hengio",
        "lichhen",
        "huyhen",
        "thongke",
        "taochuoi",
        "kiemtra",
      ]),
    );
    for (const c of commandMenu(r, true)) expect(c.description.length).toBeGreaterThan(0);
    expect(commandMenu(r, false)[0]?.description).toBe("Đặt câu hỏi về công tác dân vận");
  });
});
