/**
 * Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 with its byte-order mark; NFC, LF.
 * Other 8-bit bytes are read as the legacy Vietnamese encoding they score best in (TCVN3,
 * VNI-Windows, Windows-1258), with a warning naming it; bytes that read as no Vietnamese are refused
 * by name rather than indexed as mojibake.
 */
import { detectLegacyBytes, detectLegacyString, type LegacyEncoding } from "./legacy-encoding.js";
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

/** The warning shown by a file's name when its legacy encoding was converted. */
export function convertedWarning(encoding: string): string {
  return `đã chuyển từ mã ${encoding} sang Unicode`;
}

/** Decodes a text file's bytes. */
export function decodeText(bytes: Uint8Array): {
  text: string;
  encoding: "UTF-8" | "UTF-16" | LegacyEncoding;
} {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: normaliseText(new TextDecoder("utf-16le").decode(bytes.subarray(2))), encoding: "UTF-16" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: normaliseText(new TextDecoder("utf-16be").decode(bytes.subarray(2))), encoding: "UTF-16" };
  let utf8: string;
  try {
    utf8 = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (err) {
    const legacy = detectLegacyBytes(bytes);
    if (!legacy)
      throw new UnreadableDocumentError("tệp không phải văn bản UTF-8 hay mã tiếng Việt cũ (TCVN3, VNI)", {
        cause: err,
      });
    return { text: normaliseText(legacy.text), encoding: legacy.encoding };
  }
  // TCVN3 saved once as Latin-1 and then as UTF-8 ("Uû ban nh©n d©n"): still TCVN3 underneath.
  const legacy = detectLegacyString(utf8);
  if (legacy) return { text: normaliseText(legacy.text), encoding: legacy.encoding };
  return { text: normaliseText(utf8), encoding: "UTF-8" };
}

/** Reads a `.txt` or `.md` file. */
export function extractText(bytes: Uint8Array, markdown: boolean): Extracted {
  const { text, encoding } = decodeText(bytes);
  const legacy = encoding !== "UTF-8" && encoding !== "UTF-16";
  return {
    text,
    format: markdown ? "markdown" : "text",
    label: markdown ? "Markdown" : "văn bản",
    warnings: legacy ? [convertedWarning(encoding)] : [],
    ...(legacy ? { encoding } : {}),
  };
}
