/**
 * Word (.docx): word/document.xml read ourselves (fflate + saxes) rather than through mammoth,
 * because mammoth drops two things this project needs: Word's automatic list numbers (recovered
 * from numbering.xml, so "II." and "2." reach the structure parser and a passage is cited II.2)
 * and the run fonts that say a run is TCVN3 or VNI text (.VnTime, VNI-Times), converted per run.
 *
 * One paragraph per line, blank lines between; tables in reading order, row by row and cell by
 * cell, so the two-column header of an administrative document (issuer and "Số: …" left, motto
 * and place and date right) comes out as the lines metadata.ts reads. Headers and footers are
 * separate parts and are never opened. A soft line break is a space unless a numbered item
 * follows it; a tab is a space. Sizes are checked before anything is inflated (zip bombs).
 */
import { type UnzipFileInfo, unzipSync } from "fflate";
import { Numbering } from "./docx-numbering.js";
import { convertFontText, detectLegacyDocument, encodingOfFont } from "./legacy-encoding.js";
import { convertedWarning, normaliseText } from "./text.js";
import { type Extracted, UnreadableDocumentError } from "./types.js";
import { childOf, childrenOf, flagOf, parseXml, textOf, valOf, type XmlElement } from "./xml-tree.js";

/**
 * Largest uncompressed word/document.xml accepted (its declared size, read before inflating). The
 * whole XML becomes a tree in memory (xml-tree.ts), some 20 bytes for each byte of XML: a 45 MB
 * document.xml took 1 GB. A 300-page plan with tables is some 5 MB.
 */
export const MAX_DOCUMENT_XML_BYTES = 15_000_000;
/** Largest uncompressed numbering.xml or styles.xml. */
const MAX_SIDE_PART_BYTES = 10_000_000;
/** Largest total of the parts read. */
const MAX_TOTAL_BYTES = 30_000_000;
/**
 * Largest inflated-to-compressed ratio of a part over RATIO_CHECKED_FROM bytes: Word's XML
 * deflates some 10:1, rarely past 30:1; one paragraph repeated a million times, 200:1.
 */
export const MAX_COMPRESSION_RATIO = 100;
const RATIO_CHECKED_FROM = 1_000_000;

const DOCUMENT = "word/document.xml";
const PARTS = new Map<string, number>([
  [DOCUMENT, MAX_DOCUMENT_XML_BYTES],
  ["word/numbering.xml", MAX_SIDE_PART_BYTES],
  ["word/styles.xml", MAX_SIDE_PART_BYTES],
]);

/** A line that starts a numbered item or a bullet: a soft line break before it is kept. */
const ITEM_START = /^(?:[IVXLC]+[.\-–)]|\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-+•–]\s|Điều\s+\d|Chương\s+[IVXLC\d])/u;

/**
 * An Office file encrypted with a password: an OLE compound file holding an "EncryptedPackage"
 * stream (a protected .docx is no longer a zip). The .doc reader asks too.
 */
export function isEncryptedOffice(bytes: Uint8Array): boolean {
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);
  return ole && Buffer.from(bytes).includes(Buffer.from("EncryptedPackage", "utf16le"));
}

/** Reads the parts of a .docx this reader needs, refusing oversized entries before inflating. */
function readParts(bytes: Uint8Array): Map<string, string> {
  let total = 0;
  const filter = (file: UnzipFileInfo): boolean => {
    const limit = PARTS.get(file.name);
    if (limit === undefined) return false;
    if (file.originalSize > limit || file.size > limit)
      throw new UnreadableDocumentError(
        `tệp Word quá lớn khi giải nén (${file.name} ${Math.round(file.originalSize / 1_000_000)} MB; tối đa ${limit / 1_000_000} MB)`,
      );
    if (file.originalSize > RATIO_CHECKED_FROM && file.originalSize > MAX_COMPRESSION_RATIO * file.size)
      throw new UnreadableDocumentError(
        `tệp Word bị nén bất thường (${file.name} ${Math.round(file.originalSize / 1_000_000)} MB nén còn ${Math.ceil(file.size / 1000)} KB), không đọc`,
      );
    total += file.originalSize;
    if (total > MAX_TOTAL_BYTES) throw new UnreadableDocumentError("tệp Word quá lớn khi giải nén");
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter });
  } catch (err) {
    if (err instanceof UnreadableDocumentError) throw err;
    throw new UnreadableDocumentError("tệp Word (.docx) bị hỏng, không giải nén được", { cause: err });
  }
  const out = new Map<string, string>();
  const utf8 = new TextDecoder("utf-8");
  for (const [name, data] of Object.entries(files)) out.set(name, utf8.decode(data));
  return out;
}

/** Run fonts and properties of the document's styles, for what a run does not say itself. */
interface Style {
  basedOn?: string;
  font?: string;
  caps?: boolean;
  numId?: string;
  ilvl?: number;
}

interface Styles {
  byId: Map<string, Style>;
  defaultParagraph?: string;
  defaultFont?: string;
}

/** The font a w:rFonts names for the characters of Vietnamese text (hAnsi draws bytes ≥ 0x80). */
function fontOf(rPr: XmlElement | undefined): string | undefined {
  const f = childOf(rPr, "w:rFonts");
  if (!f) return undefined;
  const hAnsi = f.attrs["w:hAnsi"];
  const ascii = f.attrs["w:ascii"];
  if (encodingOfFont(hAnsi)) return hAnsi;
  if (encodingOfFont(ascii)) return ascii;
  // A theme font or an ordinary one: not a legacy font, and it overrides the style's.
  return hAnsi ?? ascii ?? "";
}

function readStyles(xml: string | undefined): Styles {
  const styles: Styles = { byId: new Map() };
  if (!xml) return styles;
  const root = parseXml(xml);
  const defaults = childOf(childOf(childOf(root, "w:docDefaults"), "w:rPrDefault"), "w:rPr");
  styles.defaultFont = fontOf(defaults);
  for (const s of childrenOf(root, "w:style")) {
    const id = s.attrs["w:styleId"];
    if (!id) continue;
    const rPr = childOf(s, "w:rPr");
    const numPr = childOf(childOf(s, "w:pPr"), "w:numPr");
    const ilvl = valOf(numPr, "w:ilvl");
    styles.byId.set(id, {
      basedOn: valOf(s, "w:basedOn"),
      font: fontOf(rPr),
      caps: flagOf(rPr, "w:caps"),
      numId: valOf(numPr, "w:numId"),
      ilvl: ilvl === undefined ? undefined : Number(ilvl),
    });
    const isDefault = s.attrs["w:default"] === "1" || s.attrs["w:default"] === "true";
    if (isDefault && s.attrs["w:type"] === "paragraph") styles.defaultParagraph = id;
  }
  return styles;
}

/** Walks a style and the styles it is based on, returning the first value `pick` finds. */
function inherit<T>(
  styles: Styles,
  id: string | undefined,
  pick: (s: Style) => T | undefined,
): T | undefined {
  const seen = new Set<string>();
  for (let cur = id; cur && !seen.has(cur); ) {
    seen.add(cur);
    const s = styles.byId.get(cur);
    if (!s) return undefined;
    const v = pick(s);
    if (v !== undefined) return v;
    cur = s.basedOn;
  }
  return undefined;
}

interface Reading {
  styles: Styles;
  numbering: Numbering;
  lines: string[];
  /** Legacy encodings converted, for the warnings. */
  converted: Set<string>;
}

/** A paragraph's text, with "\n" where a soft line break was. */
function paragraphText(p: XmlElement, r: Reading, pStyle: string | undefined, after: XmlElement[]): string {
  let out = "";
  const inline = (el: XmlElement): void => {
    for (const c of childrenOf(el)) {
      switch (c.name) {
        case "w:r":
          out += runText(c, r, pStyle, after);
          break;
        case "w:hyperlink":
        case "w:ins":
        case "w:moveTo":
        case "w:smartTag":
        case "w:fldSimple":
        case "w:customXml":
        case "w:sdt":
        case "w:sdtContent":
        case "w:dir":
        case "w:bdo":
          inline(c);
          break;
        default:
          // w:del, w:moveFrom (deleted text), w:pPr, bookmarks, comments: not read.
          break;
      }
    }
  };
  inline(p);
  return out;
}

/** Text boxes inside a drawing (the first choice of mc:AlternateContent only: the fallback repeats it). */
function textBoxes(el: XmlElement, found: XmlElement[]): void {
  for (const c of childrenOf(el)) {
    if (c.name === "mc:Fallback") continue;
    if (c.name === "w:txbxContent") found.push(c);
    else textBoxes(c, found);
  }
}

function runText(run: XmlElement, r: Reading, pStyle: string | undefined, after: XmlElement[]): string {
  const rPr = childOf(run, "w:rPr");
  if (flagOf(rPr, "w:vanish")) return "";
  const rStyle = valOf(rPr, "w:rStyle");
  const font =
    fontOf(rPr) ??
    inherit(r.styles, rStyle, (s) => s.font) ??
    inherit(r.styles, pStyle ?? r.styles.defaultParagraph, (s) => s.font) ??
    r.styles.defaultFont;
  const caps =
    flagOf(rPr, "w:caps") ??
    inherit(r.styles, rStyle, (s) => s.caps) ??
    inherit(r.styles, pStyle ?? r.styles.defaultParagraph, (s) => s.caps) ??
    false;
  let text = "";
  for (const c of childrenOf(run)) {
    switch (c.name) {
      case "w:t":
        text += textOf(c);
        break;
      case "w:tab":
      case "w:ptab":
        text += " ";
        break;
      case "w:br":
      case "w:cr":
        text += "\n";
        break;
      case "w:noBreakHyphen":
        text += "-";
        break;
      case "w:drawing":
      case "w:pict":
      case "w:object":
      case "mc:AlternateContent":
        textBoxes(c, after);
        break;
      default:
        break;
    }
  }
  const encoding = encodingOfFont(font);
  if (encoding && /[^\n -~]/.test(text)) r.converted.add(encoding.encoding);
  if (encoding) text = convertFontText(text, font);
  return caps ? text.toUpperCase() : text;
}

/** Soft line breaks: a space, unless the text after one starts a numbered item. */
function joinBreaks(text: string): string {
  const parts = text.split("\n").map((s) => s.replace(/\s+/g, " ").trim());
  let out = "";
  for (const part of parts) {
    if (!part) continue;
    if (!out) out = part;
    else out += ITEM_START.test(part) ? `\n${part}` : ` ${part}`;
  }
  return out;
}

function paragraph(p: XmlElement, r: Reading): void {
  const pPr = childOf(p, "w:pPr");
  const pStyle = valOf(pPr, "w:pStyle");
  const numPr = childOf(pPr, "w:numPr");
  let numId = valOf(numPr, "w:numId");
  let ilvlText = valOf(numPr, "w:ilvl");
  if (numId === undefined) {
    numId = inherit(r.styles, pStyle, (s) => s.numId);
    if (numId !== undefined && ilvlText === undefined) {
      const fromStyle = inherit(r.styles, pStyle, (s) => s.ilvl);
      const linked = pStyle ? r.numbering.levelOfStyle(numId, pStyle) : undefined;
      ilvlText = String(fromStyle ?? linked ?? 0);
    }
  }
  const label = numId === undefined ? undefined : r.numbering.next(numId, Number(ilvlText ?? 0));
  const boxes: XmlElement[] = [];
  // A run whose font name was lost may still be TCVN3 or VNI: its letters say so, judged once for
  // the whole document when every paragraph is read (a short "Sè: 15-KH/BDVTU" alone would not).
  const text = paragraphText(p, r, pStyle, boxes);
  const joined = joinBreaks(text);
  if (joined) r.lines.push(label ? `${label} ${joined}` : joined);
  for (const box of boxes) blocks(box, r);
}

/** Block content in reading order: paragraphs, and tables row by row, cell by cell. */
function blocks(el: XmlElement, r: Reading): void {
  for (const c of childrenOf(el)) {
    switch (c.name) {
      case "w:p":
        paragraph(c, r);
        break;
      case "w:tbl":
      case "w:tr":
      case "w:tc":
      case "w:sdt":
      case "w:sdtContent":
      case "w:customXml":
      case "w:ins":
      case "w:moveTo":
        blocks(c, r);
        break;
      default:
        break;
    }
  }
}

/** Reads a .docx file's body text with its list numbers. */
export function extractDocx(bytes: Uint8Array): Extracted {
  const parts = readParts(bytes);
  const xml = parts.get(DOCUMENT);
  if (xml === undefined) throw new UnreadableDocumentError("tệp Word (.docx) không có phần nội dung");
  let reading: Reading;
  try {
    const numberingXml = parts.get("word/numbering.xml");
    const styles = readStyles(parts.get("word/styles.xml"));
    reading = {
      styles,
      numbering: new Numbering(numberingXml ? parseXml(numberingXml) : undefined, (id) =>
        inherit(styles, id, (s) => s.numId),
      ),
      lines: [],
      converted: new Set(),
    };
    const body = childOf(parseXml(xml), "w:body");
    if (body) blocks(body, reading);
  } catch (err) {
    throw new UnreadableDocumentError("tệp Word (.docx) bị hỏng (XML không hợp lệ)", { cause: err });
  }
  const legacy = detectLegacyDocument(reading.lines);
  const lines = reading.lines.map((line) => {
    const found = legacy.convert(line);
    if (!found) return line;
    reading.converted.add(found.encoding);
    return found.text;
  });
  const converted = [...reading.converted];
  return {
    text: normaliseText(`${lines.join("\n\n")}\n`),
    format: "docx",
    label: "Word (.docx)",
    warnings: converted.map(convertedWarning),
    ...(converted.length > 0 ? { encoding: converted.join(", ") } : {}),
  };
}
