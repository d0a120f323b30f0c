/**
 * Word 97–2003 (.doc) with word-extractor: pure JavaScript, so a .doc is read wherever the bot runs,
 * with no LibreOffice to install (a system package of several hundred MB the bot would otherwise
 * need). Body text only: headers, footers, footnotes and comments are separate in the file and not
 * read. Table cells come out one per line, so the header table reads as metadata.ts expects.
 * Paragraphs typed in TCVN3 or VNI fonts hold their bytes as Latin letters ("Uû ban nh©n d©n"):
 * the font names are not given by the reader, so each paragraph's letters decide (legacy-encoding.ts).
 * Word's automatic list numbers, which word-extractor drops, are recovered by doc-lists.ts.
 */
import { EncryptedDocError, readDocBody } from "./doc-lists.js";
import { detectLegacyDocument } from "./legacy-encoding.js";
import { convertedWarning, normaliseText } from "./text.js";
import { type Extracted, UnreadableDocumentError } from "./types.js";

/** "I.", "1.", "a)", "-": a tab after one of these separates the number from its text. */
const MARKER_BEFORE_TAB = /^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])?\s*[.)\-–]?\s*$/u;

/**
 * word-extractor writes Word's cell mark as a tab, like a typed one. A tab after a list number or
 * before a word in lower case is typed (a space); any other ends a table cell (a new line).
 */
function splitCells(segments: string[]): string[] {
  const out: string[] = [];
  let cur = segments[0] ?? "";
  for (const part of segments.slice(1)) {
    const typed = (MARKER_BEFORE_TAB.test(cur) && cur.trim() !== "") || /^\s*\p{Ll}/u.test(part);
    if (typed) cur = `${cur.trimEnd()} ${part.trimStart()}`;
    else {
      out.push(cur);
      cur = part;
    }
  }
  out.push(cur);
  return out;
}

/** Reads a .doc file's body text. */
export async function extractDoc(bytes: Uint8Array): Promise<Extracted> {
  let body: string;
  try {
    body = await readDocBody(Buffer.from(bytes));
  } catch (err) {
    if (err instanceof EncryptedDocError)
      throw new UnreadableDocumentError("tệp Word có mật khẩu", { cause: err });
    throw new UnreadableDocumentError("tệp Word (.doc) bị hỏng hoặc không đọc được", { cause: err });
  }
  const converted = new Set<string>();
  const lines: string[] = [];
  // Legacy text is found per stretch between tabs (a paragraph may mix a TCVN3 run with Unicode),
  // its encoding decided once from all the document's stretches (a short "Sè: 15-KH" alone ties).
  const legacyDoc = detectLegacyDocument(body.replace(/\r\n?/g, "\n").split(/[\n\t]/));
  const unlegacy = (segment: string): string => {
    const legacy = legacyDoc.convert(segment);
    if (!legacy) return segment;
    converted.add(legacy.encoding);
    return legacy.text;
  };
  for (const raw of body.replace(/\r\n?/g, "\n").split("\n")) {
    for (const cell of splitCells(raw.split("\t").map(unlegacy))) {
      const text = cell.replace(/\s+/g, " ").trim();
      if (text) lines.push(text);
    }
  }
  const encodings = [...converted];
  return {
    text: normaliseText(`${lines.join("\n\n")}\n`),
    format: "doc",
    label: "Word (.doc)",
    warnings: encodings.map(convertedWarning),
    ...(encodings.length > 0 ? { encoding: encodings.join(", ") } : {}),
  };
}
