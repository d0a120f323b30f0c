/**
 * Metadata a document states about itself, so a file dropped into the knowledge folder without a
 * sidecar is still listed and cited by its real name. Read, in order of trust:
 *
 * 1. the standard header block of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP;
 *    Hướng dẫn 36-HD/VPTW for Party documents): issuing body, "Số: 2579/QĐ-UBND", place and date,
 *    the kind ("QUYẾT ĐỊNH") and the trích yếu after it;
 * 2. the codification source lines of the Bộ pháp điển ("(Điều 1 Luật số 10/2022/QH15 Luật thực
 *    hiện dân chủ ở cơ sở ngày 10/11/2022 của Quốc hội, …)"), which name the document;
 * 3. a Markdown heading that is not a structural one;
 * 4. the file name, made readable.
 *
 * Never a structural heading ("Chương I", "Điều 5", "I. …") or a lone symbol. The sidecar and the
 * front matter override every field (the loader merges them over what is read here).
 */
import { cells, cleanLine, isUpperLine } from "./clean.js";

/** What a document says about itself. Every field but the titles may be missing. */
export interface DocumentIdentity {
  title: string;
  shortTitle: string;
  kind?: string;
  number?: string;
  /** ISO date, yyyy-mm-dd. */
  date?: string;
  issuer?: string;
  place?: string;
}

/** The header block found at the top of a document, and where it ends. */
export interface DocumentHeader {
  kind: string;
  /** The trích yếu as written (capitals kept), "" when there is none. */
  subject: string;
  number?: string;
  date?: string;
  place?: string;
  /** The issuing body as written ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"). */
  issuer?: string;
  /** Index of the first raw line after the header (issuer, Số, date, kind, trích yếu, authority). */
  endLine: number;
}

/** Document kinds, longest first so "NGHỊ QUYẾT LIÊN TỊCH" wins over "NGHỊ QUYẾT". */
const KINDS = [
  "NGHỊ QUYẾT LIÊN TỊCH",
  "THÔNG TƯ LIÊN TỊCH",
  "CHƯƠNG TRÌNH HÀNH ĐỘNG",
  "BỘ LUẬT",
  "PHÁP LỆNH",
  "NGHỊ QUYẾT",
  "NGHỊ ĐỊNH",
  "QUYẾT ĐỊNH",
  "KẾ HOẠCH",
  "KẾT LUẬN",
  "CHỈ THỊ",
  "HƯỚNG DẪN",
  "THÔNG TƯ",
  "THÔNG BÁO",
  "CÔNG VĂN",
  "QUY ĐỊNH",
  "QUY CHẾ",
  "CHƯƠNG TRÌNH",
  "ĐỀ ÁN",
  "BÁO CÁO",
  "TỜ TRÌNH",
  "LỆNH",
  "LUẬT",
] as const;

/** Kinds whose name is a proper title: "Luật Thực hiện dân chủ ở cơ sở". */
const NAMED_KINDS = new Set(["Luật", "Bộ luật", "Pháp lệnh"]);

/** The body that issues a kind by law, when the header does not say. */
const IMPLIED_ISSUER: Record<string, string> = {
  Luật: "Quốc hội",
  "Bộ luật": "Quốc hội",
  "Nghị định": "Chính phủ",
  "Pháp lệnh": "Ủy ban Thường vụ Quốc hội",
};

const MOTTO = /CỘNG\s+H[OÒ]À\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM/u;
const MOTTO_LINE =
  /^(Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc|CỘNG|H[OÒ]À XÃ|XÃ HỘI|CHỦ NGHĨA|ĐẢNG CỘNG|CỘNG SẢN)/u;
const NUMBER_LINE = /^Số\s*[:.]?\s*(\d+[\p{L}\d/\-–.&]*)/u;
const DATE = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u;
const PLACE_DATE =
  /(?<![\p{L}\p{N}/\-–])((?:\p{Lu}\p{Ll}+\s+){0,3}\p{Lu}\p{Ll}+)\s*,\s*ngày\s+\d{1,2}\s+tháng/u;
/** Lines that end the header: the body has begun. */
const BODY_START =
  /^(Căn cứ|Thực hiện|Theo đề nghị|Điều\s+\d|Chương\s+[IVXLC\d]|Phần\s|Mục\s+\d|[IVXLC]{1,6}\s*[-.)/–]\s|\d{1,3}\s*[.)]\s)/u;
/** How far into a document the header block may reach, in non-empty lines. */
const HEADER_LINES = 40;

/** Cleaned non-empty lines with their raw line index; table cells on one line are split apart. */
function headerLines(text: string): { text: string; line: number; blankBefore: boolean }[] {
  const out: { text: string; line: number; blankBefore: boolean }[] = [];
  const raw = text.split("\n");
  let blank = false;
  for (let i = 0; i < raw.length && out.length < HEADER_LINES * 2; i++) {
    const parts = cells(raw[i] ?? "")
      .map((c) => cleanLine(c.replace(/^#{1,6}\s+/, "")))
      .filter((c) => c.length > 0);
    if (parts.length === 0) {
      blank = true;
      continue;
    }
    for (const p of parts) {
      out.push({ text: p, line: i, blankBefore: blank });
      blank = false;
    }
  }
  return out;
}

/** A line that is exactly a document kind in capitals ("QUYẾT ĐỊNH"), or opens with it. */
function kindOf(line: string): { kind: string; rest: string } | undefined {
  for (const k of KINDS) {
    if (line === k) return { kind: k, rest: "" };
    if (line.startsWith(`${k} `)) {
      const rest = line.slice(k.length + 1).trim();
      // "KẾ HOẠCH thực hiện …": the trích yếu on the same line, in lower case.
      if (/^[\p{Ll}“"(]/u.test(rest)) return { kind: k, rest };
    }
  }
  return undefined;
}

/**
 * Reads the header block at the top of a document, or undefined when the document has none
 * (a codified law, a plain note). The kind line must come before any body text.
 */
export function readHeader(text: string): DocumentHeader | undefined {
  const lines = headerLines(text);
  let kindAt = -1;
  let kind: { kind: string; rest: string } | undefined;
  for (let i = 0; i < Math.min(lines.length, HEADER_LINES); i++) {
    const t = lines[i]?.text ?? "";
    if (BODY_START.test(t)) break;
    kind = kindOf(t);
    // A công văn has no kind line: "V/v …" under its number is its trích yếu.
    const vv = /^V\/[vV]\s*[:.]?\s+(.+)$/u.exec(t);
    if (!kind && vv?.[1] && lines.slice(0, i).some((l) => NUMBER_LINE.test(l.text)))
      kind = { kind: "CÔNG VĂN", rest: `về việc ${vv[1]}` };
    if (kind) {
      kindAt = i;
      break;
    }
    // A long sentence before any kind line: this is body text, not a header.
    if (t.length > 160 && !isUpperLine(t)) break;
  }
  if (!kind || kindAt < 0) return undefined;
  const before = lines.slice(0, kindAt);
  const joined = before.map((l) => l.text).join(" ");
  // The trích yếu: the lines right after the kind, up to a blank line or the body.
  const subject: string[] = kind.rest ? [kind.rest] : [];
  let end = kindAt + 1;
  const upper = kind.rest === "" && isUpperLine(lines[end]?.text ?? "");
  for (; end < lines.length && subject.length < 6; end++) {
    const l = lines[end];
    if (!l) break;
    if (subject.length > 0 && l.blankBefore) break;
    if (BODY_START.test(l.text) || kindOf(l.text) || /:$/.test(l.text)) break;
    // The column beside it ("Tân Phú, ngày 02 tháng 4 năm 2024") is not part of the trích yếu.
    if (
      (PLACE_DATE.test(l.text) && l.text.length <= 80) ||
      NUMBER_LINE.test(l.text) ||
      MOTTO_LINE.test(l.text)
    )
      continue;
    // The trích yếu keeps its case: a line in capitals after one in lower case is the authority.
    if (subject.length > 0 && upper !== isUpperLine(l.text)) break;
    subject.push(l.text);
  }
  const issuerLines = before
    .map((l) => l.text)
    .filter((t) => isUpperLine(t) && !MOTTO_LINE.test(t) && !NUMBER_LINE.test(t));
  let issuer = issuerLines.join(" ").replace(MOTTO, " ").replace(/\s+/g, " ").trim();
  // The authority line ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ") between the trích yếu and "Căn cứ".
  const next = lines[end];
  if (next && isUpperLine(next.text) && !BODY_START.test(next.text) && next.text.length <= 120) {
    if (!issuer) issuer = next.text;
    end += 1;
  }
  // "Kính gửi:" and the addressees under it are part of a công văn's header.
  if (/^Kính gửi/u.test(lines[end]?.text ?? "")) {
    end += 1;
    while (end < lines.length && /^[-+•]\s/u.test(lines[end]?.text ?? "")) end += 1;
  }
  const numberMatch = before.map((l) => NUMBER_LINE.exec(l.text)).find((m) => m);
  // Side by side, the date may come after the trích yếu in the converted text.
  const wide = lines
    .slice(0, end)
    .map((l) => l.text)
    .join(" ");
  const dateMatch = DATE.exec(joined) ?? DATE.exec(wide);
  const placeMatch = PLACE_DATE.exec(joined) ?? PLACE_DATE.exec(wide);
  const endLine = end < lines.length ? (lines[end]?.line ?? text.length) : text.split("\n").length;
  return {
    kind: displayKind(kind.kind),
    subject: subject.join(" ").trim(),
    number: numberMatch?.[1]?.replace(/[.,;]+$/, ""),
    date: dateMatch ? isoDate(dateMatch[1], dateMatch[2], dateMatch[3]) : undefined,
    place: placeMatch?.[1]?.replace(/^Số\s+/u, "").trim(),
    issuer: issuer || undefined,
    endLine,
  };
}

function isoDate(d?: string, m?: string, y?: string): string | undefined {
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  if (!(day >= 1 && day <= 31 && month >= 1 && month <= 12 && year >= 1945 && year <= 2100)) return undefined;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** "NGHỊ QUYẾT LIÊN TỊCH" → "Nghị quyết liên tịch". */
function displayKind(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** A source line of the Bộ pháp điển: "(Điều 63 Luật số 10/2022/QH15 …, có hiệu lực …)". */
export const SOURCE_LINE =
  /^\(Điều\s+(\d+[a-zđ]?)\s+(?:của\s+)?(Bộ luật|Luật|Pháp lệnh|Nghị quyết liên tịch|Thông tư liên tịch|Nghị quyết|Nghị định|Thông tư|Quyết định)\s+số\s+([\p{L}\d/\-–.]+?)[,\s]/u;

/** Reads the name a codified document gives itself in its source lines. */
export function readCodification(text: string): Omit<DocumentIdentity, "shortTitle" | "title"> & {
  name?: string;
} {
  // Source lines may wrap; join a "(Điều …" line with the lines up to its closing parenthesis.
  const found: { kind: string; number: string; rest: string }[] = [];
  const raw = text.split("\n");
  for (let i = 0; i < raw.length; i++) {
    if (!raw[i]?.includes("(Điều ")) continue;
    let line = cleanLine(raw[i] ?? "");
    if (!line.startsWith("(Điều ")) continue;
    for (let k = 1; k <= 3 && !line.endsWith(")") && i + k < raw.length; k++)
      line = `${line} ${cleanLine(raw[i + k] ?? "")}`.trim();
    const m = SOURCE_LINE.exec(line);
    if (m?.[2] && m[3]) found.push({ kind: m[2], number: m[3], rest: line.slice(m[0].length).trim() });
  }
  if (found.length === 0) return {};
  // The document's own number is the one most source lines name (amending laws come up too).
  const counts = new Map<string, number>();
  for (const f of found) counts.set(f.number, (counts.get(f.number) ?? 0) + 1);
  const number = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  const own = found.filter((f) => f.number === number);
  const kind = own[0]?.kind ?? "";
  let name: string | undefined;
  let date: string | undefined;
  let issuer: string | undefined;
  for (const f of own) {
    const m =
      /^(.*?)\s*ngày\s+(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(?:của\s+(.+?))?(?:,\s*có hiệu lực.*)?\)?$/u.exec(
        f.rest,
      );
    if (!m?.[1] || m[1].startsWith("có hiệu lực")) continue;
    name = m[1].trim();
    date = isoDate(m[2], m[3], m[4]);
    issuer = m[5]?.trim();
    break;
  }
  return { kind, number, name, date, issuer };
}

/**
 * The name other documents give a document they cite by kind and number ("Luật Mặt trận Tổ quốc
 * Việt Nam số 75/2015/QH13"), when its own text never says it (a codified law whose source lines
 * give only "Luật số 75/2015/QH13"). The most frequent name wins; undefined when none is found.
 */
export function citedName(kind: string, number: string, texts: readonly string[]): string | undefined {
  const escaped = number.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  // The name starts with a capital and runs up to " số <number>" without punctuation.
  const re = new RegExp(
    `(?<![\\p{L}])${kind}\\s+(\\p{Lu}[^\\n,;:()“”"]{2,100}?)\\s+số\\s+${escaped}(?![\\p{L}\\d])`,
    "gu",
  );
  const votes = new Map<string, number>();
  for (const text of texts)
    for (const m of text
      .normalize("NFC")
      .replace(/[ \t]+/g, " ")
      .matchAll(re)) {
      let name = (m[1] as string).trim().replace(/\bMặt trận tổ quốc\b/g, "Mặt trận Tổ quốc");
      // "… Luật Đất đai và Luật Mặt trận Tổ quốc Việt Nam số …": the name is after the last kind.
      const last = name.lastIndexOf(` ${kind} `);
      if (last >= 0) name = name.slice(last + kind.length + 2);
      // "Luật này số …", "Luật sửa đổi, bổ sung…" are not names.
      if (/^(?:này|đó|trên|sửa đổi)/iu.test(name)) continue;
      votes.set(name, (votes.get(name) ?? 0) + 1);
    }
  return [...votes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/** Structural headings and symbols are never a document's title. */
export function isStructural(line: string): boolean {
  const t = line.trim();
  if (!/[\p{L}\p{N}]/u.test(t)) return true;
  return (
    /^(Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|Điều|ĐIỀU|Khoản)\s+[\p{L}\d.]+/u.test(t) ||
    /^([IVXLC]{1,6}|\d{1,3}|[a-zđ])\s*[-.)/–]\s/u.test(t)
  );
}

/**
 * Everything a document says about itself: title, short title for citations, kind, number, date,
 * issuer. `fileStem` is the file name without extension (the last resort for a title).
 */
export function identifyDocument(text: string, fileStem: string): DocumentIdentity {
  const header = readHeader(text);
  if (header) {
    const casing = new CaseVotes(text);
    const subject = header.subject ? casing.display(header.subject, NAMED_KINDS.has(header.kind)) : "";
    // "QUYẾT ĐỊNH / Về việc ban hành…" reads "Quyết định về việc ban hành…" as one title.
    const title = subject ? `${header.kind} ${subject.replace(/^Về(?=\s)/u, "về")}` : header.kind;
    let issuer = header.issuer ? displayIssuer(header.issuer, casing) : IMPLIED_ISSUER[header.kind];
    // A Party committee's standing board signs "T/M BAN THƯỜNG VỤ" under the committee's name.
    if (
      issuer &&
      /^(Tỉnh|Thành|Huyện|Quận|Thị|Đảng) ủy/u.test(issuer) &&
      /(?:^|\s{2,}|\t)T\/M\s+BAN THƯỜNG VỤ/mu.test(text)
    )
      issuer = `Ban Thường vụ ${issuer}`;
    return {
      title,
      shortTitle: header.number ? shortTitleOf(header.kind, header.number) : shorten(title),
      kind: header.kind,
      number: header.number,
      date: header.date,
      issuer,
      place: header.place,
    };
  }
  const cod = readCodification(text);
  if (cod.kind && cod.number) {
    let title: string;
    if (cod.name) {
      // "Luật thực hiện dân chủ ở cơ sở" → "Luật Thực hiện dân chủ ở cơ sở"; a name that does not
      // repeat the kind ("về xây dựng và thực hiện hương ước…") gets it in front.
      const named = NAMED_KINDS.has(cod.kind);
      let name = cod.name.replace(/\s+/g, " ").replace(/\bMặt trận tổ quốc\b/g, "Mặt trận Tổ quốc");
      if (name.toLowerCase().startsWith(cod.kind.toLowerCase())) name = name.slice(cod.kind.length).trim();
      name = named ? capitalize(name) : lowerFirst(name);
      title = `${cod.kind} ${name}`;
    } else title = `${cod.kind} số ${cod.number}`;
    const issuer =
      IMPLIED_ISSUER[cod.kind] ??
      (cod.issuer ? cod.issuer.replaceAll("Ủy ban thường vụ", "Ủy ban Thường vụ") : undefined);
    return {
      title,
      shortTitle: shortTitleOf(cod.kind, cod.number),
      kind: cod.kind,
      number: cod.number,
      date: cod.date,
      issuer,
    };
  }
  const md = /^#{1,3}\s+(.+)$/m.exec(text)?.[1]?.trim();
  if (md && !isStructural(md)) {
    const t = cleanLine(md);
    return { title: t, shortTitle: shorten(t) };
  }
  const fromName =
    fileStem
      .replace(/[-_.]+/g, " ")
      .replace(/\s+/g, " ")
      .trim() || fileStem;
  return { title: fromName, shortTitle: fromName };
}

/** "Luật" + "10/2022/QH15" → "Luật 10/2022/QH15"; long joint symbols are cut at their first dash. */
export function shortTitleOf(kind: string, number: string): string {
  let n = number;
  if (kind.length + 1 + n.length > 40) {
    const parts = n.split("/");
    const last = parts[parts.length - 1] ?? "";
    // "403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN" → "403/2017/NQLT".
    if (last.includes("-")) n = [...parts.slice(0, -1), last.split("-")[0]].join("/");
  }
  return `${kind} ${n}`;
}

/** A title cut for a citation: before the first comma or ", ngày", at most about 40 characters. */
function shorten(title: string): string {
  let t = title.split(/,\s/)[0] ?? title;
  if (t.length <= 45) return t;
  t = t.slice(0, 40);
  const space = t.lastIndexOf(" ");
  return `${(space > 20 ? t.slice(0, space) : t).trim()}…`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  const first = s.split(" ")[0] ?? "";
  // "Quy định chi tiết…" → "quy định chi tiết…", but an acronym or a name in capitals stays.
  return /^\p{Lu}\p{Ll}+$/u.test(first) && first !== "Mặt" ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

const ADMIN_UNIT = /^(.*?\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN))\s+(.+)$/u;

/** "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" → "Ủy ban nhân dân thành phố Cần Thơ". */
function displayIssuer(issuer: string, casing: CaseVotes): string {
  const text = issuer.replace(/UỶ/gu, "ỦY");
  const party =
    /^ĐẢNG BỘ\s+(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)\s+(.+?)\s+(TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|QUẬN ỦY|THỊ ỦY|ĐẢNG ỦY)$/u.exec(
      text,
    );
  if (party?.[2] && party[3]) return `${capitalize(party[3].toLowerCase())} ${titleCase(party[2])}`;
  if (!isUpperLine(text)) return text;
  // "TỈNH ỦY BẾN TRE" over "BAN THƯỜNG VỤ": the board of that committee.
  const board = /^(.+?)\s+(BAN THƯỜNG VỤ|BAN CHẤP HÀNH)$/u.exec(text);
  if (board?.[1] && board[2]) return `${partyCase(board[2])} ${partyCase(board[1])}`;
  if (PARTY_WORDS.test(text)) return partyCase(text);
  const unit = ADMIN_UNIT.exec(text);
  if (unit?.[1] && unit[2]) return `${capitalize(unit[1].toLowerCase())} ${titleCase(unit[2])}`;
  return capitalize(casing.display(text, true));
}

/** Names of Party bodies as they are written in running text. */
const PARTY_NAMES: [RegExp, string][] = [
  [/BAN CHẤP HÀNH TRUNG ƯƠNG/gu, "Ban Chấp hành Trung ương"],
  [/BAN CHẤP HÀNH/gu, "Ban Chấp hành"],
  [/BAN THƯỜNG VỤ/gu, "Ban Thường vụ"],
  [/BỘ CHÍNH TRỊ/gu, "Bộ Chính trị"],
  [/BAN BÍ THƯ/gu, "Ban Bí thư"],
  [/(TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG) ỦY/gu, "$1 ủy"],
  [/ĐẢNG BỘ/gu, "Đảng bộ"],
];
const PARTY_WORDS =
  /BAN CHẤP HÀNH|BAN THƯỜNG VỤ|BỘ CHÍNH TRỊ|BAN BÍ THƯ|(TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG) ỦY|ĐẢNG BỘ/u;

/** "BAN THƯỜNG VỤ TỈNH ỦY BẾN TRE" → "Ban Thường vụ Tỉnh ủy Bến Tre". */
function partyCase(text: string): string {
  let out = text;
  for (const [re, to] of PARTY_NAMES) out = out.replace(re, to);
  // What is left in capitals is a place name ("BẾN TRE"), or the unit before it ("TỈNH").
  out = out.replace(/(?<![\p{L}])[\p{Lu}][\p{Lu}]+(?:\s+[\p{Lu}][\p{Lu}]+)*/gu, (w) => titleCase(w));
  out = out.replace(/(\S+) ủy/gu, (_, a: string) => `${capitalize(a.toLowerCase())} ủy`);
  out = out.replace(
    /^Đảng bộ (Tỉnh|Thành Phố|Huyện|Quận|Xã|Phường) /u,
    (_, u: string) => `Đảng bộ ${u.toLowerCase()} `,
  );
  return capitalize(out);
}

function titleCase(s: string): string {
  return s
    .toLowerCase()
    .split(" ")
    .map((w) => capitalize(w))
    .join(" ");
}

/**
 * How the document itself writes its words when not in capitals: "CẦN THƠ" in a trích yếu is
 * written "Cần Thơ" in the body. Votes are taken per pair of neighbouring words, so "quy định"
 * and "Quy định" are told apart by context.
 */
class CaseVotes {
  private readonly votes = new Map<string, Map<string, number>>();

  constructor(text: string) {
    for (const rawLine of text.split("\n")) {
      const line = cleanLine(rawLine);
      if (line.length === 0 || isUpperLine(line)) continue;
      const words = line.split(/\s+/);
      for (let i = 1; i < words.length; i++) {
        const a = words[i - 1] ?? "";
        const b = words[i] ?? "";
        const wa = a.replace(/[^\p{L}]/gu, "");
        const wb = b.replace(/[^\p{L}]/gu, "");
        if (!wa || !wb || wb === wb.toUpperCase()) continue;
        // The first word of a sentence says nothing about how the word is written.
        const startsSentence = i === 1 || /[.:;!?]$/.test(a);
        if (!startsSentence) this.vote(`${wa.toLowerCase()} ${wb.toLowerCase()}|2`, wb);
        if (i >= 2 && !/[.:;!?]$/.test(words[i - 2] ?? "") && wa !== wa.toUpperCase())
          this.vote(`${wa.toLowerCase()} ${wb.toLowerCase()}|1`, wa);
      }
    }
  }

  private vote(key: string, form: string): void {
    let m = this.votes.get(key);
    if (!m) {
      m = new Map();
      this.votes.set(key, m);
    }
    m.set(form, (m.get(form) ?? 0) + 1);
  }

  private best(key: string): Map<string, number> | undefined {
    return this.votes.get(key);
  }

  /** Writes a line in capitals the way the document writes it elsewhere; other lines unchanged. */
  display(text: string, capitalFirst: boolean): string {
    if (!isUpperLine(text)) return capitalFirst ? capitalize(text) : text;
    const words = text.split(/\s+/);
    const lowered = words.map((w) => w.toLowerCase());
    const out = words.map((w, i) => {
      const core = (lowered[i] ?? "").replace(/[^\p{L}]/gu, "");
      if (!core) return lowered[i] ?? w;
      const tally = new Map<string, number>();
      const prev = (lowered[i - 1] ?? "").replace(/[^\p{L}]/gu, "");
      const next = (lowered[i + 1] ?? "").replace(/[^\p{L}]/gu, "");
      for (const [key, weight] of [
        [prev ? `${prev} ${core}|2` : "", 1],
        [next ? `${core} ${next}|1` : "", 1],
      ] as const) {
        for (const [form, n] of this.best(key) ?? []) tally.set(form, (tally.get(form) ?? 0) + n * weight);
      }
      let form = core;
      let most = 0;
      for (const [f, n] of tally)
        if (n > most) {
          form = f;
          most = n;
        }
      return (lowered[i] ?? w).replace(core, form);
    });
    const s = out.join(" ");
    return capitalFirst ? capitalize(s) : s;
  }
}

/** "2022-11-10" → "10/11/2022". */
function displayDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * One line describing a document for people, from what is known of it:
 * "Luật · số 10/2022/QH15 · Quốc hội · 10/11/2022". Empty when nothing is known.
 * For `/tailieu` and similar listings, beside the title.
 */
export function describeDocument(meta: {
  kind?: unknown;
  number?: unknown;
  issuer?: unknown;
  date?: unknown;
}): string {
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const parts = [
    str(meta.kind),
    str(meta.number) ? `số ${str(meta.number)}` : undefined,
    str(meta.issuer),
    str(meta.date) ? displayDate(str(meta.date) as string) : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.join(" · ");
}
