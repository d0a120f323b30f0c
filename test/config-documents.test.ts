import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("MAX_DOCUMENT_PAGES", () => {
  it("defaults to 300 pages and takes a number of pages", () => {
    expect(loadConfig({}).maxDocumentPages).toBe(300);
    expect(loadConfig({ MAX_DOCUMENT_PAGES: "50" }).maxDocumentPages).toBe(50);
  });

  it("names the variable and what it expects when the value is wrong", () => {
    for (const value of ["0", "mười", "2.5", "20000"]) {
      expect(() => loadConfig({ MAX_DOCUMENT_PAGES: value })).toThrowError(ConfigError);
      expect(() => loadConfig({ MAX_DOCUMENT_PAGES: value })).toThrowError(
        /MAX_DOCUMENT_PAGES.*số trang từ 1 đến 10000 \(mặc định 300\)/,
      );
    }
  });
});
