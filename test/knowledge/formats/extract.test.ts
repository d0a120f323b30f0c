import { describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import { sniffDocument } from "../../../src/knowledge/formats/sniff.js";

describe("what a file is, by its bytes", () => {
  it("knows the formats people send, whatever the file is called", () => {
    expect(sniffDocument(Buffer.from("%PDF-1.7\n…"), "ke-hoach.txt")).toMatchObject({ format: "pdf" });
    expect(sniffDocument(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toMatchObject({
      format: "doc",
    });
    const zip = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from("....[Content_Types].xml word/document.xml"),
    ]);
    expect(sniffDocument(zip, "x.doc")).toMatchObject({ format: "docx", label: "Word (.docx)" });
    expect(sniffDocument(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toMatchObject({ format: "image" });
    expect(sniffDocument(Buffer.from("# Kế hoạch\n"), "ke-hoach.md")).toMatchObject({ format: "markdown" });
    expect(sniffDocument(Buffer.from("Kế hoạch\n"), "ke-hoach.txt")).toMatchObject({ format: "text" });
  });

  it("names what it cannot read, and an empty file as empty", () => {
    expect(sniffDocument(Buffer.from("{\\rtf1 …}"))).toEqual({ kind: "unsupported", label: "Word (.rtf)" });
    expect(sniffDocument(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toEqual({
      kind: "unsupported",
      label: "tệp nén (zip)",
    });
    expect(sniffDocument(Buffer.from([1, 2, 3, 0, 5]))).toEqual({
      kind: "unsupported",
      label: "tệp nhị phân",
    });
    expect(sniffDocument(Buffer.from(" \n\t\n"))).toEqual({ kind: "empty" });
    expect(sniffDocument(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual({ kind: "empty" });
  });
});

describe("reading a text file", () => {
  it("reads UTF-16 with its byte-order mark as well as UTF-8", async () => {
    const text = "Dân biết, dân bàn\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    expect((await extractDocument(le, "a.txt")).text).toBe("Dân biết, dân bàn\n");
    expect((await extractDocument(Buffer.from(text), "a.txt")).text).toBe("Dân biết, dân bàn\n");
  });

  it("refuses what it cannot read with the reason, not mojibake", async () => {
    await expect(extractDocument(Buffer.from([0x43, 0xe1, 0xba, 0x28]), "a.txt")).rejects.toThrow(/UTF-8/);
    await expect(extractDocument(Buffer.from(""), "a.txt")).rejects.toThrow(/rỗng/);
  });
});

describe("Office files other than Word", () => {
  const ole = (streams: string[]) => {
    // An OLE header and a directory sector holding the streams' names, as Office writes them.
    const b = Buffer.alloc(1536);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b);
    streams.forEach((name, i) => {
      Buffer.from(`${name}\0`, "utf16le").copy(b, 512 + i * 128);
    });
    return b;
  };
  const zip = (names: string) =>
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(`....[Content_Types].xml ${names}`)]);

  it("are named as they are, not as a Word file", async () => {
    expect(sniffDocument(zip("_rels/.rels xl/workbook.xml"), "bang.docx")).toEqual({
      kind: "unsupported",
      label: "Excel (.xlsx)",
    });
    expect(sniffDocument(zip("_rels/.rels ppt/presentation.xml"))).toEqual({
      kind: "unsupported",
      label: "PowerPoint (.pptx)",
    });
    await expect(extractDocument(ole(["Root Entry", "Workbook"]), "bang.xls")).rejects.toThrow(
      "định dạng Excel (.xls) chưa được hỗ trợ",
    );
    expect(sniffDocument(ole(["Root Entry", "PowerPoint Document"]))).toEqual({
      kind: "unsupported",
      label: "PowerPoint (.ppt)",
    });
  });

  it("leaves a Word file, and a password-protected Office file, to the Word reader", async () => {
    expect(sniffDocument(ole(["Root Entry", "WordDocument", "1Table"]))).toMatchObject({ format: "doc" });
    await expect(extractDocument(ole(["Root Entry", "EncryptedPackage"]), "mat-khau.docx")).rejects.toThrow(
      "tệp Word có mật khẩu",
    );
  });
});
