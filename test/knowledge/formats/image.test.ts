import { describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/knowledge/formats/extract.js";
import { tiffPageSizes } from "../../../src/knowledge/formats/image.js";
import { type CommandRunner, createOcr, OCR_PAGE_TIMEOUT_MS } from "../../../src/knowledge/formats/ocr.js";

/** A little-endian TIFF header with one IFD per page, each giving only its width and height. */
function tiff(pages: [number, number][]): Buffer {
  const ifdSize = 2 + 2 * 12 + 4;
  const b = Buffer.alloc(8 + pages.length * ifdSize);
  b.write("II", 0, "latin1");
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  pages.forEach(([w, h], i) => {
    const at = 8 + i * ifdSize;
    b.writeUInt16LE(2, at);
    b.writeUInt16LE(256, at + 2);
    b.writeUInt16LE(4, at + 4);
    b.writeUInt32LE(1, at + 6);
    b.writeUInt32LE(w, at + 10);
    b.writeUInt16LE(257, at + 14);
    b.writeUInt16LE(4, at + 16);
    b.writeUInt32LE(1, at + 18);
    b.writeUInt32LE(h, at + 22);
    b.writeUInt32LE(i + 1 < pages.length ? at + ifdSize : 0, at + 26);
  });
  return b;
}

/** Counts Tesseract's calls and their time bounds, recognising nothing. */
function recordingOcr() {
  const timeouts: number[] = [];
  const runner: CommandRunner = async (file, _args, options) => {
    if (file === "tesseract") timeouts.push(options.timeoutMs);
    return { stdout: "", stderr: "" };
  };
  return { timeouts, ocr: createOcr({ runner, capability: { available: true } }) };
}

describe("the size of a TIFF's pages", () => {
  it("is read from every page's header, and a file that cannot be walked has none", () => {
    expect(
      tiffPageSizes(
        tiff([
          [2480, 3508],
          [1000, 2000],
        ]),
      ),
    ).toEqual([
      { width: 2480, height: 3508 },
      { width: 1000, height: 2000 },
    ]);
    const looped = tiff([
      [10, 10],
      [10, 10],
    ]);
    looped.writeUInt32LE(8, 8 + 30 + 26); // page 2 names page 1 as the next
    expect(tiffPageSizes(looped)).toBeUndefined();
    expect(tiffPageSizes(tiff([[10, 10]]).subarray(0, 20))).toBeUndefined();
  });
});

describe("an image that cannot be decoded safely", () => {
  it("is refused when one TIFF page is too large, though the first is small", async () => {
    const { timeouts, ocr } = recordingOcr();
    const file = tiff([
      [2480, 3508],
      [20_000, 20_000],
    ]);
    await expect(extractDocument(file, "scan.tif", { ocr })).rejects.toThrow(
      "ảnh quá lớn (20000×20000 điểm ảnh; tối đa 100 triệu)",
    );
    expect(timeouts).toEqual([]);
  });

  it("is refused when its size cannot be read: a TIFF cut short, a JPEG whose markers do not walk", async () => {
    const { timeouts, ocr } = recordingOcr();
    await expect(extractDocument(tiff([[10, 10]]).subarray(0, 12), "cut.tif", { ocr })).rejects.toThrow(
      "không đọc được kích thước của ảnh TIFF",
    );
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.alloc(20, 0x41)]);
    await expect(extractDocument(jpeg, "anh.jpg", { ocr })).rejects.toThrow(
      "không đọc được kích thước của ảnh JPEG",
    );
    expect(timeouts).toEqual([]);
  });

  it("is refused by its page count when a TIFF has more pages than allowed", async () => {
    const { timeouts, ocr } = recordingOcr();
    const file = tiff([
      [100, 100],
      [100, 100],
      [100, 100],
    ]);
    await expect(extractDocument(file, "nhieu.tif", { ocr, maxPages: 2 })).rejects.toThrow(
      "ảnh TIFF có 3 trang, quá giới hạn 2 trang (MAX_DOCUMENT_PAGES)",
    );
    expect(timeouts).toEqual([]);
  });
});

describe("a multi-page TIFF", () => {
  it("gives Tesseract a page's time for each page", async () => {
    const { timeouts, ocr } = recordingOcr();
    await expect(
      extractDocument(
        tiff([
          [100, 100],
          [100, 100],
          [100, 100],
        ]),
        "ba.tif",
        { ocr },
      ),
    ).rejects.toThrow("không nhận ra chữ nào trên ảnh TIFF");
    expect(timeouts).toEqual([3 * OCR_PAGE_TIMEOUT_MS]);
  });
});
