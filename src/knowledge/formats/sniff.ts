/**
 * What a file is, by its bytes: never the sender's mime type, nor the extension alone (a .doc that
 * is really a .docx, a PDF named .txt). The loader, the web page and a file sent in chat all ask here.
 */
import type { DocumentFormat } from "./types.js";

export type Sniffed =
  /** A format the readers handle; `label` is how people name it. */
  | { kind: "document"; format: DocumentFormat; label: string }
  | { kind: "empty" }
  /** A format no reader handles ("Word (.rtf)", "tệp nén (zip)", "tệp nhị phân"). */
  | { kind: "unsupported"; label: string };

/** An OLE compound file: Word, Excel and PowerPoint 97–2003, and password-protected Office files. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const MAGIC: [number[], Sniffed][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], { kind: "document", format: "pdf", label: "PDF" }],
  [OLE, { kind: "document", format: "doc", label: "Word (.doc)" }],
  [[0x89, 0x50, 0x4e, 0x47], { kind: "document", format: "image", label: "ảnh PNG" }],
  [[0xff, 0xd8, 0xff], { kind: "document", format: "image", label: "ảnh JPEG" }],
  [[0x49, 0x49, 0x2a, 0x00], { kind: "document", format: "image", label: "ảnh TIFF" }],
  [[0x4d, 0x4d, 0x00, 0x2a], { kind: "document", format: "image", label: "ảnh TIFF" }],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], { kind: "unsupported", label: "Word (.rtf)" }],
  [[0x47, 0x49, 0x46, 0x38], { kind: "unsupported", label: "ảnh GIF" }],
];

const utf16 = (name: string) => Buffer.from(name, "utf16le");

/**
 * An OLE compound file that is not Word's: Excel 97–2003 names its stream "Workbook" (or "Book"),
 * PowerPoint "PowerPoint Document", Word "WordDocument" (the names are in its directory, UTF-16).
 */
function otherOffice(bytes: Uint8Array): Sniffed | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.includes(utf16("WordDocument"))) return undefined;
  if (b.includes(utf16("Workbook")) || b.includes(utf16("Book\0")))
    return { kind: "unsupported", label: "Excel (.xls)" };
  if (b.includes(utf16("PowerPoint Document"))) return { kind: "unsupported", label: "PowerPoint (.ppt)" };
  return undefined;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * Recognises a document by its bytes. Text is any encoding the text reader may decode (UTF-8,
 * UTF-16 with its mark, or an 8-bit legacy code page); `markdown` is text in a `.md` file.
 */
export function sniffDocument(bytes: Uint8Array, name = ""): Sniffed {
  if (startsWith(bytes, OLE)) {
    const other = otherOffice(bytes);
    if (other) return other;
  }
  for (const [magic, sniffed] of MAGIC) if (startsWith(bytes, magic)) return sniffed;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A zip: Word's .docx names its parts word/…, Excel's xl/…, PowerPoint's ppt/…; OpenDocument
    // says its mimetype first.
    const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
    if (!head.includes("word/")) {
      if (head.includes("xl/")) return { kind: "unsupported", label: "Excel (.xlsx)" };
      if (head.includes("ppt/")) return { kind: "unsupported", label: "PowerPoint (.pptx)" };
    }
    if (head.includes("word/") || head.includes("[Content_Types].xml"))
      return head.includes("opendocument")
        ? { kind: "unsupported", label: "OpenDocument (.odt)" }
        : { kind: "document", format: "docx", label: "Word (.docx)" };
    if (head.includes("opendocument.text")) return { kind: "unsupported", label: "OpenDocument (.odt)" };
    return { kind: "unsupported", label: "tệp nén (zip)" };
  }
  const markdown = /\.(md|markdown)$/i.test(name);
  const text: Sniffed = markdown
    ? { kind: "document", format: "markdown", label: "Markdown" }
    : { kind: "document", format: "text", label: "văn bản" };
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]))
    return bytes.length <= 2 ? { kind: "empty" } : text;
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { kind: "unsupported", label: "tệp nhị phân" };
  // Control characters other than tab, line breaks and form feed do not occur in a document (an
  // 8-bit code page puts its letters at 0x80 and above, never below 0x20).
  let controls = 0;
  let printable = 0;
  for (const b of bytes) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls += 1;
    else if (b === 0x7f) controls += 1;
    else if (b > 0x20) printable += 1;
  }
  if (controls > Math.max(2, bytes.length / 1000)) return { kind: "unsupported", label: "tệp nhị phân" };
  if (printable === 0 || (printable === 3 && startsWith(bytes, [0xef, 0xbb, 0xbf]))) return { kind: "empty" };
  return text;
}
