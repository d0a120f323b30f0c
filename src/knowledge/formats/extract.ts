/**
 * One entry for every format: bytes in, text with its structure out (then the same pipeline as a
 * .txt: metadata, structure, passages). The format is recognised by the bytes (sniff.ts); a file
 * that cannot be read throws UnreadableDocumentError with the reason, which the loader reports by
 * the file's name while every other file is still indexed.
 */

import { extractDoc } from "./doc.js";
import { extractDocx, isEncryptedOffice } from "./docx.js";
import { extractImage } from "./image.js";
import { extractPdf } from "./pdf.js";
import { sniffDocument } from "./sniff.js";
import { extractText } from "./text.js";
import { type Extracted, type ExtractOptions, UnreadableDocumentError } from "./types.js";

/** The extensions a document file may have in the knowledge folder. */
export const DOCUMENT_EXTENSIONS = [
  ".md",
  ".markdown",
  ".txt",
  ".docx",
  ".doc",
  ".pdf",
  ".png",
  ".jpg",
  ".jpeg",
  ".tif",
  ".tiff",
] as const;

/** Reads a document of any known format from its bytes; `name` is its file name (for Markdown). */
export async function extractDocument(
  bytes: Uint8Array,
  name: string,
  options: ExtractOptions = {},
): Promise<Extracted> {
  const sniffed = sniffDocument(bytes, name);
  if (sniffed.kind === "empty") throw new UnreadableDocumentError("tệp rỗng, không có nội dung");
  if (sniffed.kind === "unsupported")
    throw new UnreadableDocumentError(`định dạng ${sniffed.label} chưa được hỗ trợ`);
  switch (sniffed.format) {
    case "text":
    case "markdown":
      return extractText(bytes, sniffed.format === "markdown");
    case "pdf":
      return extractPdf(bytes, options);
    case "image":
      return extractImage(bytes, sniffed.label, options);
    case "docx":
      return extractDocx(bytes);
    case "doc":
      if (isEncryptedOffice(bytes)) throw new UnreadableDocumentError("tệp Word có mật khẩu");
      return extractDoc(bytes);
    default:
      throw new UnreadableDocumentError(`chưa đọc được tệp ${sniffed.label}`);
  }
}
