/**
 * Images of pages (a photographed or scanned page: PNG, JPEG, TIFF, every page of a multi-page
 * TIFF) read by OCR. Without OCR on the machine the image is refused by name with the command
 * that installs it; an image too large to decode safely is refused by its size.
 */
import { defaultOcr, OCR_MISSING, OCR_PAGE_TIMEOUT_MS, withTempFile } from "./ocr.js";
import { duration } from "./pdf.js";
import { paragraphsOf } from "./pdf-layout.js";
import { normaliseText } from "./text.js";
import { type Extracted, type ExtractOptions, UnreadableDocumentError } from "./types.js";

/** Largest image decoded, in pixels (an A4 page at 600 dpi is 35 million). */
export const MAX_IMAGE_PIXELS = 100_000_000;

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

const EXTENSIONS: Record<string, string> = { "ảnh PNG": ".png", "ảnh JPEG": ".jpg", "ảnh TIFF": ".tif" };

/** Reads an image by OCR; `label` is what the sniffer called it ("ảnh PNG"). */
export async function extractImage(
  bytes: Uint8Array,
  label: string,
  options: ExtractOptions = {},
): Promise<Extracted> {
  const size = imageSize(bytes);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS)
    throw new UnreadableDocumentError(
      `ảnh quá lớn (${size.width}×${size.height} điểm ảnh; tối đa ${MAX_IMAGE_PIXELS / 1_000_000} triệu)`,
    );
  const ocr = options.ocr ?? defaultOcr();
  const capability = await ocr.capability();
  if (!capability.available) throw new UnreadableDocumentError(`${label} là bản quét, ${OCR_MISSING}`);
  const timeoutMs = options.timeoutMs ?? OCR_PAGE_TIMEOUT_MS;
  const pages = await withTempFile(bytes, EXTENSIONS[label] ?? ".png", (path) =>
    bounded(ocr.image(path), timeoutMs),
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
