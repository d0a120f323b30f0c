import { describe, expect, it } from "vitest";
import { replacementName, safeFileName } from "../../../src/server/web/document-files.js";

describe("safe names for documents sent by a browser or a chat", () => {
  it("keeps a binary format's extension (its own when the name has another), and text as .txt or .md", () => {
    expect(safeFileName("Kế hoạch 12.docx", "docx")).toBe("Kế hoạch 12.docx");
    expect(safeFileName("Kế hoạch 12.doc", "docx")).toBe("Kế hoạch 12.docx");
    expect(safeFileName("bao-cao.txt", "pdf")).toBe("bao-cao.pdf");
    expect(safeFileName("Trang 1.JPG", "image")).toBe("Trang 1.jpg");
    expect(safeFileName("scan", "image")).toBe("scan.png");
    expect(safeFileName("cu.DOC", "doc")).toBe("cu.doc");
    expect(safeFileName("ghi chú.docx", "text")).toBe("ghi chú.txt");
    expect(safeFileName("ghi chú.md", "markdown")).toBe("ghi chú.md");
    expect(safeFileName("../../etc/passwd", "pdf")).toBe("passwd.pdf");
    expect(safeFileName("ghi chú.md")).toBe("ghi chú.md");
  });

  it("replaces a document under its own name, or its stem with the new format's extension", () => {
    expect(replacementName("ke-hoach.txt", "Bản mới.txt")).toBe("ke-hoach.txt");
    expect(replacementName("ke-hoach.md", "Bản mới.txt")).toBe("ke-hoach.md");
    expect(replacementName("luat/ke-hoach.txt", "Bản mới.docx")).toBe("luat/ke-hoach.docx");
    expect(replacementName("ke-hoach.pdf", "x.pdf")).toBe("ke-hoach.pdf");
  });
});
