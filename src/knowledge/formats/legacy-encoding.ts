/**
 * The pre-Unicode Vietnamese encodings older documents still arrive in, converted to Unicode NFC:
 *
 * - TCVN3 (TCVN 5712:1993 VN3, "ABC", fonts .VnTime, .VnArial…): one byte a letter, the toned
 *   lower-case letters precomposed at 0xA8–0xFE and only the untoned capitals Ă Â Ê Ô Ơ Ư Đ at
 *   0xA1–0xA7. Capitals with tones are drawn by the "H" fonts (.VnTimeH, .VnArialH…), which draw a
 *   capital at each lower-case code point (ASCII letters too).
 * - VNI-Windows (fonts VNI-Times…): a base letter followed by a mark byte (tone, or circumflex /
 *   breve with its tone), plus a few letters of their own (đ ơ ư, the toned i's, ỵ).
 * - Windows-1258: Microsoft's code page, base letters and combining tone marks.
 *
 * The tables are written from the published code charts. A text's bytes may be given, or a string
 * whose characters stand for those bytes (a Word run in a .VnTime font holds "Uû ban nh©n d©n"):
 * characters are mapped back to their Windows-1252 bytes first.
 */
import { syllableShare } from "./syllables.js";

/** The legacy encodings this module converts. */
export type LegacyEncoding = "TCVN3" | "VNI-Windows" | "Windows-1258";

// ── TCVN3 ────────────────────────────────────────────────────────────────────────────────────

/** TCVN3 code points 0xA1–0xFE and the letters they hold (the gaps keep Windows-1252's meaning). */
const TCVN3_CHART: [number, string][] = [
  [0xa1, "Ă"],
  [0xa2, "Â"],
  [0xa3, "Ê"],
  [0xa4, "Ô"],
  [0xa5, "Ơ"],
  [0xa6, "Ư"],
  [0xa7, "Đ"],
  [0xa8, "ă"],
  [0xa9, "â"],
  [0xaa, "ê"],
  [0xab, "ô"],
  [0xac, "ơ"],
  [0xad, "ư"],
  [0xae, "đ"],
  [0xb5, "à"],
  [0xb6, "ả"],
  [0xb7, "ã"],
  [0xb8, "á"],
  [0xb9, "ạ"],
  [0xbb, "ằ"],
  [0xbc, "ẳ"],
  [0xbd, "ẵ"],
  [0xbe, "ắ"],
  [0xc6, "ặ"],
  [0xc7, "ầ"],
  [0xc8, "ẩ"],
  [0xc9, "ẫ"],
  [0xca, "ấ"],
  [0xcb, "ậ"],
  [0xcc, "è"],
  [0xce, "ẻ"],
  [0xcf, "ẽ"],
  [0xd0, "é"],
  [0xd1, "ẹ"],
  [0xd2, "ề"],
  [0xd3, "ể"],
  [0xd4, "ễ"],
  [0xd5, "ế"],
  [0xd6, "ệ"],
  [0xd7, "ì"],
  [0xd8, "ỉ"],
  [0xdc, "ĩ"],
  [0xdd, "í"],
  [0xde, "ị"],
  [0xdf, "ò"],
  [0xe1, "ỏ"],
  [0xe2, "õ"],
  [0xe3, "ó"],
  [0xe4, "ọ"],
  [0xe5, "ồ"],
  [0xe6, "ổ"],
  [0xe7, "ỗ"],
  [0xe8, "ố"],
  [0xe9, "ộ"],
  [0xea, "ờ"],
  [0xeb, "ở"],
  [0xec, "ỡ"],
  [0xed, "ớ"],
  [0xee, "ợ"],
  [0xef, "ù"],
  [0xf1, "ủ"],
  [0xf2, "ũ"],
  [0xf3, "ú"],
  [0xf4, "ụ"],
  [0xf5, "ừ"],
  [0xf6, "ử"],
  [0xf7, "ữ"],
  [0xf8, "ứ"],
  [0xf9, "ự"],
  [0xfa, "ỳ"],
  [0xfb, "ỷ"],
  [0xfc, "ỹ"],
  [0xfd, "ý"],
  [0xfe, "ỵ"],
];

// ── Windows-1252 (how a byte looks when the legacy text was read as Latin) ───────────────────────

/** Windows-1252 at 0x80–0x9F (the rest of 0x00–0xFF is Latin-1); undefined code points stay. */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

const CP1252_BYTE = new Map<string, number>();
for (let i = 0; i < 32; i++) CP1252_BYTE.set(CP1252_HIGH.charAt(i), 0x80 + i);

/** The character Windows-1252 shows for a byte. */
function cp1252Char(byte: number): string {
  return byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH.charAt(byte - 0x80) : String.fromCharCode(byte);
}

/** The byte a character stands for in text read as Windows-1252, or undefined (a real Unicode letter). */
function cp1252Byte(ch: string): number | undefined {
  const code = ch.charCodeAt(0);
  if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
  return CP1252_BYTE.get(ch);
}

/** Bytes of a string whose characters stand for Windows-1252 bytes (others are kept as strings). */
function toBytes(text: string): (number | string)[] {
  const out: (number | string)[] = [];
  for (const ch of text) out.push(cp1252Byte(ch) ?? ch);
  return out;
}

const TCVN3_DECODE: string[] = [];
for (let b = 0; b < 256; b++) TCVN3_DECODE[b] = cp1252Char(b);
for (const [b, ch] of TCVN3_CHART) TCVN3_DECODE[b] = ch;
const TCVN3_ENCODE = new Map<string, number>(TCVN3_CHART.map(([b, ch]) => [ch, b]));

export interface Tcvn3Options {
  /** Text in a capitals font (.VnTimeH): every letter is drawn as its capital. */
  capitals?: boolean;
}

/** Decodes TCVN3 bytes (or a string standing for them) to Unicode NFC. */
export function decodeTcvn3(input: Uint8Array | string, options: Tcvn3Options = {}): string {
  const units = typeof input === "string" ? toBytes(input) : Array.from(input);
  let out = "";
  for (const u of units) out += typeof u === "number" ? (TCVN3_DECODE[u] ?? "") : u;
  return (options.capitals ? out.toUpperCase() : out).normalize("NFC");
}

/**
 * Encodes Unicode text to TCVN3 bytes. A capital with a tone has no code point in TCVN3: with
 * `capitals`, the text is written for an H font (its lower-case code points); without, such a
 * letter is an error, as it would be in a .VnTime document.
 */
export function encodeTcvn3(text: string, options: Tcvn3Options = {}): Uint8Array {
  const source = (options.capitals ? text.toLowerCase() : text).normalize("NFC");
  const out: number[] = [];
  for (const ch of source) {
    const b = TCVN3_ENCODE.get(ch) ?? (ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : undefined);
    if (b === undefined) throw new RangeError(`"${ch}" has no TCVN3 code point`);
    out.push(b);
  }
  return Uint8Array.from(out);
}

// ── VNI-Windows ──────────────────────────────────────────────────────────────────────────────

const ACUTE = "\u0301";
const GRAVE = "\u0300";
const HOOK = "\u0309";
const TILDE = "\u0303";
const DOT = "\u0323";
const CIRCUMFLEX = "\u0302";
const BREVE = "\u0306";
const HORN = "\u031B";

/** A VNI mark byte: what it adds, and to which base letters (lower case) it applies. */
interface VniMark {
  marks: string;
  bases: string;
}

const TONE_BASES = "aăâeêioôơuưy";
/** Mark bytes, lower-case form (the capital form is the byte − 0x20, as in Latin-1). */
const VNI_MARKS_LOWER: [number, VniMark][] = [
  [0xee, { marks: DOT, bases: "y" }], // î nặng under y
  [0xf9, { marks: ACUTE, bases: TONE_BASES }], // ù sắc
  [0xf8, { marks: GRAVE, bases: TONE_BASES }], // ø huyền
  [0xfb, { marks: HOOK, bases: TONE_BASES }], // û hỏi
  [0xf5, { marks: TILDE, bases: TONE_BASES }], // õ ngã
  [0xef, { marks: DOT, bases: TONE_BASES }], // ï nặng
  [0xe2, { marks: CIRCUMFLEX, bases: "aeo" }], // â
  [0xe1, { marks: CIRCUMFLEX + ACUTE, bases: "aeo" }], // á
  [0xe0, { marks: CIRCUMFLEX + GRAVE, bases: "aeo" }], // à
  [0xe5, { marks: CIRCUMFLEX + HOOK, bases: "aeo" }], // å
  [0xe3, { marks: CIRCUMFLEX + TILDE, bases: "aeo" }], // ã
  [0xe4, { marks: CIRCUMFLEX + DOT, bases: "aeo" }], // ä
  [0xea, { marks: BREVE, bases: "a" }], // ê
  [0xe9, { marks: BREVE + ACUTE, bases: "a" }], // é
  [0xe8, { marks: BREVE + GRAVE, bases: "a" }], // è
  [0xfa, { marks: BREVE + HOOK, bases: "a" }], // ú
  [0xfc, { marks: BREVE + TILDE, bases: "a" }], // ü
  [0xeb, { marks: BREVE + DOT, bases: "a" }], // ë
];
const VNI_MARKS = new Map<number, VniMark>();
for (const [b, m] of VNI_MARKS_LOWER) {
  VNI_MARKS.set(b, m);
  VNI_MARKS.set(b - 0x20, m);
}

/** VNI's own letters, lower-case byte (capital is the byte − 0x20). */
const VNI_LETTERS_LOWER: [number, string][] = [
  [0xf1, "đ"], // ñ
  [0xf4, "ơ"], // ô
  [0xf6, "ư"], // ö
  [0xed, "í"], // í
  [0xec, "ì"], // ì
  [0xe6, "ỉ"], // æ
  [0xf3, "ĩ"], // ó
  [0xf2, "ị"], // ò
];
const VNI_LETTERS = new Map<number, string>();
for (const [b, ch] of VNI_LETTERS_LOWER) {
  VNI_LETTERS.set(b, ch);
  VNI_LETTERS.set(b - 0x20, ch.toUpperCase());
}
// Ỵ is written Y + Î; no single byte holds it.

/** The base letter (lower case, with any circumflex/breve/horn stripped of its tone) of a char. */
function baseOf(ch: string): string {
  return ch
    .normalize("NFD")
    .replace(/[\u0300\u0301\u0303\u0309\u0323]/g, "")
    .normalize("NFC")
    .toLowerCase();
}

/** Decodes VNI-Windows bytes (or a string standing for them) to Unicode NFC. */
export function decodeVni(input: Uint8Array | string): string {
  const units = typeof input === "string" ? toBytes(input) : Array.from(input);
  let out = "";
  let last = ""; // the letter just written, that a following mark byte may attach to
  for (const u of units) {
    if (typeof u === "string") {
      out += u;
      last = "";
      continue;
    }
    const mark = VNI_MARKS.get(u);
    if (mark && last) {
      const base = baseOf(last);
      const hasTone = last.normalize("NFD").length > base.normalize("NFD").length;
      if (mark.bases.includes(base) && !hasTone) {
        const marked = (last + mark.marks).normalize("NFC");
        out = out.slice(0, -last.length) + marked;
        last = marked;
        continue;
      }
    }
    const letter = VNI_LETTERS.get(u);
    const ch = letter ?? cp1252Char(u);
    out += ch;
    last = /\p{L}/u.test(ch) ? ch : "";
  }
  return out.normalize("NFC");
}

/** The VNI bytes of one Unicode letter (NFC); undefined for a character VNI does not write. */
function vniLetter(ch: string): number[] | undefined {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return [code];
  for (const [b, letter] of VNI_LETTERS) if (letter === ch) return [b];
  const upper = ch !== ch.toLowerCase();
  const lower = ch.toLowerCase();
  const nfd = lower.normalize("NFD");
  const horn = nfd.includes(HORN);
  // The letter the mark byte attaches to: a plain vowel, or VNI's own ơ / ư.
  const base = horn ? (nfd.charAt(0) === "o" ? "ơ" : "ư") : nfd.charAt(0);
  let baseByte = horn ? (base === "ơ" ? 0xf4 : 0xf6) : base.charCodeAt(0);
  if (baseByte > 0x7f && !horn) return undefined;
  if (upper) baseByte -= 0x20;
  if (base === lower) return [baseByte];
  const plain = horn ? (base === "ơ" ? "o" : "u") : base;
  const entry = VNI_MARKS_LOWER.find(
    ([, m]) => m.bases.includes(horn ? base : plain) && (base + m.marks).normalize("NFC") === lower,
  );
  if (!entry) return undefined;
  return [baseByte, upper ? entry[0] - 0x20 : entry[0]];
}

/** Encodes Unicode text to VNI-Windows bytes (letters VNI cannot write are an error). */
export function encodeVni(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text.normalize("NFC")) {
    const bytes = vniLetter(ch);
    if (!bytes) throw new RangeError(`"${ch}" has no VNI-Windows spelling`);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

// ── Windows-1258 ─────────────────────────────────────────────────────────────────────────────

let cp1258: InstanceType<typeof TextDecoder> | undefined | null;

/** Decodes Windows-1258 bytes (base letters and combining tone marks) to NFC, when Node knows it. */
export function decodeWindows1258(bytes: Uint8Array): string | undefined {
  if (cp1258 === undefined) {
    try {
      cp1258 = new TextDecoder("windows-1258");
    } catch {
      cp1258 = null;
    }
  }
  return cp1258 ? cp1258.decode(bytes).normalize("NFC") : undefined;
}

// ── Fonts and detection ──────────────────────────────────────────────────────────────────────

/** What a font name says of the text it draws: "TCVN3" (.VnTime, .VnArialH…), "VNI-Windows" (VNI-Times). */
export function encodingOfFont(
  font: string | undefined,
): { encoding: "TCVN3" | "VNI-Windows"; capitals: boolean } | undefined {
  if (!font) return undefined;
  const name = font.trim();
  if (/^vni[-\s]/i.test(name)) return { encoding: "VNI-Windows", capitals: false };
  // .VnTime, .VnArial, .VnTimeH, .VnArialH, ".VnCentury SchoolbookH"
  if (/^\.vn/i.test(name)) return { encoding: "TCVN3", capitals: /H$/.test(name.replace(/\s+/g, "")) };
  return undefined;
}

/** Converts a run of text in a legacy font to Unicode (characters standing for the font's bytes). */
export function convertFontText(text: string, font: string | undefined): string {
  const enc = encodingOfFont(font);
  if (!enc) return text;
  return enc.encoding === "TCVN3" ? decodeTcvn3(text, { capitals: enc.capitals }) : decodeVni(text);
}

export interface LegacyDetection {
  encoding: LegacyEncoding;
  text: string;
  /** Share of the converted text's words that are Vietnamese syllables. */
  share: number;
}

/** Lowest syllable share accepted for a decoding of unknown 8-bit bytes. */
const MIN_SHARE = 0.5;

/**
 * Reads 8-bit bytes that are not UTF-8: tries TCVN3, VNI-Windows and Windows-1258 and keeps the
 * decoding whose words are most often Vietnamese syllables; undefined when none reads as Vietnamese.
 */
export function detectLegacyBytes(bytes: Uint8Array): LegacyDetection | undefined {
  const candidates: { encoding: LegacyEncoding; text: string | undefined }[] = [
    { encoding: "TCVN3", text: decodeTcvn3(bytes) },
    { encoding: "VNI-Windows", text: decodeVni(bytes) },
    { encoding: "Windows-1258", text: decodeWindows1258(bytes) },
  ];
  return best(candidates.map((c) => ({ ...c, text: c.text ?? "" })));
}

function best(candidates: { encoding: LegacyEncoding; text: string }[]): LegacyDetection | undefined {
  let winner: LegacyDetection | undefined;
  for (const c of candidates) {
    if (!c.text) continue;
    const share = syllableShare(nonAsciiSample(c.text));
    if (Number.isNaN(share)) continue;
    if (!winner || share > winner.share) winner = { encoding: c.encoding, text: c.text, share };
  }
  return winner && winner.share >= MIN_SHARE ? winner : undefined;
}

/**
 * The words that differ between decodings are those with bytes ≥ 0x80; scoring on them alone keeps
 * English words and abbreviations from diluting the comparison. The text is kept when it has few.
 */
function nonAsciiSample(text: string): string {
  const words = text.match(/[\p{L}\p{M}]+/gu) ?? [];
  const marked = words.filter((w) => /[^ -~]/.test(w));
  return (marked.length >= 3 ? marked : words).join(" ");
}

/**
 * A string that may be legacy text read as Windows-1252 (a Word run whose font name was lost, a PDF
 * text layer in a .VnTime font): converted when a legacy reading is clearly more Vietnamese than
 * the string as it is. Real Unicode Vietnamese (ạ, ế… have no Windows-1252 byte) is left alone.
 */
export function detectLegacyString(text: string): LegacyDetection | undefined {
  if (!/[\u0080-\u00ff\u2013-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]/.test(text))
    return undefined;
  let bytes: number[] = [];
  for (const ch of text) {
    const b = cp1252Byte(ch);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  const asIs = syllableShare(nonAsciiSample(text));
  const found = detectLegacyBytes(Uint8Array.from(bytes));
  bytes = [];
  if (!found) return undefined;
  if (!Number.isNaN(asIs) && found.share < asIs + 0.2) return undefined;
  return found;
}

/** The encoding of a whole document, and the conversion of each of its stretches by it. */
export interface LegacyDocument {
  /** The legacy encoding the document's stretches read in together, when they do. */
  encoding?: LegacyEncoding;
  /** A stretch of the document converted to Unicode, or undefined when it stays as it is. */
  convert(text: string): LegacyDetection | undefined;
}

/**
 * Decides the legacy encoding once for a document from all its stretches (Word runs between tabs,
 * PDF text items), then converts every stretch whose reading in it is at least as Vietnamese as the
 * stretch as it is. Judged alone, a short stretch ("Sè: 15-KH/BDVTU", TCVN3 for "Số:") ties with
 * its Windows-1252 reading and would stay garbled. A document whose stretches do not read as one
 * legacy encoding together keeps the decision stretch by stretch (a Unicode document with one
 * pasted TCVN3 run).
 */
export function detectLegacyDocument(stretches: Iterable<string>): LegacyDocument {
  const legacyLike: string[] = [];
  for (const s of stretches) if (cp1252BytesOf(s)) legacyLike.push(s);
  const whole = legacyLike.length > 0 ? detectLegacyString(legacyLike.join("\n")) : undefined;
  if (!whole) return { convert: detectLegacyString };
  const encoding = whole.encoding;
  return {
    encoding,
    convert(text) {
      const bytes = cp1252BytesOf(text);
      if (!bytes) return undefined;
      const decoded =
        encoding === "TCVN3"
          ? decodeTcvn3(bytes)
          : encoding === "VNI-Windows"
            ? decodeVni(bytes)
            : decodeWindows1258(bytes);
      if (!decoded || decoded === text) return undefined;
      const share = syllableShare(nonAsciiSample(decoded));
      const asIs = syllableShare(nonAsciiSample(text));
      if (Number.isNaN(share) || (!Number.isNaN(asIs) && share < asIs)) return undefined;
      return { encoding, text: decoded, share };
    },
  };
}

/** The Windows-1252 bytes of a string with letters ≥ 0x80, or undefined when it has none or is not 1252. */
function cp1252BytesOf(text: string): Uint8Array | undefined {
  if (!/[\u0080-\u00ff\u2013-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]/.test(text))
    return undefined;
  const bytes: number[] = [];
  for (const ch of text) {
    const b = cp1252Byte(ch);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return Uint8Array.from(bytes);
}
