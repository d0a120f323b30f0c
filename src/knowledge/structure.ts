/**
 * Structure parser for Vietnamese administrative and legal documents, and the chunker that turns
 * their blocks into quotable passages.
 *
 * Recognised: Phần/Chương/Mục/Điều/Khoản headings, Roman-numeral parts (`I-`, `II.`, `III/`),
 * numbered items (`1.`, `2)`), lettered points (`a)`, `b.`), bullets (`-`, `+`, `•`), Markdown
 * headings, and plain paragraphs. Lines split by a page break inside a sentence are joined.
 */
import { sentences } from "../text/sentences.js";
import type { Passage } from "./types.js";

/** Bump when parsing or chunking changes, so indexes built by older code are rebuilt. */
export const CHUNKING_VERSION = 1;

/** Chunk sizes, in characters. */
export const PASSAGE_MAX = 700;
const PASSAGE_TARGET = 450;
const PASSAGE_MIN = 40;

type Kind =
  | "part"
  | "chapter"
  | "roman"
  | "section"
  | "article"
  | "clause"
  | "item"
  | "point"
  | "bullet"
  | "md";

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
}

const ROMAN = /^([IVXLC]{1,6})\s*[-.)/–]\s*(.+)$/u;
const PART = /^(PHẦN|Phần)\s+(THỨ\s+|thứ\s+)?([\p{L}\d]+)\b[.:]?\s*(.*)$/u;
const CHAPTER = /^(CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b[.:]?\s*(.*)$/u;
const SECTION = /^(MỤC|Mục)\s+(\d+|[IVXLC]+)\b[.:]?\s*(.*)$/u;
const ARTICLE = /^Điều\s+(\d+[a-z]?)\s*[.:]?\s*(.*)$/u;
const CLAUSE = /^Khoản\s+(\d+)\s*[.:]?\s*(.*)$/u;
const NUMBERED = /^(\d{1,3}(?:\.\d{1,3})*)\s*[.)]\s*(?=\S)(.*)$/u;
const LETTERED = /^([a-zđ])\s*[.)]\s+(.*)$/u;
const BULLET = /^[-+•*–]\s+(.*)$/u;
const MD_HEADING = /^(#{1,6})\s+(.*)$/u;

const LEVEL: Record<Kind, number> = {
  md: 0,
  part: 0,
  chapter: 1,
  roman: 1,
  section: 2,
  article: 3,
  clause: 4,
  item: 4,
  point: 5,
  bullet: 6,
};

/** Removes Markdown emphasis and escapes so passages read as plain text. */
export function stripMarkdown(line: string): string {
  return line
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\p{L}\p{N}*])\*(?!\s)(.+?)\*(?![\p{L}\p{N}])/gu, "$1$2")
    .replace(/\\([*_`#>-])/g, "$1");
}

/**
 * Joins the lines of a document into blocks: blank lines separate paragraphs, except where a
 * paragraph stops mid-sentence and the next one starts in lower case (a page break such as
 * "mạng xã" / "hội"); hard-wrapped lines without a blank line between are joined too.
 */
export function paragraphs(text: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  let afterBlank = false;
  for (const rawLine of text.split("\n")) {
    const line = stripMarkdown(rawLine.trim()).replace(/\s+/g, " ");
    if (line.length === 0) {
      afterBlank = true;
      continue;
    }
    const startsStructure = detectMarker(line) !== undefined;
    const continues =
      current !== undefined &&
      !startsStructure &&
      !/[.!?…:;"”)]$/u.test(current) &&
      (/^[\p{Ll}\d(,;]/u.test(line) || !afterBlank) &&
      !isHeadingLike(current);
    if (continues && current !== undefined) current = `${current} ${line}`;
    else {
      if (current !== undefined) out.push(current);
      current = line;
    }
    afterBlank = false;
  }
  if (current !== undefined) out.push(current);
  return out;
}

/** An upper-case line such as "KẾ HOẠCH" or a structural heading. */
function isHeadingLike(text: string): boolean {
  const m = detectMarker(text);
  if (m?.headingOnly) return true;
  return text.length <= 120 && text === text.toUpperCase() && /\p{Lu}/u.test(text);
}

type Detected = Marker & { body: string };
type Rule = [RegExp, number, (m: RegExpExecArray, line: string) => Detected];

/** Structural markers, most specific first; the number is the longest line that can be a heading. */
const RULES: Rule[] = [
  [MD_HEADING, Infinity, (m) => heading("md", (m[1] ?? "#").length - 1, (m[2] ?? "").trim(), "h")],
  [PART, 200, (m, line) => heading("part", LEVEL.part, line, `p${m[3]}`)],
  [CHAPTER, 200, (m, line) => heading("chapter", LEVEL.chapter, line, `c${m[2]}`)],
  [SECTION, 200, (m, line) => heading("section", LEVEL.section, line, `m${m[2]}`)],
  [
    ARTICLE,
    250,
    (m, line) => ({ ...heading("article", LEVEL.article, `Điều ${m[1]}`, `d${m[1]}`), body: line }),
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

interface Frame {
  level: number;
  kind: Kind;
  label: string;
  key: string;
  /** Heading text (for headings) or the item's opening sentence (for items that introduce a list). */
  heading: string;
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
  const rootCounters = { bullets: 0, paragraphs: 0 };
  const emit = (body: string, extraLabel?: string, extraKey?: string) => {
    const sectionPath = stack.map((f) => f.label).filter((l) => l.length > 0);
    const keyPath = stack.map((f) => f.key);
    if (extraLabel) sectionPath.push(extraLabel);
    if (extraKey) keyPath.push(extraKey);
    blocks.push({ text: body, sectionPath, keyPath, headings: stack.map((f) => f.heading).filter(Boolean) });
  };

  for (const para of paragraphs(text)) {
    const marker = detectMarker(para);
    if (!marker) {
      // A plain paragraph ends a bullet list and belongs to the enclosing item or heading.
      while (stack.length > 0 && (top()?.level ?? 0) >= LEVEL.bullet) stack.pop();
      const parent = top();
      const counters = parent ?? rootCounters;
      counters.paragraphs += 1;
      const n = counters.paragraphs + (parent?.hasText ? 1 : 0);
      const label = parent ? `đoạn ${n}` : undefined;
      emit(para, label, `p${n}`);
      continue;
    }
    while (stack.length > 0 && (top()?.level ?? 0) >= marker.level) stack.pop();
    const parent = top();
    let { label, key } = marker;
    if (marker.kind === "bullet") {
      const counters = parent ?? rootCounters;
      counters.bullets += 1;
      label = `gạch đầu dòng ${counters.bullets}`;
      key = `g${counters.bullets}`;
    } else if (marker.kind === "item" && insideArticle()) label = `khoản ${marker.label}`;
    else if (marker.kind === "point" && insideArticle()) label = `điểm ${marker.label}`;
    const heading = marker.headingOnly ? marker.body : introduction(marker.body);
    stack.push({
      level: marker.level,
      kind: marker.kind,
      label,
      key,
      heading,
      bullets: 0,
      paragraphs: 0,
      hasText: !marker.headingOnly,
    });
    if (!marker.headingOnly) emit(marker.kind === "bullet" ? marker.body : para);
  }
  return blocks;
}

/** An item that ends with ":" introduces what follows: its text heads its children. */
function introduction(body: string): string {
  return body.trimEnd().endsWith(":") && body.length <= 300 ? body : "";
}

/** Joins section labels for people: "II. NHIỆM VỤ, GIẢI PHÁP › 2 › đoạn 1". */
export function formatSectionPath(path: readonly string[]): string {
  return path.length === 0 ? "phần mở đầu" : path.join(" › ");
}

/**
 * Splits a document into passages sized for quoting: one per paragraph or list item, long ones
 * cut at sentence boundaries, tiny ones merged with the next block of the same section.
 */
export function chunkDocument(docId: string, title: string, text: string): Passage[] {
  const blocks = parseStructure(text);
  const merged: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    const next = blocks[i + 1];
    if (b.text.length < PASSAGE_MIN && next && sameSection(b, next)) {
      // The merged block keeps the earlier one's place: it is where the quote starts.
      blocks[i + 1] = { ...b, text: `${b.text} ${next.text}` };
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
      });
    });
  }
  return passages;
}

function sameSection(a: Block, b: Block): boolean {
  const pa = a.keyPath.slice(0, -1).join(".");
  return b.keyPath.join(".").startsWith(pa);
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
