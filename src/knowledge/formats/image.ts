/**
 * Images of pages (a photographed or scanned page: PNG, JPEG, TIFF, every page of a multi-page
 * TIFF) read by OCR. Without OCR on the machine the image is refused by name with the command
 * that installs it. Before any decoding the size of every page is read from the file's header: an
 * image too large to decode safely, or whose size cannot be read, is refused by name, and a TIFF
 * with more pages than MAX_DOCUMENT_PAGES too; each page of a TIFF gets its own time.
 */
import { defaultOcr, MAX_IMAGE_PIXELS, OCR_MISSING, OCR_PAGE_TIMEOUT_MS, withTempFile } from "./ocr.js";
import { DEFAULT_MAX_PAGES, duration } from "./pdf.js";
import { paragraphsOf } from "./pdf-layout.js";
import { normaliseText } from "./text.js";
import { type Extracted, type ExtractOptions, UnreadableDocumentError } from "./types.js";

export { MAX_IMAGE_PIXELS };

/** Width and height from a PNG's or a JPEG's header, when they can be read there. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes.length >= 24)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    // Walk the markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1] as number;
      const length = view.getUint16(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
      i += 2 + length;
    }
  }
  return undefined;
}

/** Most TIFF pages walked before the count is known to be too many. */
const TIFF_WALK_LIMIT = 10_000;

/**
 * Width and height of every page (IFD) of a classic TIFF, from its header; undefined when the
 * file cannot be walked (BigTIFF, a page without its size, an offset outside the file, a loop).
 */
export function tiffPageSizes(bytes: Uint8Array): { width: number; height: number }[] | undefined {
  if (bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = String.fromCharCode(bytes[0] as number, bytes[1] as number);
  if (order !== "II" && order !== "MM") return undefined;
  const le = order === "II";
  if (view.getUint16(2, le) !== 42) return undefined;
  const pages: { width: number; height: number }[] = [];
  const seen = new Set<number>();
  let at = view.getUint32(4, le);
  while (at !== 0) {
    if (seen.has(at) || at + 2 > bytes.length || pages.length >= TIFF_WALK_LIMIT) return undefined;
    seen.add(at);
    const count = view.getUint16(at, le);
    if (at + 2 + count * 12 + 4 > bytes.length) return undefined;
    let width: number | undefined;
    let height: number | undefined;
    for (let k = 0; k < count; k++) {
      const e = at + 2 + k * 12;
      const tag = view.getUint16(e, le);
      if (tag !== 256 && tag !== 257) continue;
      const type = view.getUint16(e + 2, le);
      // SHORT (3) or LONG (4), one value, kept in the entry itself.
      const value =
        type === 3 ? view.getUint16(e + 8, le) : type === 4 ? view.getUint32(e + 8, le) : undefined;
      if (tag === 256) width = value;
      else height = value;
    }
    if (width === undefined || height === undefined) return undefined;
    pages.push({ width, height });
    at = view.getUint32(at + 2 + count * 12, le);
  }
  return pages.length > 0 ? pages : undefined;
}

const EXTENSIONS: Record<string, string> = { "ảnh PNG": ".png", "ảnh JPEG": ".jpg", "ảnh TIFF": ".tif" };

/** Reads an image by OCR; `label` is what the sniffer called it ("ảnh PNG"). */
export async function extractImage(
  bytes: Uint8Array,
  label: string,
  options: ExtractOptions = {},
): Promise<Extracted> {
  const single = imageSize(bytes);
  const sizes = single ? [single] : tiffPageSizes(bytes);
  if (!sizes) throw new UnreadableDocumentError(`không đọc được kích thước của ${label}, tệp có thể bị hỏng`);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (sizes.length > maxPages)
    throw new UnreadableDocumentError(
      `${label} có ${sizes.length} trang, quá giới hạn ${maxPages} trang (MAX_DOCUMENT_PAGES)`,
    );
  for (const size of sizes)
    if (size.width * size.height > MAX_IMAGE_PIXELS)
      throw new UnreadableDocumentError(
        `ảnh quá lớn (${size.width}×${size.height} điểm ảnh; tối đa ${MAX_IMAGE_PIXELS / 1_000_000} triệu)`,
      );
  const ocr = options.ocr ?? defaultOcr();
  const capability = await ocr.capability();
  if (!capability.available) throw new UnreadableDocumentError(`${label} là bản quét, ${OCR_MISSING}`);
  // The file's time bound when the caller gives one, else a page's time for each page.
  const timeoutMs = options.timeoutMs ?? OCR_PAGE_TIMEOUT_MS * sizes.length;
  const pages = await withTempFile(bytes, EXTENSIONS[label] ?? ".png", (path) =>
    bounded(ocr.image(path, sizes.length), timeoutMs),
  ).catch((err: unknown) => {
    if (err instanceof UnreadableDocumentError) throw err;
    throw new UnreadableDocumentError(`không đọc được ${label} bằng OCR`, { cause: err });
  });
  options.onProgress?.(pages.length, pages.length, "ocr");
  const text = normaliseText(paragraphsOf(pages));
  if (!/\p{L}/u.test(text)) throw new UnreadableDocumentError(`không nhận ra chữ nào trên ${label}`);
  return {
    text: `${text}\n`,
    format: "image",
    label,
    warnings: [pages.length > 1 ? `${pages.length} trang đọc bằng OCR` : "ảnh đọc bằng OCR"],
    pages: pages.length,
    ocrPages: pages.map((_, i) => i + 1),
  };
}

function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new UnreadableDocumentError(`đọc ảnh quá ${duration(ms)}, đã dừng`)),
      ms,
    );
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
