import { describe, expect, it } from "vitest";
import { fill, loadReplies } from "../src/prompts.js";

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
});
