import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fill, loadReplies, PROMPTS_DIR } from "../src/prompts.js";
import { tempDir } from "./helpers.js";

describe("reply templates", () => {
  it("fills every placeholder, and refuses to leave one unfilled for a person to read", () => {
    expect(fill("Thông báo #{id} tới {n} nơi", { id: 3, n: 2 })).toBe("Thông báo #3 tới 2 nơi");
    expect(() => fill("Không có thông báo #{id} đang chờ gửi.", {})).toThrowError(/\{id\}/);
  });

  it("use only placeholders made of letters, digits and _, with no stray braces", async () => {
    const replies = await loadReplies();
    for (const [key, template] of Object.entries(replies)) {
      const stray = template.replace(/\{\w+\}/g, "");
      expect(stray, key).not.toMatch(/[{}]/);
    }
  });

  it("stop start-up naming a template edited to use a placeholder the code does not fill", async () => {
    const dir = await tempDir();
    await cp(PROMPTS_DIR, dir, { recursive: true });
    const path = join(dir, "replies.yaml");
    const yaml = await readFile(path, "utf8");
    await writeFile(
      path,
      yaml.replace(
        'notice_cancelled: "Đã huỷ thông báo #{id}."',
        'notice_cancelled: "Đã huỷ thông báo #{so}."',
      ),
    );
    await expect(loadReplies(dir)).rejects.toThrowError(/"notice_cancelled" dùng \{so\}.*\{id\}/);
  });
});
