/**
 * Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 with its byte-order mark; NFC, LF.
 * Bytes that are neither are refused by name rather than indexed as mojibake.
 */
import { type Extracted, UnreadableDocumentError } from "./types.js";

/** Soft hyphens and zero-width marks, invisible in the source ("ph\u00ADương"), split words. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/** Text as the structure parser wants it: no BOM, LF line endings, no invisible marks, NFC. */
export function normaliseText(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, "")
    .normalize("NFC");
}

/** Decodes a text file's bytes. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: "UTF-8" | "UTF-16" } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: normaliseText(new TextDecoder("utf-16le").decode(bytes.subarray(2))), encoding: "UTF-16" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: normaliseText(new TextDecoder("utf-16be").decode(bytes.subarray(2))), encoding: "UTF-16" };
  try {
    return {
      text: normaliseText(new TextDecoder("utf-8", { fatal: true }).decode(bytes)),
      encoding: "UTF-8",
    };
  } catch (err) {
    throw new UnreadableDocumentError("tệp không phải văn bản UTF-8", { cause: err });
  }
}

/** Reads a `.txt` or `.md` file. */
export function extractText(bytes: Uint8Array, markdown: boolean): Extracted {
  const { text } = decodeText(bytes);
  return {
    text,
    format: markdown ? "markdown" : "text",
    label: markdown ? "Markdown" : "văn bản",
    warnings: [],
  };
}
