/**
 * Structure parser for Vietnamese administrative and legal documents, and the chunker that turns
 * their blocks into quotable passages.
 *
 * Recognised: Phần/Chương/Mục/Tiểu mục/Điều/Khoản headings (a title on the next line belongs to its
 * heading), codified article numbers ("Điều 44.13.LQ.63." is the document's own Điều 63, as its
 * source line says), Roman-numeral parts (`I-`, `II.`, `III/`), numbered items (`1.`, `2)`),
 * lettered points (`a)`, `b.`), bullets (`-`, `+`, `•`), Markdown headings, and plain paragraphs.
 * Left out of passages: the header block (issuer, motto, Số, date, kind, trích yếu), the signature
 * and "Nơi nhận", the Bộ pháp điển's source lines and cross-reference notes, and conversion
 * residue ("|", "**", rules, attachment file names). Lines broken in mid-sentence are joined.
 */
import { sentences } from "../text/sentences.js";
import { cleanLine, isUpperLine } from "./clean.js";
import { readHeader } from "./metadata.js";
import type { Passage } from "./types.js";

export { stripMarkdown } from "./clean.js";

/** Bump when parsing or chunking changes, so indexes built by older code are rebuilt. */
export const CHUNKING_VERSION = 2;

/** Chunk sizes, in characters. */
export const PASSAGE_MAX = 700;
const PASSAGE_TARGET = 450;
const PASSAGE_MIN = 40;
/**
 * The longest list quoted whole with its lead-in. Longer lists are quoted item by item, each with
 * its lead-in in `leadIn`: a long group dilutes the item a question is about (on ALQAC, grouping up
 * to PASSAGE_MAX cost 0.01 MRR@10 even with the lead-in indexed with each item; up to
 * PASSAGE_TARGET, nothing measurable).
 */
const LIST_MAX = PASSAGE_TARGET;
/** The longest item that can be a sub-heading ("1. Phạm vi điều chỉnh") rather than content. */
const SUBHEADING_MAX = 150;

type Kind =
  | "part"
  | "chapter"
  | "roman"
  | "section"
  | "subsection"
  | "article"
  | "clause"
  | "item"
  | "point"
  | "bullet"
  | "md"
  | "annex";

interface Marker {
  kind: Kind;
  level: number;
  /** What the citation calls this section ("II. NHIỆM VỤ, GIẢI PHÁP", "2", "Điều 5"). */
  label: string;
  /** Short key for passage ids ("II", "2", "d5"). */
  key: string;
  /** True when the block is only a heading (its text is not a passage of its own). */
  headingOnly: boolean;
}

/** A block of text with its place in the document. */
export interface Block {
  text: string;
  sectionPath: string[];
  keyPath: string[];
  headings: string[];
  /** "item" for numbered items, points, bullets and clauses; "paragraph" for plain text. */
  role: "item" | "paragraph";
  /** True for a bullet ("- …"): its marker is not part of `text`. */
  bullet?: boolean;
}

const ROMAN = /^([IVXLC]{1,6})\s*[-.)/–]\s*(.+)$/u;
const PART = /^(PHẦN|Phần)\s+(THỨ\s+|thứ\s+)?([\p{L}\d]+)\b[.:]?\s*(.*)$/u;
const CHAPTER = /^(CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b[.:]?\s*(.*)$/u;
const SECTION = /^(MỤC|Mục)\s+(\d+|[IVXLC]+)\b[.:]?\s*(.*)$/u;
const SUBSECTION = /^(TIỂU MỤC|Tiểu mục)\s+(\d+)\b[.:]?\s*(.*)$/u;
/** "Điều 5.", "Điều 5a:", and the codified "Điều 44.13.LQ.63." (components of digits or capitals). */
const ARTICLE = /^Điều\s+(\d+[a-zđ]?(?:\.(?:\d+[a-zđ]?|[A-ZĐ]{1,4}))*)(?:\s*[.:]\s*(.*)|\s*)$/u;
const CLAUSE = /^Khoản\s+(\d+)\s*[.:]?\s*(.*)$/u;
const NUMBERED = /^(\d{1,3}(?:\.\d{1,3})*)\s*[.)]\s*(?=\S)(.*)$/u;
const LETTERED = /^([a-zđ])\s*[.)]\s+(.*)$/u;
const BULLET = /^[-+•*–]\s+(.*)$/u;
const MD_HEADING = /^(#{1,6})\s+(.*)$/u;

/** The Bộ pháp điển's source line under an article: "(Điều 63 Luật số 10/2022/QH15, …)". */
const SOURCE_NOTE =
  /^\(Điều\s+(\d+[a-zđ]?)\s+(?:của\s+)?(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết liên tịch|Thông tư liên tịch|Nghị quyết|Nghị định|Thông tư|Quyết định)\s+số\s/u;
/** Its cross-reference note: "(Điều này có nội dung liên quan đến Điều …)". */
const CROSS_NOTE = /^\(Điều này có nội dung liên quan/u;
/** A line that is only the name of an attached file ("Phu luc_ban hanh kem theo NĐ so 59.doc"). */
const ATTACHMENT = /^\S.{0,150}\.(?:docx?|pdf|xlsx?|zip|rar)$/iu;
/** The start of the signature block; nothing after it is the document's text until an annex. */
const SIGNATURE = /^(?:Nơi nhận\s*:?(?:\s|$)|(?:T\/M|K\/T|T\/L|TM\.|KT\.|TL\.|TUQ\.|Q\.)\s*\p{Lu})/u;
/** The title line of an annexed document ("QUY ĐỊNH", "QUY CHẾ") after the signature. */
const ANNEX_KIND = /^(QUY ĐỊNH|QUY CHẾ|HƯỚNG DẪN|ĐIỀU LỆ|CHƯƠNG TRÌNH|KẾ HOẠCH|PHỤ LỤC)$/u;
/** "(Kèm theo Quyết định số …)", "(Ban hành kèm theo …)". */
const ANNEX_NOTE = /^\((?:Ban hành\s+)?[Kk]èm theo\b/u;

const LEVEL: Record<Kind, number> = {
  annex: 0,
  md: 0,
  part: 0,
  chapter: 1,
  roman: 1,
  section: 2,
  subsection: 2.5,
  article: 3,
  clause: 4,
  item: 4,
  point: 5,
  bullet: 6,
};

/** A paragraph of the document, with what its notes said about it. */
interface Para {
  text: string;
  /** The article number its source line gives (for an article heading). */
  source?: string;
  /** The annexed document's kind, for the first paragraph of an annex ("Quy định"). */
  annex?: string;
}

/**
 * Joins the lines of a document into paragraphs: blank lines separate paragraphs, except where a
 * paragraph stops mid-sentence and the next one starts in lower case (a page break such as
 * "mạng xã" / "hội"); hard-wrapped lines without a blank line between are joined too, and so are
 * a heading broken over two lines. The header block, signature, codification notes and residue
 * are left out.
 */
export function paragraphs(text: string): string[] {
  return readParagraphs(text).paras.map((p) => p.text);
}

/** The paragraphs, and how many the header block held (so later ids do not shift). */
function readParagraphs(text: string): { paras: Para[]; headerParagraphs: number } {
  const raw = text.normalize("NFC").split("\n");
  const header = readHeader(text);
  let headerParagraphs = 0;
  for (let i = 0, blank = true; i < (header?.endLine ?? 0); i++) {
    const empty = cleanLine(raw[i] ?? "").length === 0;
    if (!empty && blank) headerParagraphs += 1;
    blank = empty;
  }
  const out: Para[] = [];
  let current: Para | undefined;
  let afterBlank = false;
  let skipping = false;
  const flush = () => {
    if (current) out.push(current);
    current = undefined;
  };
  for (let i = header?.endLine ?? 0; i < raw.length; i++) {
    let line = cleanLine(raw[i] ?? "");
    if (line.length === 0) {
      afterBlank = true;
      continue;
    }
    // Notes of the codification span lines up to their closing parenthesis.
    if (line.startsWith("(")) {
      const note = SOURCE_NOTE.test(line) || CROSS_NOTE.test(line) || ANNEX_NOTE.test(line);
      if (note) {
        for (let k = 0; k < 4 && !line.endsWith(")") && !line.endsWith(")."); k++) {
          i += 1;
          line = `${line} ${cleanLine(raw[i] ?? "")}`.trim();
        }
        const source = SOURCE_NOTE.exec(line);
        if (source && current && ARTICLE.test(current.text)) current.source = source[1];
        flush();
        afterBlank = true;
        continue;
      }
    }
    if (ATTACHMENT.test(line)) {
      afterBlank = true;
      continue;
    }
    if (ANNEX_KIND.test(line)) {
      flush();
      skipping = false;
      current = { text: line, annex: line.charAt(0) + line.slice(1).toLowerCase() };
      afterBlank = false;
      continue;
    }
    if (SIGNATURE.test(line)) skipping = true;
    if (skipping) {
      // The signature ends where the next part of the document starts.
      if (!(CHAPTER.test(line) || PART.test(line) || ARTICLE.test(line))) continue;
      skipping = false;
    }
    const marker = detectMarker(line);
    const prev = current?.text;
    let continues = false;
    const lower = /^[\p{Ll}\d(,;]/u.test(line);
    if (current && prev !== undefined && !current.annex && !marker && /[;,]$/u.test(prev)) {
      // A hard-wrapped line after a ";" that does not open an item continues the sentence.
      continues = !afterBlank && /^\p{Ll}/u.test(line) && !isHeadingLike(prev);
    } else if (current && prev !== undefined && !current.annex && !marker && !SENTENCE_END.test(prev)) {
      if (!isHeadingLike(prev)) continues = lower || !afterBlank;
      // A heading broken over lines: "Điều 2. Mục" / "đích đánh giá", or two lines in capitals.
      else
        continues = !afterBlank && (lower || (isUpperLine(prev) && isUpperLine(line) && !detectMarker(prev)));
    }
    // The annex's title lines in capitals join its kind line.
    if (current?.annex && !marker && isUpperLine(line)) continues = true;
    if (continues && current) current.text = `${current.text} ${line}`;
    else {
      flush();
      current = { text: line };
    }
    afterBlank = false;
  }
  flush();
  return { paras: out, headerParagraphs };
}

/** The end of a sentence or of a list item: "." or ";", a closing quote or bracket after it. */
const SENTENCE_END = /[.!?…:;]["”’)\]]*$/u;

/** An upper-case line such as "KẾ HOẠCH" or a structural heading. */
function isHeadingLike(text: string): boolean {
  const m = detectMarker(text);
  if (m?.headingOnly) return true;
  return text.length <= 200 && isUpperLine(text);
}

/** A short line without a sentence end: a title ("Phạm vi điều chỉnh"), not content. */
function isTitleLike(text: string): boolean {
  return text.length <= 200 && !/[.;!?…:]$/u.test(text) && !detectMarker(text);
}

type Detected = Marker & { body: string; code?: string; rest?: string };
type Rule = [RegExp, number, (m: RegExpExecArray, line: string) => Detected];

/** Structural markers, most specific first; the number is the longest line that can be a heading. */
const RULES: Rule[] = [
  [MD_HEADING, Infinity, (m) => heading("md", (m[1] ?? "#").length - 1, (m[2] ?? "").trim(), "h")],
  [PART, 200, (m, line) => ({ ...heading("part", LEVEL.part, line, `p${m[3]}`), rest: m[4] ?? "" })],
  [CHAPTER, 200, (m, line) => ({ ...heading("chapter", LEVEL.chapter, line, `c${m[2]}`), rest: m[3] ?? "" })],
  [SECTION, 200, (m, line) => ({ ...heading("section", LEVEL.section, line, `m${m[2]}`), rest: m[3] ?? "" })],
  [
    SUBSECTION,
    200,
    (m, line) => ({ ...heading("subsection", LEVEL.subsection, line, `t${m[2]}`), rest: m[3] ?? "" }),
  ],
  [
    ARTICLE,
    Infinity,
    (m, line) => ({
      ...heading("article", LEVEL.article, `Điều ${m[1]}`, `d${m[1]}`),
      body: line,
      code: m[1] ?? "",
      rest: (m[2] ?? "").trim(),
    }),
  ],
  [
    ROMAN,
    Infinity,
    (m, line) => {
      const body = (m[2] ?? "").trim();
      // A long line after the numeral is content that happens to open a part.
      const short = line.length <= 160;
      const label = short ? `${m[1]}. ${body}` : `${m[1]}`;
      return { kind: "roman", level: LEVEL.roman, label, key: m[1] ?? "R", headingOnly: short, body };
    },
  ],
  [CLAUSE, Infinity, (m, line) => item("clause", LEVEL.clause, `khoản ${m[1]}`, m[1] ?? "k", line)],
  [NUMBERED, Infinity, (m, line) => item("item", LEVEL.item, m[1] ?? "", m[1] ?? "n", line)],
  [LETTERED, Infinity, (m, line) => item("point", LEVEL.point, m[1] ?? "", m[1] ?? "l", line)],
  [BULLET, Infinity, (m) => item("bullet", LEVEL.bullet, "", "g", (m[1] ?? "").trim())],
];

function heading(kind: Kind, level: number, label: string, key: string): Detected {
  return { kind, level, label, key, headingOnly: true, body: label };
}

function item(kind: Kind, level: number, label: string, key: string, body: string): Detected {
  return { kind, level, label, key, headingOnly: false, body };
}

function detectMarker(line: string): Detected | undefined {
  for (const [re, maxLength, make] of RULES) {
    const m = re.exec(line);
    if (m && line.length <= maxLength) return make(m, line);
  }
  return undefined;
}

/** "44.13.LQ.63" → "63": the last numeric component of a codification number. */
function articleNumber(code: string): string {
  const parts = code.split(".").filter((p) => /^\d/.test(p));
  return parts[parts.length - 1] ?? code;
}

interface Frame {
  level: number;
  kind: Kind;
  label: string;
  key: string;
  /** Heading text (for headings) or the item's opening sentence (for items that introduce a list). */
  heading: string;
  /** A line in capitals met inside the section ("QUYẾT ĐỊNH:"): a heading, never a passage. */
  extra?: string;
  bullets: number;
  paragraphs: number;
  hasText: boolean;
}

/** Splits a document body into blocks, each with its section path. */
export function parseStructure(text: string): Block[] {
  const blocks: Block[] = [];
  const stack: Frame[] = [];
  const insideArticle = () => stack.some((f) => f.kind === "article");
  const top = () => stack[stack.length - 1];
  const root = { bullets: 0, paragraphs: 0, extra: undefined as string | undefined };
  const emit = (
    body: string,
    role: Block["role"],
    extraLabel?: string,
    extraKey?: string,
    bullet = false,
  ) => {
    const sectionPath = stack.map((f) => f.label).filter((l) => l.length > 0);
    const keyPath = stack.map((f) => f.key);
    if (extraLabel) sectionPath.push(extraLabel);
    if (extraKey) keyPath.push(extraKey);
    const headings = [root.extra ?? "", ...stack.flatMap((f) => [f.heading, f.extra ?? ""])].filter(Boolean);
    blocks.push({ text: body, sectionPath, keyPath, headings, role, ...(bullet ? { bullet } : {}) });
  };
  const { paras, headerParagraphs } = readParagraphs(text);
  // Paragraphs at the top are numbered as before the header was left out: ids stay the same.
  root.paragraphs = headerParagraphs;
  for (let i = 0; i < paras.length; i++) {
    const para = paras[i] as Para;
    const next = paras[i + 1];
    if (para.annex) {
      // An annexed document ("QUY ĐỊNH … (Kèm theo Quyết định …)") starts its own outline.
      stack.length = 0;
      root.extra = undefined;
      stack.push({
        level: LEVEL.annex,
        kind: "annex",
        label: para.annex,
        key: "kt",
        heading: para.text,
        bullets: 0,
        paragraphs: 0,
        hasText: false,
      });
      continue;
    }
    const marker = detectMarker(para.text);
    if (!marker) {
      // A line in capitals ("QUYẾT ĐỊNH:", a title) heads what follows; it is never a passage.
      if (isHeadingLike(para.text)) {
        const frame = top();
        if (frame) frame.extra = para.text;
        else root.extra = para.text;
        continue;
      }
      // A plain paragraph ends a bullet list and belongs to the enclosing item or heading.
      while (stack.length > 0 && (top()?.level ?? 0) >= LEVEL.bullet) stack.pop();
      const parent = top();
      const counters = parent ?? root;
      counters.paragraphs += 1;
      const n = counters.paragraphs + (parent?.hasText ? 1 : 0);
      emit(para.text, "paragraph", parent ? `đoạn ${n}` : undefined, `p${n}`);
      continue;
    }
    let { label, key, body } = marker;
    let headingOnly = marker.headingOnly;
    let content: string | undefined;
    if (marker.kind === "article") {
      const number = para.source ?? articleNumber(marker.code ?? "");
      label = `Điều ${number}`;
      key = `d${number}`;
      let title = marker.rest ?? "";
      if (!title && next && isTitleLike(next.text) && !next.annex) {
        title = next.text;
        i += 1;
      } else if (/(\.\/\.|[.;])$/u.test(title) && (title.length > 60 || /\.\/\.$/.test(title))) {
        // "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.": content on the heading's line.
        content = title;
        title = "";
      }
      body = title ? `${label}. ${title}` : label;
    } else if (["chapter", "section", "subsection", "part"].includes(marker.kind)) {
      const rest = marker.rest ?? "";
      const head = para.text.slice(0, para.text.length - rest.length).replace(/[\s.:]+$/u, "");
      let title = rest;
      if (!title && next && !next.annex && (isUpperLine(next.text) || isTitleLike(next.text))) {
        title = next.text;
        i += 1;
      }
      label = title ? `${head}. ${title}` : head;
      body = label;
    }
    while (stack.length > 0 && (top()?.level ?? 0) >= marker.level) stack.pop();
    const parent = top();
    if (marker.kind === "bullet") {
      const counters = parent ?? root;
      counters.bullets += 1;
      label = `gạch đầu dòng ${counters.bullets}`;
      key = `g${counters.bullets}`;
    } else if (marker.kind === "item" && insideArticle()) label = `khoản ${marker.label}`;
    else if (marker.kind === "point" && insideArticle()) label = `điểm ${marker.label}`;
    if (content) headingOnly = true;
    const headingText = headingOnly ? body : introduction(marker.body);
    stack.push({
      level: marker.level,
      kind: marker.kind,
      label,
      key,
      heading: headingText,
      bullets: 0,
      paragraphs: 0,
      hasText: !headingOnly,
    });
    if (content) {
      const frame = top() as Frame;
      frame.paragraphs += 1;
      emit(content, "paragraph", `đoạn ${frame.paragraphs}`, `p${frame.paragraphs}`);
    } else if (!headingOnly) {
      emit(
        marker.kind === "bullet" ? marker.body : para.text,
        "item",
        undefined,
        undefined,
        marker.kind === "bullet",
      );
    }
  }
  return blocks;
}

/** An item that ends with ":" introduces what follows: its text heads its children. */
function introduction(body: string): string {
  if (body.trimEnd().endsWith(":") && body.length <= 300) return body;
  // "1. Phạm vi điều chỉnh": a short item without a sentence end is a sub-heading.
  return body.length <= SUBHEADING_MAX && !/[.;!?…"”)]$/u.test(body) ? body : "";
}

/** Joins section labels for people: "II. NHIỆM VỤ, GIẢI PHÁP › 2 › đoạn 1". */
export function formatSectionPath(path: readonly string[]): string {
  return path.length === 0 ? "phần mở đầu" : path.join(" › ");
}

const DIVISION = /^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Tiểu mục|TIỂU MỤC)\s+\S+?(?=\.\s|$)/u;

/**
 * The section path for a citation line: an article number is unique in its document, so the
 * divisions above it (Chương, Mục, Tiểu mục, Phần) are dropped; without an article they are kept,
 * without their titles. ["Chương II. THỰC HIỆN DÂN CHỦ Ở CẤP XÃ", "Điều 63", "khoản 2"] →
 * ["Điều 63", "khoản 2"]; ["Quy định", "Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 1"] → ["Quy định",
 * "Điều 1"]. Paths without divisions (the plan's "II. NHIỆM VỤ, GIẢI PHÁP › 2") are unchanged.
 */
export function citationPath(path: readonly string[]): string[] {
  const hasArticle = path.some((l) => /^Điều \d/u.test(l));
  return path.flatMap((l) => {
    const m = DIVISION.exec(l);
    if (!m) return [l];
    return hasArticle ? [] : [m[0]];
  });
}

/** A block with the lead-in that introduces it, when it was split from its list. */
type Unit = Block & { leadIn?: string };

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((k, i) => path[i] === k);

/** Passage text of a block inside a group: bullets get their dash back. */
const lineOf = (b: Block) => (b.bullet ? `- ${b.text}` : b.text);

/**
 * Groups each list with its lead-in ("… có các quyền hạn sau đây:", "1. Phạm vi điều chỉnh"): one
 * passage when they fit in LIST_MAX, else one per item, each knowing its lead-in. A lead-in is
 * never a passage of its own.
 */
function groupLists(blocks: readonly Block[]): Unit[] {
  const out: Unit[] = [];
  const leadIns = (b: Block, i: number): number => {
    const endsColon = /:$/u.test(b.text) && b.text.length <= 400;
    const subheading = b.role === "item" && b.text.length <= SUBHEADING_MAX && !/[.;!?…"”)]$/u.test(b.text);
    if (!endsColon && !subheading) return i + 1;
    // An item's list is its descendants; a paragraph's, the items that follow it in its section.
    let j = i + 1;
    if (b.role === "item") {
      while (j < blocks.length && startsWith(blocks[j]?.keyPath ?? [], b.keyPath)) j++;
    } else {
      const parent = b.keyPath.slice(0, -1);
      while (j < blocks.length) {
        const c = blocks[j] as Block;
        const sibling = c.keyPath.length === parent.length + 1 && c.role === "item";
        const nested = c.keyPath.length > parent.length + 1;
        if (!startsWith(c.keyPath, parent) || !(sibling || (nested && j > i + 1))) break;
        j++;
      }
    }
    return j;
  };
  const walk = (from: number, to: number, leadIn?: string, leadHeading?: string) => {
    for (let i = from; i < to; ) {
      const b = blocks[i] as Block;
      const headings =
        leadHeading && !b.headings.includes(leadHeading) ? [...b.headings, leadHeading] : b.headings;
      const end = Math.min(leadIns(b, i), to);
      if (end > i + 1) {
        const group = blocks.slice(i, end);
        const text = group.map(lineOf).join("\n");
        if (text.length <= LIST_MAX) {
          // A paragraph lead-in with its list is the whole section: cited as the section.
          const sectionPath = b.role === "paragraph" ? b.sectionPath.slice(0, -1) : b.sectionPath;
          out.push({ ...b, headings, text, sectionPath, ...(leadIn ? { leadIn } : {}) });
        } else walk(i + 1, end, b.text, b.text);
        i = end;
        continue;
      }
      out.push({ ...b, headings, ...(leadIn ? { leadIn } : {}) });
      i += 1;
    }
  };
  walk(0, blocks.length);
  return out;
}

/**
 * Splits a document into passages sized for quoting: one per paragraph or list item (a short
 * list with its lead-in), long ones cut at sentence boundaries, tiny ones merged with the next
 * block of the same section.
 */
export function chunkDocument(docId: string, title: string, text: string): Passage[] {
  const units = groupLists(parseStructure(text));
  const merged: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    const b = units[i] as Unit;
    const next = units[i + 1];
    const tiny = b.text.length < PASSAGE_MIN;
    // A lead-in left without its list (it introduces a paragraph) goes with what it introduces.
    const leadIn = /:$/u.test(b.text) && next !== undefined && b.text.length + next.text.length < PASSAGE_MAX;
    if ((tiny || leadIn) && next && mergeable(b, next)) {
      // The merged block keeps the earlier one's place: it is where the quote starts.
      units[i + 1] = { ...b, text: `${b.text}${/:$/u.test(b.text) ? "\n" : " "}${next.text}` };
      continue;
    }
    merged.push(b);
  }
  const passages: Passage[] = [];
  const used = new Map<string, number>();
  for (const b of merged) {
    const pieces = b.text.length > PASSAGE_MAX ? splitLong(b.text) : [b.text];
    pieces.forEach((piece, k) => {
      let key = b.keyPath.length > 0 ? b.keyPath.join(".") : "0";
      if (pieces.length > 1) key += `~${k + 1}`;
      const seen = used.get(key) ?? 0;
      used.set(key, seen + 1);
      if (seen > 0) key += `^${seen + 1}`;
      passages.push({
        id: `${docId}:${key}`,
        docId,
        sectionPath: b.sectionPath,
        headings: [title, ...b.headings].join(" \n "),
        text: piece,
        ordinal: passages.length,
        ...(b.leadIn ? { leadIn: b.leadIn } : {}),
      });
    });
  }
  return passages;
}

/**
 * Whether a tiny block may be merged into the next under its own citation: the next is inside
 * its section (a clause's first point), or both are paragraphs of the same section. Never a
 * sibling item ("khoản 4" quoted as "khoản 3") nor across an article.
 */
function mergeable(a: Block, b: Block): boolean {
  if (startsWith(b.keyPath, a.keyPath)) return true;
  const parent = a.keyPath.slice(0, -1);
  return (
    a.role === "paragraph" &&
    b.role === "paragraph" &&
    b.keyPath.length === a.keyPath.length &&
    startsWith(b.keyPath, parent)
  );
}

/** Cuts a long block into pieces of about PASSAGE_TARGET characters at sentence boundaries. */
function splitLong(text: string): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const s of sentences(text, { semicolons: true })) {
    if (current && current.length + s.length + 1 > PASSAGE_TARGET) {
      pieces.push(current);
      current = s;
    } else current = current ? `${current} ${s}` : s;
  }
  if (current) pieces.push(current);
  // A lone sentence longer than the limit stays whole: quoting half a sentence misleads.
  return pieces;
}
